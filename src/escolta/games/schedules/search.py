"""``aspen_solve``: ASPEN's branch and bound over the attacked targets, each node's master LP
solved to optimality by column generation (greedy pricing, then exact pricing to prove no
column improves), best bound first, with a time limit."""

from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass

import numpy as np

from escolta.errors import InputError, SolverError
from escolta.games.attack_bounds import PRUNE_TOLERANCE
from escolta.games.evaluate import coverage_solution, security_responses, security_value
from escolta.games.milp import payoff_scale
from escolta.games.model import SecurityGame, Solution
from escolta.games.progress import SolveProgress
from escolta.games.schedules.master import Master, apply_bounds, event_weights, strategy
from escolta.games.schedules.prune import attacker_level, hopeful_events
from escolta.games.schedules.space import pure_strategies, reach
from escolta.lp import Status

INF = float("inf")
INTEGRAL = 1e-7
"""An event weight within this of 0 or 1 counts as integral (no branching on it)."""


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
    reach_size = reach(space)
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
    events = hopeful_events(game, scale, attackable, reach_size, best_value)
    master = Master(game, space, attackable, events)
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
                apply_bounds(master, closed)
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
            coverage, mixed = strategy(master, x)
            value = security_value(game, coverage, security_responses(game, coverage))
            if value > best_value:
                best_value, best = value, (coverage, mixed)
            open_bound = max([bound, *(-h.priority for h in heap)]) / scale
            bar.update(time.perf_counter() - started, best_value, open_bound, nodes)
            if bound <= best_value * scale + PRUNE_TOLERANCE:
                continue
            q = event_weights(master, x)
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
    open_bound = max((-h.priority for h in heap), default=-INF) / scale
    return coverage_solution(
        game, coverage, method="aspen", started=started,
        open_bound=open_bound if timed_out else None, mixed_strategy=mixed,
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
