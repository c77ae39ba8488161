"""Security games with schedules, solved exactly by column generation (ASPEN) inside branch
and bound: a mixed strategy over joint assignments of resources to schedules.

With schedules a resource covers a *set* of targets, and not every coverage vector with the
right totals can be implemented by a mix of assignments: ERASER-C (Kiekintveld et al. 2009)
optimizes over marginals and can return such an unimplementable coverage (Jain et al.,
AAAI 2010, sec. 3; Korzhyk, Conitzer, Parr, AAAI 2010). ASPEN (Jain et al. 2010) instead
works with pure strategies — joint assignments — generated on demand.

What is solved, exactly, for any number of attacker types (strong Stackelberg equilibrium):

* **Master LP** (the disjunctive, convex-hull form of the multiple-LPs method of Conitzer &
  Sandholm 2006, one block per attacker type θ and attacked target j): a column
  ``x_{θ,j,P} >= 0`` is "θ attacks j while the defender plays pure strategy P". Per type the
  columns sum to one; their coverage ``Σ x P`` equals the common coverage ``c`` (linking
  rows); within the block (θ, j), j is θ's best response (homogenized rows
  ``Σ x [U_a^θ(j, P) - U_a^θ(a, P)] >= 0``). The objective is ``Σ p_θ Σ x U_d^θ(j, P)``.
  For one type this LP *is* the problem (its optimum lies in one block); for several types
  the ``q_θj = Σ_P x_{θ,j,P}`` must be 0/1 and the LP is the node relaxation.
* **Pricing** (ASPEN's slave): the reduced cost of a column is ``const + Σ_t w_t P_t``
  (P_t = 1 when the assignment covers t), so the best column of block (θ, j) is a
  *weighted coverage* problem: choose at most ``count_r`` schedules for each resource type r
  among those it may run, maximizing the total weight of covered targets. A greedy pass finds
  improving columns quickly; when it finds none, a small exact MILP (HiGHS) proves that none
  exists, so every node is solved to LP optimality.
* **Branch and bound** on ``q_θj`` (one type's attacked target at a time, as HBGS, Jain et
  al. 2011), best bound first, with a time limit: on expiry the best strategy found is
  returned with the best open bound and status ``time_limit``.

Targets no type can ever attack are pruned as in ORIGAMI (their best payoff is below the
attacker's minimal attack level under any coverage with as many covered targets as a pure
strategy can reach); they get no rows.
"""

from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError, SolverError
from escolta.games.evaluate import security_responses, security_value
from escolta.games.hbgs import (
    PRUNE_TOLERANCE,
    attacker_floor,
    best_value_if_attacked,
)
from escolta.games.milp import payoff_scale
from escolta.games.model import ResourceType, SecurityGame, Solution
from escolta.games.progress import SolveProgress
from escolta.lp import HighsModel, LinearProgram, Status, solve

INF = float("inf")
REDUCED_COST_TOLERANCE = 1e-9
ARTIFICIAL_COST = 100.0
"""Cost (in payoffs scaled into [-1, 1]) of the artificial column that keeps each type's block
feasible; a node whose converged LP still uses it is infeasible."""
INTEGRAL = 1e-7


@dataclass(frozen=True)
class PureStrategies:
    """The defender's pure strategies: each resource type r runs at most ``count_r`` of its
    allowed schedules, no schedule twice (a resource may also stay idle)."""

    n_targets: int
    membership: sp.csr_matrix  # (schedules, targets), 1 where the schedule covers the target
    kinds: tuple[ResourceType, ...]
    allowed: np.ndarray  # (kinds, schedules) bool
    members: tuple[np.ndarray, ...]  # targets of each schedule

    @property
    def n_schedules(self) -> int:
        return self.membership.shape[0]

    def cover(self, chosen: tuple[int, ...]) -> np.ndarray:
        """0/1 coverage of the targets by the chosen schedules."""
        cover = np.zeros(self.n_targets)
        for k in chosen:
            cover[self.members[k]] = 1.0
        return cover

    def best_greedy(self, weights: np.ndarray) -> tuple[float, tuple[int, ...]]:
        """Greedy weighted coverage: repeatedly add the schedule (of a type with a resource
        left) that adds the most weight; exact when the schedules are pairwise disjoint and
        there is one resource type."""
        remaining = np.array([k.count for k in self.kinds])
        uncovered = np.ones(self.n_targets)
        usable = np.ones(self.n_schedules, dtype=bool)
        chosen: list[tuple[int, int]] = []
        total = 0.0
        while remaining.any():
            gains = self.membership @ (weights * uncovered)
            kinds_left = self.allowed[remaining > 0].any(axis=0)
            gains = np.where(usable & kinds_left, gains, -INF)
            k = int(np.argmax(gains))
            if not gains[k] > REDUCED_COST_TOLERANCE:
                break
            r = int(np.flatnonzero(self.allowed[:, k] & (remaining > 0))[0])
            remaining[r] -= 1
            usable[k] = False
            total += float(gains[k])
            uncovered[self.members[k]] = 0.0
            chosen.append((r, k))
        return total, _ordered(chosen)

    def best_exact(self, weights: np.ndarray) -> tuple[float, tuple[int, ...]]:
        """Exact weighted coverage by a small MILP (only schedules touching a weighted target,
        only weighted targets): binaries ``z_rk`` (type r runs schedule k), ``u_t`` covered."""
        weighted = np.abs(weights) > 1e-12
        touch = np.flatnonzero(self.membership @ weighted.astype(float) > 0)
        if len(touch) == 0:
            return 0.0, ()
        sub = self.membership[touch][:, weighted].tocsc()
        w = weights[weighted]
        pairs = [(r, int(k)) for r in range(len(self.kinds)) for k in touch
                 if self.allowed[r, k]]
        z = len(pairs)
        nu = len(w)
        n_cols = z + nu
        local = {int(k): i for i, k in enumerate(touch)}
        rows, cols, vals, lower, upper = [], [], [], [], []
        row = 0
        # each schedule at most once (over the types that may run it)
        for k in touch:
            users = [i for i, (_, kk) in enumerate(pairs) if kk == k]
            if len(users) > 1:
                rows += [row] * len(users)
                cols += users
                vals += [1.0] * len(users)
                lower.append(-INF)
                upper.append(1.0)
                row += 1
        for r, kind in enumerate(self.kinds):
            mine = [i for i, (rr, _) in enumerate(pairs) if rr == r]
            if mine:
                rows += [row] * len(mine)
                cols += mine
                vals += [1.0] * len(mine)
                lower.append(-INF)
                upper.append(float(kind.count))
                row += 1
        pair_of_schedule: dict[int, list[int]] = {}
        for i, (_, k) in enumerate(pairs):
            pair_of_schedule.setdefault(local[k], []).append(i)
        for t in range(nu):
            schedules_of_t = sub[:, t].indices
            runners = [i for s in schedules_of_t for i in pair_of_schedule.get(int(s), [])]
            if w[t] > 0:  # u_t <= Σ z over schedules covering t
                rows += [row] * (len(runners) + 1)
                cols += [z + t, *runners]
                vals += [1.0] + [-1.0] * len(runners)
                lower.append(-INF)
                upper.append(0.0)
                row += 1
            else:  # u_t >= z for every schedule covering t
                for i in runners:
                    rows += [row, row]
                    cols += [z + t, i]
                    vals += [1.0, -1.0]
                    lower.append(0.0)
                    upper.append(INF)
                    row += 1
        matrix = sp.csr_matrix((vals, (rows, cols)), shape=(row, n_cols))
        cost = np.concatenate([np.zeros(z), w])
        integrality = np.concatenate([np.ones(z, dtype=bool), np.zeros(nu, dtype=bool)])
        result = solve(LinearProgram(cost, matrix, np.array(lower), np.array(upper),
                                     np.zeros(n_cols), np.ones(n_cols), integrality, "max"),
                       mip_rel_gap=1e-9)
        if result.status is not Status.OPTIMAL:
            raise SolverError(f"ASPEN pricing MILP ended with status {result.status}")
        picked = [pairs[i] for i in np.flatnonzero(result.x[:z] > 0.5)]
        return float(result.objective), _ordered(picked)


def _ordered(chosen: list[tuple[int, int]]) -> tuple[int, ...]:
    """Schedules by resource type, then index: the assignment as ``mixed_strategy`` lists it."""
    return tuple(k for _, k in sorted(chosen))


def pure_strategies(game: SecurityGame) -> PureStrategies:
    """The pure-strategy space of ``game`` (schedules, or singletons without them)."""
    n = game.n_targets
    schedules = game.schedules if game.schedules is not None else tuple((t,) for t in range(n))
    rows = np.concatenate([np.full(len(s), i) for i, s in enumerate(schedules)])
    cols = np.concatenate([np.asarray(s, dtype=int) for s in schedules])
    membership = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(schedules), n))
    membership.data[:] = 1.0
    if game.resource_types is not None:
        kinds = game.resource_types
    else:
        kinds = (ResourceType("resource", game.resources, tuple(range(len(schedules)))),)
    allowed = np.zeros((len(kinds), len(schedules)), dtype=bool)
    for r, kind in enumerate(kinds):
        allowed[r, list(kind.schedules)] = True
    members = tuple(np.asarray(sched, dtype=int) for sched in schedules)
    return PureStrategies(n, membership, tuple(kinds), allowed, members)


def _reach(space: PureStrategies) -> int:
    """The most targets one pure strategy covers (a bound: counts times largest schedule)."""
    sizes = np.asarray(space.membership.sum(axis=1)).ravel()
    most = sum(kind.count * float(sizes[list(kind.schedules)].max()) for kind in space.kinds)
    return int(min(space.n_targets, most))


def attacker_level(
    space: PureStrategies, covered: np.ndarray, uncovered: np.ndarray,
    deadline: float | None = None,
) -> tuple[float, np.ndarray, tuple[tuple[float, tuple[int, ...]], ...]]:
    """The least best-attack utility any implementable coverage achieves, and that coverage:
    ``min_c max_t U_a(t, c)`` over mixes of pure strategies, by column generation (the
    zero-sum game against this attacker; its value is the ORIGAMI attack level generalized
    to schedules). Every target whose best payoff is below it is never attacked.
    """
    slope = covered - uncovered
    relaxed = attacker_floor(covered, uncovered, _reach(space))
    rows_t = np.flatnonzero(np.maximum(covered, uncovered) >= relaxed - PRUNE_TOLERANCE)
    r = len(rows_t)
    # columns: k, then x_P; rows: k - Σ x s_t P_t >= au_t (t in rows_t), Σ x = 1
    matrix = sp.csr_matrix(np.concatenate([np.ones((r, 1)), np.zeros((1, 1))]))
    lower = np.concatenate([uncovered[rows_t], [1.0]])
    upper = np.concatenate([np.full(r, INF), [1.0]])
    model = HighsModel(LinearProgram(np.array([-1.0]), matrix, lower, upper,
                                     np.array([-INF]), np.array([INF]), sense="max"))
    assignments: list[tuple[int, ...]] = []

    def add(assignment: tuple[int, ...]) -> None:
        cover = space.cover(assignment)[rows_t]
        column = np.concatenate([-slope[rows_t] * cover, [1.0]])
        model.add_columns(np.zeros(1), np.zeros(1), np.array([INF]),
                          sp.csc_matrix(column.reshape(-1, 1)))
        assignments.append(assignment)

    add(())
    exact = False
    while True:
        result = model.solve()
        if result.status is not Status.OPTIMAL:
            raise SolverError(f"attacker-level LP ended with status {result.status}")
        duals = result.row_duals
        weights = np.zeros(space.n_targets)
        weights[rows_t] = duals[:r] * slope[rows_t]
        gain, assignment = (space.best_exact if exact else space.best_greedy)(weights)
        if gain - duals[r] > REDUCED_COST_TOLERANCE and assignment not in assignments:
            add(assignment)
            exact = False
        elif not exact and (deadline is None or time.perf_counter() < deadline):
            exact = True
        else:
            break
    x = np.clip(result.x[1:], 0.0, None)
    mixed = tuple((float(w / x.sum()), a) for w, a in zip(x, assignments, strict=True)
                  if w > 1e-12)
    coverage = np.zeros(space.n_targets)
    for w, a in mixed:
        coverage += w * space.cover(a)
    return float(result.x[0]), np.clip(coverage, 0.0, 1.0), mixed


@dataclass
class _Column:
    attacker: int
    event: int  # index into the type's allowed targets
    assignment: tuple[int, ...]  # schedule indices; () for the artificial column
    artificial: bool = False


class _Master:
    """The master LP of the module docstring, on a live HiGHS model."""

    def __init__(self, game: SecurityGame, space: PureStrategies,
                 attackable: list[np.ndarray], events: list[np.ndarray]) -> None:
        self.game, self.space = game, space
        scale = payoff_scale(game)
        self.prior = game.priors
        self.dc = game.stacked("defender_covered") * scale
        self.du = game.stacked("defender_uncovered") * scale
        self.ac = game.stacked("attacker_covered") * scale
        self.au = game.stacked("attacker_uncovered") * scale
        self.scale = scale
        self.attackable = attackable
        self.events = events
        self.union = np.unique(np.concatenate(attackable))
        self.types = len(attackable)
        u = len(self.union)
        # rows: per type [choice, linking over union (u), incentive per (event, other)]
        self.choice_row, self.link_start, self.incentive = [], [], []
        row = 0
        for reach in attackable:
            self.choice_row.append(row)
            row += 1
            self.link_start.append(row)
            row += u
            k = len(reach)
            # row of (event e, other a); only events that may happen get rows; the diagonal
            # rows are empty (0 >= 0), kept for simple indexing
            rows_of = np.full((k, k), -1)
            rows_of[self.events[len(self.incentive)]] = row + np.arange(
                len(self.events[len(self.incentive)]) * k).reshape(-1, k)
            self.incentive.append(rows_of)
            row += len(self.events[len(self.incentive) - 1]) * k
        self.n_rows = row
        lower = np.zeros(row)
        upper = np.zeros(row)
        for th in range(len(attackable)):
            lower[self.choice_row[th]] = upper[self.choice_row[th]] = 1.0
            taken = self.incentive[th].ravel()
            upper[taken[taken >= 0]] = INF
        # columns: c over the union (linking: Σ x P_t - c_t = 0), then the artificials
        link = sp.lil_matrix((row, u))
        for th in range(self.types):
            for i in range(u):
                link[self.link_start[th] + i, i] = -1.0
        empty = LinearProgram(np.zeros(u), link.tocsr(), lower, upper, np.zeros(u),
                              np.ones(u), sense="max")
        self.model = HighsModel(empty)
        self.columns: list[_Column] = []
        for th in range(self.types):
            self._add([_Column(th, -1, (), artificial=True)])

    def _entries(self, column: _Column) -> tuple[float, np.ndarray, np.ndarray]:
        th = column.attacker
        rows = [self.choice_row[th]]
        vals = [1.0]
        if column.artificial:
            return -ARTIFICIAL_COST, np.array(rows), np.array(vals)
        cover = self.space.cover(column.assignment)
        covered_union = np.flatnonzero(cover[self.union] > 0)
        rows += list(self.link_start[th] + covered_union)
        vals += [1.0] * len(covered_union)
        reach = self.attackable[th]
        e = column.event
        j = reach[e]
        slope = self.ac[th] - self.au[th]
        attack_j = self.au[th, j] + slope[j] * cover[j]
        attack_all = self.au[th, reach] + slope[reach] * cover[reach]
        incentive = attack_j - attack_all
        others = np.flatnonzero((np.arange(len(reach)) != e) & (np.abs(incentive) > 0))
        rows += list(self.incentive[th][e, others])
        vals += list(incentive[others])
        cost = self.prior[th] * (self.du[th, j] + (self.dc[th, j] - self.du[th, j]) * cover[j])
        return float(cost), np.array(rows), np.array(vals, dtype=float)

    def _add(self, columns: list[_Column]) -> None:
        costs, rows, cols, vals = [], [], [], []
        for i, column in enumerate(columns):
            cost, r, v = self._entries(column)
            costs.append(cost)
            rows.append(r)
            cols.append(np.full(len(r), i))
            vals.append(v)
        matrix = sp.csc_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(self.n_rows, len(columns)),
        )
        self.model.add_columns(np.array(costs), np.zeros(len(columns)),
                               np.full(len(columns), INF), matrix)
        self.columns.extend(columns)

    def price(self, duals: np.ndarray, open_events: list[np.ndarray], exact: bool,
              seen: set[tuple[int, int, tuple[int, ...]]]) -> list[_Column]:
        """Columns with positive reduced cost (``rc = cost - a · duals``)."""
        new = []
        n = self.game.n_targets
        for th, reach in enumerate(self.attackable):
            link_duals = duals[self.link_start[th] : self.link_start[th] + len(self.union)]
            slope = self.ac[th] - self.au[th]
            for e in open_events[th]:
                j = reach[e]
                inc = duals[self.incentive[th][e]]
                inc[e] = 0.0
                weights = np.zeros(n)
                weights[self.union] -= link_duals
                weights[j] += self.prior[th] * (self.dc[th, j] - self.du[th, j]) - slope[j] * (
                    inc.sum())
                weights[reach] += inc * slope[reach]
                constant = (self.prior[th] * self.du[th, j] - duals[self.choice_row[th]]
                            - float(inc @ (self.au[th, j] - self.au[th, reach])))
                gain, assignment = (self.space.best_exact if exact
                                    else self.space.best_greedy)(weights)
                key = (th, int(e), assignment)
                if constant + gain > REDUCED_COST_TOLERANCE and key not in seen:
                    seen.add(key)
                    new.append(_Column(th, int(e), assignment))
        if new:
            self._add(new)
        return new


@dataclass(order=True)
class _Node:
    priority: float
    serial: int
    fixed_one: tuple[tuple[int, int], ...]  # (type, event)
    fixed_zero: tuple[tuple[int, int], ...]


def _check(game: SecurityGame) -> None:
    if not isinstance(game, SecurityGame):
        raise InputError("method", "aspen", "needs a security game")
    if game.schedules is None and game.resource_types is not None:
        raise InputError("resource_types", "(given)", "needs schedules")


def aspen_solve(
    game: SecurityGame, time_limit: float | None = None, *, progress: bool = True
) -> Solution:
    """Strong Stackelberg equilibrium of a security game with schedules (and optional
    resource types), exactly, as a mixed strategy over joint assignments.

    Parameters
    ----------
    game
        A security game; with ``schedules`` each resource runs one schedule (or none);
        ``resource_types`` limits which schedules each kind of resource may run. Any number of
        attacker types.
    time_limit
        Seconds; on expiry the best strategy found so far, ``status="time_limit"`` and the best
        open bound.
    progress
        Show a Rich progress bar on stderr when the solve lasts more than a second.

    Returns
    -------
    Solution
        ``coverage`` (implemented exactly by ``mixed_strategy``: a tuple of
        ``(probability, schedule indices)``, listed by resource type), responses, value,
        ``bound``; ``params`` records nodes, columns and pricing calls.

    Examples
    --------
    One resource, schedules {a, b} and {c}; the attacker values a, b, c at 4, 4, 6:

    >>> from escolta.games.loader import load
    >>> game = load({"kind": "security", "resources": 1, "targets": ["a", "b", "c"],
    ...     "schedules": [[0, 1], [2]],
    ...     "attacker_types": [{"name": "x", "prior": 1,
    ...         "defender": {"covered": [0, 0, 0], "uncovered": [-4, -4, -6]},
    ...         "attacker": {"covered": [0, 0, 0], "uncovered": [4, 4, 6]}}]})
    >>> s = aspen_solve(game)
    >>> round(s.defender_value, 6), [round(p, 6) for p, _ in sorted(s.mixed_strategy)]
    (-2.4, [0.4, 0.6])
    """
    started = time.perf_counter()
    _check(game)
    deadline = None if time_limit is None else started + time_limit
    space = pure_strategies(game)
    scale = payoff_scale(game)
    reach_size = _reach(space)
    best_value = -INF
    best: tuple[np.ndarray, tuple[tuple[float, tuple[int, ...]], ...]] | None = None
    attackable, events = [], []
    floors = []
    for attacker in game.attacker_types:
        ac = attacker.attacker_covered * scale
        au = attacker.attacker_uncovered * scale
        level, level_coverage, level_mix = attacker_level(space, ac, au, deadline)
        floors.append(level)
        attackable.append(np.flatnonzero(np.maximum(ac, au) >= level - PRUNE_TOLERANCE))
        value = security_value(game, level_coverage, security_responses(game, level_coverage))
        if value > best_value:
            best_value, best = value, (level_coverage, level_mix)
    events = _hopeful_events(game, scale, attackable, reach_size, best_value)
    master = _Master(game, space, attackable, events)
    types = len(attackable)
    seen: set[tuple[int, int, tuple[int, ...]]] = set()
    bar = SolveProgress(time_limit, progress, "aspen")
    counter = itertools.count()
    heap = [_Node(-INF, next(counter), (), ())]
    nodes = pricing_rounds = 0
    timed_out = False

    def out_of_time() -> bool:
        return deadline is not None and time.perf_counter() >= deadline

    try:
        while heap:
            if out_of_time():
                timed_out = True
                break
            node = heapq.heappop(heap)
            if -node.priority <= best_value * scale + PRUNE_TOLERANCE:
                continue
            closed = _closed_events(node, attackable, events)
            open_events = [np.flatnonzero(~closed[th]) for th in range(types)]
            result, converged = None, False
            while not converged:
                _apply_bounds(master, closed)
                result = master.model.solve()
                if result.status is not Status.OPTIMAL:
                    raise SolverError(f"ASPEN master LP ended with status {result.status}")
                pricing_rounds += 1
                if out_of_time():
                    break
                added = master.price(result.row_duals, open_events, False, seen)
                if not added:
                    added = master.price(result.row_duals, open_events, True, seen)
                converged = not added
            nodes += 1
            if not converged:
                heapq.heappush(heap, node)  # unfinished: its parent's bound still holds
                timed_out = True
                break
            x = result.x[len(master.union):]
            artificial = sum(x[i] for i, col in enumerate(master.columns) if col.artificial)
            if artificial > 1e-7:
                continue  # no implementable coverage makes this node's events best responses
            bound = float(result.objective)
            coverage, mixed = _strategy(master, x)
            value = security_value(game, coverage, security_responses(game, coverage))
            if value > best_value:
                best_value, best = value, (coverage, mixed)
            open_bound = max([bound, *(-h.priority for h in heap)]) / scale
            bar.update(time.perf_counter() - started, best_value, open_bound, nodes)
            if bound <= best_value * scale + PRUNE_TOLERANCE:
                continue
            q = _event_weights(master, x)
            if all(np.all(np.minimum(qq, 1 - qq) <= INTEGRAL) for qq in q):
                continue
            peaks = np.array([qq.max() for qq in q])
            th = int(np.argmin(np.where(peaks < 1 - INTEGRAL, peaks, INF)))
            e = int(np.argmax(q[th]))
            heapq.heappush(heap, _Node(-bound, next(counter), (*node.fixed_one, (th, e)),
                                       node.fixed_zero))
            heapq.heappush(heap, _Node(-bound, next(counter), node.fixed_one,
                                       (*node.fixed_zero, (th, e))))
    finally:
        bar.close()

    if best is None:
        coverage = np.zeros(game.n_targets)
        mixed: tuple[tuple[float, tuple[int, ...]], ...] = ((1.0, ()),)
    else:
        coverage, mixed = best
    responses = security_responses(game, coverage)
    value = security_value(game, coverage, responses)
    open_bound = max((-h.priority for h in heap), default=-INF) / scale
    status = "time_limit" if timed_out else "optimal"
    return Solution(
        defender_value=value,
        responses=responses,
        method="aspen",
        seconds=time.perf_counter() - started,
        status=status,
        coverage=coverage,
        bound=max(value, open_bound) if timed_out else value,
        mixed_strategy=mixed,
        params={"nodes": nodes, "columns": len(master.columns), "lp_solves": pricing_rounds,
                "attackable": [len(a) for a in attackable],
                "events": [len(e) for e in events], "attacker_levels": floors},
    )


def _closed_events(
    node: _Node, attackable: list[np.ndarray], events: list[np.ndarray]
) -> list[np.ndarray]:
    closed = [np.ones(len(a), dtype=bool) for a in attackable]
    for th, e in enumerate(events):
        closed[th][e] = False
    for th, e in node.fixed_one:
        keep = closed[th][e]
        closed[th][:] = True
        closed[th][e] = keep
    for th, e in node.fixed_zero:
        closed[th][e] = True
    return closed


def _hopeful_events(
    game: SecurityGame, scale: float, attackable: list[np.ndarray], reach: int,
    incumbent: float,
) -> list[np.ndarray]:
    """Per type, the attackable targets (indices into ``attackable``) that may be attacked in
    an optimal solution. With standard payoffs, the best value against θ attacking j under
    the relaxed budget ``Σc <= reach`` (every implementable coverage satisfies it) bounds the
    true one; (θ, j) is dropped when that bound plus every other type's best cannot beat the
    incumbent (HBGS's subgame bounds, Jain et al. 2011)."""
    every = [np.arange(len(a)) for a in attackable]
    if incumbent == -INF:
        return every
    values = []
    for attacker, reach_t in zip(game.attacker_types, attackable, strict=True):
        dc, du = attacker.defender_covered * scale, attacker.defender_uncovered * scale
        ac, au = attacker.attacker_covered * scale, attacker.attacker_uncovered * scale
        if np.any(ac > au) or np.any(dc < du):
            return every
        values.append(best_value_if_attacked(dc, du, ac, au, reach, reach_t)[0])
    tops = np.array([v.max() for v in values])
    total = float(game.priors @ tops)
    kept = []
    for th, v in enumerate(values):
        hopeful = total - game.priors[th] * (tops[th] - v) >= incumbent * scale - PRUNE_TOLERANCE
        kept.append(np.flatnonzero(hopeful))
    return kept


def _apply_bounds(master: _Master, closed: list[np.ndarray]) -> None:
    u = len(master.union)
    upper = np.array([
        INF if col.artificial or not closed[col.attacker][col.event] else 0.0
        for col in master.columns
    ])
    index = u + np.arange(len(master.columns))
    master.model.set_column_bounds(index, np.zeros(len(index)), upper)


def _event_weights(master: _Master, x: np.ndarray) -> list[np.ndarray]:
    q = [np.zeros(len(a)) for a in master.attackable]
    for value, col in zip(x, master.columns, strict=True):
        if not col.artificial:
            q[col.attacker][col.event] += value
    return q


def _strategy(
    master: _Master, x: np.ndarray
) -> tuple[np.ndarray, tuple[tuple[float, tuple[int, ...]], ...]]:
    """The defender's mix (type 0's columns, aggregated by assignment) and its coverage."""
    weights: dict[tuple[int, ...], float] = {}
    for value, col in zip(x, master.columns, strict=True):
        if col.attacker == 0 and not col.artificial and value > 1e-12:
            weights[col.assignment] = weights.get(col.assignment, 0.0) + float(value)
    total = sum(weights.values())
    if total <= 0:
        return np.zeros(master.game.n_targets), ((1.0, ()),)
    mixed = tuple((w / total, a) for a, w in weights.items() if w / total > 1e-10)
    norm = sum(p for p, _ in mixed)
    mixed = tuple((p / norm, a) for p, a in mixed)
    coverage = np.zeros(master.game.n_targets)
    for p, assignment in mixed:
        coverage += p * master.space.cover(assignment)
    return np.clip(coverage, 0.0, 1.0), mixed
