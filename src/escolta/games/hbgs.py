"""Exact Bayesian security games: branch and bound over attacker-type responses on a strong
(convex-hull) formulation, with ORIGAMI-style pruning of targets no type can ever attack.

The plain big-M MILP (DOBSS/ERASER, :mod:`escolta.games.milp`) has a weak LP relaxation, so
HiGHS explores thousands of nodes even on 15 targets. This solver follows the ideas of HBGS
(Jain, Kiekintveld, Tambe, AAMAS 2011) and HUNTER (Yin & Tambe, AAMAS 2012) — branch on the
attacked target of one type at a time, bound each node by a relaxation, prune — with the
node relaxation taken from the strong security-game formulation of Casorrán, Fortz, Labbé &
Ordóñez (EJOR 2019; the security-game projection of the MIP of Conitzer & Korzhyk 2011). For
each type θ and candidate target j, ``q_θj ∈ {0,1}`` marks "θ attacks j" and
``y_θij = c_i · q_θj`` is the coverage of target i *in the event* θ attacks j:

    max  Σ_θ p_θ Σ_j [ D^c_θj y_θjj + D^u_θj (q_θj − y_θjj) ]
    s.t. Σ_i c_i <= m,   0 <= c <= 1
         Σ_j q_θj = 1                                        for every θ
         Σ_j y_θij = c_i                                     for every θ, i ∈ J_θ
         Σ_i y_θij <= m q_θj,   0 <= y_θij <= q_θj           for every θ, j
         A^c_θj y_θjj + A^u_θj (q_θj − y_θjj)
             >= A^c_θl y_θlj + A^u_θl (q_θj − y_θlj)         for every θ, j ≠ l ∈ J_θ

For one type its LP relaxation is exact (it is the convex hull of the multiple-LPs method),
so the bound is as tight as HUNTER's convex-hull relaxation and far tighter than big-M.

Pruning (ORIGAMI's attack-set argument, Kiekintveld et al. 2009): whatever the coverage, the
attacker of type θ gets at least ``k*_θ = min_c max_t U_a^θ(t, c)``, the ORIGAMI level, so a
target whose best possible attacker payoff is below ``k*_θ`` is never attacked: it is left
out of ``J_θ`` (its best-response rows are implied). Once an incumbent is known, a target j
is also dropped for θ when even the best value the defender can get against θ attacking j
(one LP of Conitzer & Sandholm per (θ, j), solved in closed form) plus every other type's
single-type optimum cannot beat the incumbent (HBGS's bound from single-type subgames).

Branch and bound is best-first on one live HiGHS model (bounds changed, warm-started dual
simplex; a node taken from the queue restarts from its parent's saved basis, not from
whichever node was solved last, which saves about a third of the simplex iterations); every
node's coverage is evaluated exactly (strong Stackelberg responses) for an
incumbent. With ``time_limit`` the best incumbent is returned with the best open bound and
status ``time_limit``.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError, SolverError
from escolta.games.attack_bounds import (
    PRUNE_TOLERANCE,
    attacker_floor,
    best_value_if_attacked,
)
from escolta.games.coverage import coverage_block
from escolta.games.evaluate import (
    coverage_solution,
    security_responses,
    security_value,
    tie_tolerance,
)
from escolta.games.milp import payoff_scale, profile_program, solve_milp
from escolta.games.model import SecurityGame, Solution
from escolta.games.progress import PROGRESS_AFTER  # read at each solve: callers may change it
from escolta.games.progress import SolveProgress as _Progress
from escolta.lp import HighsModel, LinearProgram, Status, solve

INF = float("inf")
INTEGRAL = 1e-7
BRANCH_AND_CUT_ABOVE = 3000
"""Event columns (``q`` and ``y``) above which ``engine="auto"`` hands the strong formulation
to HiGHS's branch and cut instead of this module's branch and bound."""


@dataclass(frozen=True)
class _Payoffs:
    """The four payoff matrices, (types, targets), scaled into [-1, 1]."""

    prior: np.ndarray
    dc: np.ndarray
    du: np.ndarray
    ac: np.ndarray
    au: np.ndarray

    @property
    def standard(self) -> bool:
        return bool(np.all(self.ac <= self.au) and np.all(self.dc >= self.du))


def _payoffs(game: SecurityGame, scale: float) -> _Payoffs:
    return _Payoffs(
        prior=game.priors,
        dc=game.stacked("defender_covered") * scale,
        du=game.stacked("defender_uncovered") * scale,
        ac=game.stacked("attacker_covered") * scale,
        au=game.stacked("attacker_uncovered") * scale,
    )


def candidate_targets(payoffs: _Payoffs, resources: int) -> list[np.ndarray]:
    """For each type, the targets it may attack under some coverage (ORIGAMI pruning)."""
    candidates = []
    for th in range(len(payoffs.prior)):
        floor = attacker_floor(payoffs.ac[th], payoffs.au[th], resources)
        best = np.maximum(payoffs.ac[th], payoffs.au[th])
        candidates.append(np.flatnonzero(best >= floor - PRUNE_TOLERANCE))
    return candidates


@dataclass(frozen=True)
class _Layout:
    """Column positions of the strong formulation.

    Per type: ``attackable`` targets (those the type may ever prefer; its best-response and
    linking rows run over them) and the ``allowed`` subset that may still be the attacked
    one in an optimal solution (those get a ``q`` column and an event block of ``y``).
    """

    n_targets: int
    attackable: tuple[np.ndarray, ...]
    allowed: tuple[np.ndarray, ...]
    q_start: tuple[int, ...]
    y_start: tuple[int, ...]
    n_columns: int

    def q(self, th: int) -> np.ndarray:
        return self.q_start[th] + np.arange(len(self.allowed[th]))

    @property
    def all_q(self) -> np.ndarray:
        return np.concatenate([self.q(th) for th in range(len(self.allowed))])


def _layout(
    n_targets: int, attackable: Sequence[np.ndarray], allowed: Sequence[np.ndarray]
) -> _Layout:
    column = n_targets
    q_start, y_start = [], []
    for reach, keep in zip(attackable, allowed, strict=True):
        q_start.append(column)
        column += len(keep)
        y_start.append(column)
        column += len(reach) * len(keep)
    return _Layout(n_targets, tuple(attackable), tuple(allowed), tuple(q_start),
                   tuple(y_start), column)


def strong_program(
    payoffs: _Payoffs, resources: int, layout: _Layout, caps: bool = True
) -> LinearProgram:
    """The LP relaxation of the module docstring's formulation (``q`` continuous in [0, 1]).

    Columns: ``c`` (n), then per type ``q`` (r allowed targets) and ``y`` (k x r, ``y[a, b]``
    = coverage of attackable target a in the event allowed target b is attacked,
    row-major). Rows: the budget, then per type the choice row, k linking rows, r budget rows,
    k r ``y <= q`` rows and the best-response rows (b against every attackable a ≠ b).
    """
    n = layout.n_targets
    rows: list[np.ndarray] = [np.zeros(n, dtype=np.int64)]
    cols: list[np.ndarray] = [np.arange(n)]
    vals: list[np.ndarray] = [np.ones(n)]
    lower: list[np.ndarray] = [np.array([-INF])]
    upper: list[np.ndarray] = [np.array([float(resources)])]
    cost = np.zeros(layout.n_columns)
    row = 1
    for th, (reach, keep) in enumerate(zip(layout.attackable, layout.allowed, strict=True)):
        k, r = len(reach), len(keep)
        q = layout.q(th)
        y = layout.y_start[th] + np.arange(k * r).reshape(k, r)  # y[a, b]
        a_idx, b_idx = np.meshgrid(np.arange(k), np.arange(r), indexing="ij")
        # choice: Σ_b q_b = 1
        rows.append(np.full(r, row))
        cols.append(q)
        vals.append(np.ones(r))
        lower.append(np.ones(1))
        upper.append(np.ones(1))
        row += 1
        # linking: Σ_b y[a, b] - c_{reach[a]} = 0
        rows += [row + a_idx.ravel(), row + np.arange(k)]
        cols += [y.ravel(), reach]
        vals += [np.ones(k * r), -np.ones(k)]
        lower.append(np.zeros(k))
        upper.append(np.zeros(k))
        row += k
        # budget per event: Σ_a y[a, b] - m q_b <= 0
        rows += [row + b_idx.ravel(), row + np.arange(r)]
        cols += [y.ravel(), q]
        vals += [np.ones(k * r), np.full(r, -float(resources))]
        lower.append(np.full(r, -INF))
        upper.append(np.zeros(r))
        row += r
        # y[a, b] - q_b <= 0
        if caps:
            rows += [row + np.arange(k * r), row + np.arange(k * r)]
            cols += [y.ravel(), q[b_idx.ravel()]]
            vals += [np.ones(k * r), -np.ones(k * r)]
            lower.append(np.full(k * r, -INF))
            upper.append(np.zeros(k * r))
            row += k * r
        # best response in the event b is attacked, against every other attackable a:
        # (ac_b - au_b) y[b,b] + (au_b - au_a) q_b - (ac_a - au_a) y[a,b] >= 0
        self_row = np.searchsorted(reach, keep)  # row of y holding target keep[b]
        a_all, b_all = a_idx.ravel(), b_idx.ravel()
        off = reach[a_all] != keep[b_all]
        a_o, b_o = a_all[off], b_all[off]
        ja, jb = reach[a_o], keep[b_o]
        ac, au = payoffs.ac[th], payoffs.au[th]
        count = len(a_o)
        rr = row + np.arange(count)
        rows += [rr, rr, rr]
        cols += [y[self_row[b_o], b_o], q[b_o], y[a_o, b_o]]
        vals += [ac[jb] - au[jb], au[jb] - au[ja], -(ac[ja] - au[ja])]
        lower.append(np.zeros(count))
        upper.append(np.full(count, INF))
        row += count
        # objective: p (dc_b - du_b) y[b,b] + p du_b q_b
        diag = y[self_row, np.arange(r)]
        cost[diag] += payoffs.prior[th] * (payoffs.dc[th, keep] - payoffs.du[th, keep])
        cost[q] += payoffs.prior[th] * payoffs.du[th, keep]
    matrix = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(row, layout.n_columns),
    )
    return LinearProgram(
        c=cost, A=matrix, row_lower=np.concatenate(lower), row_upper=np.concatenate(upper),
        col_lower=np.zeros(layout.n_columns), col_upper=np.ones(layout.n_columns), sense="max",
    )


@dataclass(order=True)
class _Node:
    priority: float  # -bound, so the heap pops the best bound first
    serial: int
    fixed_one: tuple[tuple[int, int], ...]  # (type, q column) forced to 1
    fixed_zero: tuple[int, ...]  # q columns forced to 0
    basis: object = field(default=None, compare=False)  # the parent's, to restart from


def _check(game: SecurityGame) -> None:
    if not isinstance(game, SecurityGame):
        raise InputError("method", "hbgs", "needs a security game")
    if game.schedules is not None:
        raise InputError("method", "hbgs", "does not handle schedules (use aspen)")


def hbgs_solve(
    game: SecurityGame, time_limit: float | None = None, *, progress: bool = True,
    plunge: bool = True, engine: str = "auto",
) -> Solution:
    """Strong Stackelberg equilibrium of a compact Bayesian security game, exactly.

    Parameters
    ----------
    game
        A security game without schedules, any number of attacker types.
    time_limit
        Seconds. On expiry the best coverage found is returned with ``status="time_limit"``
        and ``bound`` the best bound of the open nodes.
    progress
        Show a Rich progress bar on stderr when the solve lasts more than a second.
    plunge
        Dive depth-first into the child that fixes a type's attack before returning to
        best-bound order (cheaper warm starts).
    engine
        ``"own"``: this module's branch and bound (fast on small models: no presolve, cuts
        or heuristics to pay for); ``"highs"``: HiGHS's branch and cut on the same strong
        formulation (its cuts close the gap of large models in a few nodes); ``"auto"``
        (default): HiGHS once the formulation has more than
        :data:`BRANCH_AND_CUT_ABOVE` event columns.

    Returns
    -------
    Solution
        ``method="hbgs"``; ``params`` records nodes explored and candidate targets per type.

    Examples
    --------
    >>> from escolta.games.loader import load
    >>> game = load({"kind": "security", "resources": 1, "targets": ["a", "b"],
    ...     "attacker_types": [{"name": "x", "prior": 1,
    ...         "defender": {"covered": [0, 0], "uncovered": [-10, -5]},
    ...         "attacker": {"covered": [0, 0], "uncovered": [10, 5]}}]})
    >>> round(hbgs_solve(game).defender_value, 6)
    -3.333333
    """
    started = time.perf_counter()
    _check(game)
    if engine not in ("auto", "own", "highs"):
        raise InputError("engine", engine, "must be auto, own or highs")
    deadline = None if time_limit is None else started + time_limit
    scale = payoff_scale(game)
    payoffs = _payoffs(game, scale)
    resources = min(game.resources, game.n_targets)
    types = len(game.attacker_types)
    attackable = candidate_targets(payoffs, resources)
    candidates = attackable

    best_value = -INF
    best_coverage = np.zeros(game.n_targets)

    evaluate = _evaluator(game)

    def consider(coverage: np.ndarray) -> None:
        nonlocal best_value, best_coverage
        coverage = np.clip(coverage, 0.0, 1.0)
        value = evaluate(coverage)
        if value > best_value:
            best_value, best_coverage = value, coverage

    # HBGS's single-type subgames: each type's best value per attacked target gives a bound,
    # and each type's own optimal coverage is a first incumbent for all types together.
    single: list[np.ndarray] | None = None
    if payoffs.standard:
        owner = np.concatenate([np.full(len(c), th) for th, c in enumerate(candidates)])
        targets = np.concatenate(candidates)
        values, coverages = best_value_if_attacked(
            payoffs.dc[owner], payoffs.du[owner], payoffs.ac[owner], payoffs.au[owner],
            resources, targets,
        )
        single = [values[owner == th] for th in range(types)]
        for th in range(types):
            mine = np.flatnonzero(owner == th)
            for r in mine[np.argsort(values[mine])[::-1][:2]]:
                if values[r] > -INF:
                    consider(coverages[r])
        candidates = _prune_by_incumbent(payoffs.prior, candidates, single, best_value * scale)
        single = [s[np.isin(c, k)] for s, c, k in
                  zip(single, attackable, candidates, strict=True)]

    layout = _layout(game.n_targets, attackable, candidates)
    program = strong_program(payoffs, resources, layout)
    size = layout.n_columns - game.n_targets
    if engine == "highs" or (engine == "auto" and size > BRANCH_AND_CUT_ABOVE):
        return _branch_and_cut(game, program, layout, scale, best_value, best_coverage,
                               started, time_limit, progress)
    model = HighsModel(program)
    model.set_option("presolve", "off")  # small and already reduced; nodes start warm anyway
    all_q = layout.all_q
    q_owner = np.concatenate([np.full(len(layout.allowed[th]), th) for th in range(types)])
    position = {int(col): i for i, col in enumerate(all_q)}
    base_upper = np.ones(len(all_q))
    single_flat = None if single is None else np.concatenate(single)
    pruned_at = best_value

    def prune_more() -> None:
        """Close the q columns the improved incumbent rules out (single-type bound)."""
        nonlocal pruned_at
        if single_flat is None or best_value <= pruned_at:
            return
        tops = np.array([v.max() for v in single])
        total = float(payoffs.prior @ tops)
        hopeless = total - payoffs.prior[q_owner] * (tops[q_owner] - single_flat) < (
            best_value * scale - PRUNE_TOLERANCE
        )
        base_upper[hopeless] = 0.0
        pruned_at = best_value

    bar = _Progress(time_limit, progress, after=PROGRESS_AFTER)
    counter = itertools.count()
    heap = [_Node(-INF, next(counter), (), ())]
    dive: _Node | None = None
    nodes = 0
    timed_out = False
    root_bound = INF
    try:
        while heap or dive is not None:
            if deadline is not None and time.perf_counter() >= deadline:
                if dive is not None:
                    heapq.heappush(heap, dive)
                timed_out = True
                break
            restored = None
            if dive is not None:
                node, dive = dive, None
            else:
                node = heapq.heappop(heap)
                restored = node.basis
            parent_bound = -node.priority
            if parent_bound <= best_value * scale + PRUNE_TOLERANCE:
                continue
            upper = base_upper.copy()
            lower = np.zeros(len(all_q))
            for col in node.fixed_zero:
                upper[position[col]] = 0.0
            for _, col in node.fixed_one:
                lower[position[col]] = 1.0
            model.set_column_bounds(all_q, lower, upper)
            if restored is not None:
                model.set_basis(restored)
            result = model.solve()
            nodes += 1
            if result.status is Status.INFEASIBLE:
                continue
            if result.status is not Status.OPTIMAL:
                raise SolverError(f"hbgs node LP ended with status {result.status}")
            bound = float(result.objective)
            if nodes == 1:
                root_bound = bound
            x = result.x
            consider(x[: game.n_targets])
            prune_more()
            bar.update(time.perf_counter() - started, best_value,
                       max([bound / scale, *(-h.priority / scale for h in heap)]), nodes)
            if bound <= best_value * scale + PRUNE_TOLERANCE:
                continue
            q = x[all_q]
            fractional = np.minimum(q, 1.0 - q)
            if fractional.max() <= INTEGRAL:
                continue  # integral: its coverage was evaluated exactly above
            # reduced-cost fixing: setting q from 0 to 1 costs at least -reduced cost
            # (LP duality), so columns whose cost exceeds the gap stay 0 in this subtree
            reduced = result.col_duals[all_q]
            gap = bound - (best_value * scale - PRUNE_TOLERANCE)
            closed = np.flatnonzero((q <= INTEGRAL) & (reduced < -gap) & (upper > 0.0))
            fixed_zero = node.fixed_zero + tuple(int(all_q[i]) for i in closed)
            node = _Node(node.priority, node.serial, node.fixed_one, fixed_zero, node.basis)
            # branch on the type whose attack is least decided, at its likeliest target
            peak = np.zeros(types)
            np.maximum.at(peak, q_owner, q)
            th = int(np.argmin(np.where(peak < 1.0 - INTEGRAL, peak, INF)))
            mine = np.flatnonzero(q_owner == th)
            choice = int(mine[np.argmax(q[mine])])
            col = int(all_q[choice])
            siblings = tuple(int(all_q[i]) for i in mine if i != choice)
            attack = _Node(-bound, next(counter), (*node.fixed_one, (th, col)),
                           node.fixed_zero + siblings)
            heapq.heappush(heap, _Node(-bound, next(counter), node.fixed_one,
                                       (*node.fixed_zero, col),
                                       model.basis()))
            # plunge: the child is solved next, warm from this basis (depth first until the
            # dive is pruned, then best bound first)
            if plunge:
                dive = attack
            else:
                heapq.heappush(heap, attack)
    finally:
        bar.close()

    open_bound = max((-h.priority for h in heap), default=-INF)
    coverage = best_coverage
    if not timed_out:
        coverage = _polish(game, coverage, security_responses(game, coverage))
    return coverage_solution(
        game, coverage, method="hbgs", started=started,
        open_bound=open_bound / scale if timed_out else None,
        params={
            "nodes": nodes,
            "engine": "own branch and bound",
            "attackable": [len(c) for c in layout.attackable],
            "allowed": [len(c) for c in layout.allowed],
            "root_bound": root_bound / scale if root_bound < INF else None,
        },
    )


def _branch_and_cut(
    game: SecurityGame, program: LinearProgram, layout: _Layout, scale: float,
    best_value: float, best_coverage: np.ndarray, started: float,
    time_limit: float | None, progress: bool,
) -> Solution:
    """Solve the strong formulation as a MILP with HiGHS (branch and cut); keep the better of
    its solution and the heuristic incumbent."""
    integrality = np.zeros(layout.n_columns, dtype=bool)
    integrality[layout.all_q] = True
    milp = LinearProgram(program.c, program.A, program.row_lower, program.row_upper,
                         program.col_lower, program.col_upper, integrality, "max")
    remaining = None if time_limit is None else max(1e-3, time_limit - (
        time.perf_counter() - started))
    bar = _Progress(time_limit, progress, after=PROGRESS_AFTER)
    bar.update(PROGRESS_AFTER, best_value, INF, 0)
    try:
        result = solve_milp(milp, remaining)
    finally:
        bar.close()
    if result.status not in (Status.OPTIMAL, Status.TIME_LIMIT):
        raise SolverError(f"hbgs branch and cut ended with status {result.status}")
    coverage = best_coverage
    if result.x is not None:
        candidate = np.clip(result.x[: game.n_targets], 0.0, 1.0)
        value = security_value(game, candidate, security_responses(game, candidate))
        if value > best_value:
            coverage = candidate
    optimal = result.status is Status.OPTIMAL
    if optimal:
        coverage = _polish(game, coverage, security_responses(game, coverage))
    open_bound = -INF if result.bound is None else result.bound / scale
    return coverage_solution(
        game, coverage, method="hbgs", started=started,
        open_bound=None if optimal else open_bound,
        params={"engine": "highs branch and cut", "nodes": result.nodes,
                "attackable": [len(c) for c in layout.attackable],
                "allowed": [len(c) for c in layout.allowed]},
    )


def _evaluator(game: SecurityGame) -> Callable[[np.ndarray], float]:
    """``coverage -> Σ_θ p_θ U_d^θ(t_θ, c)`` with strong Stackelberg responses, as
    :func:`security_value` of :func:`security_responses` but over stacked arrays (it runs at
    every node)."""
    dc, du, ac, au = (game.stacked(name) for name in (
        "defender_covered", "defender_uncovered", "attacker_covered", "attacker_uncovered"))
    tolerance = np.array([tie_tolerance(a.attacker_covered, a.attacker_uncovered)
                          for a in game.attacker_types])[:, None]
    prior = game.priors
    types = np.arange(len(prior))

    def value(coverage: np.ndarray) -> float:
        attacker = coverage * ac + (1.0 - coverage) * au
        defender = coverage * dc + (1.0 - coverage) * du
        best = attacker.max(axis=1, keepdims=True)
        chosen = np.argmax(np.where(attacker >= best - tolerance, defender, -INF), axis=1)
        return float(prior @ defender[types, chosen])

    return value


def _prune_by_incumbent(
    prior: np.ndarray, candidates: list[np.ndarray], single: list[np.ndarray], incumbent: float
) -> list[np.ndarray]:
    """Keep (θ, j) only if θ attacking j, with every other type at its single-type optimum,
    could still beat the incumbent (HBGS, Jain et al. 2011, bounds from subgames)."""
    tops = np.array([v.max() for v in single])
    total = float(prior @ tops)
    kept = []
    for th, (cand, values) in enumerate(zip(candidates, single, strict=True)):
        hopeful = total - prior[th] * (tops[th] - values) >= incumbent - PRUNE_TOLERANCE
        kept.append(cand[hopeful])
    return kept


def _polish(game: SecurityGame, coverage: np.ndarray, responses: dict[str, int]) -> np.ndarray:
    """Re-solve the LP of the final response profile (exact rows, no tolerance slack); keep
    the polished coverage only if it is at least as good."""
    block = coverage_block(game, "hbgs")
    profile = [responses[a.name] for a in game.attacker_types]
    result = solve(profile_program(game, block, profile, payoff_scale(game)))
    if result.status is not Status.OPTIMAL:
        return coverage
    polished = np.clip(result.x[: game.n_targets], 0.0, 1.0)
    old = security_value(game, coverage, responses)
    new = security_value(game, polished, security_responses(game, polished))
    return polished if new >= old - 1e-12 else coverage
