"""What ASPEN need not look at: the targets an attacker type can never attack (below its
least attack level over implementable coverages, ORIGAMI's attack set generalized to
schedules) and the (type, target) events that cannot be part of an optimum (HBGS's subgame
bounds, Jain et al., AAMAS 2011)."""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from escolta.errors import SolverError
from escolta.games.attack_bounds import (
    PRUNE_TOLERANCE,
    attacker_floor,
    best_value_if_attacked,
)
from escolta.games.model import SecurityGame
from escolta.games.schedules.space import REDUCED_COST_TOLERANCE, PureStrategies, reach
from escolta.lp import HighsModel, LinearProgram, Status

INF = float("inf")


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
    relaxed = attacker_floor(covered, uncovered, reach(space))
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


def hopeful_events(
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
