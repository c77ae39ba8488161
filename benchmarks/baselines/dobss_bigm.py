"""The plain big-M DOBSS MILP for compact Bayesian security games: the baseline of
``bench_games_bayesian.py``.

DOBSS (Paruchuri et al., AAMAS 2008, MILP (4)) written over the compact coverage vector
instead of the leader's pure strategies (the normal-form DOBSS needs one variable per set of
m targets: C(15, 4) = 1,365 on 15 targets, and HiGHS does not finish it in ten minutes),
i.e. the "DOBSS for security games" of Kiekintveld et al. (AAMAS 2009, ERASER) and Casorrán
et al. (EJOR 2019), with one global big-M as in the papers ("M is some large number"):

    max  Σ_θ p_θ d_θ
    s.t. Σ_t c_t <= m,  0 <= c <= 1,  Σ_t q_θt = 1,  q_θt ∈ {0, 1}
         d_θ - U_d^θ(t, c) <= (1 - q_θt) M
         0 <= k_θ - U_a^θ(t, c) <= (1 - q_θt) M

Payoffs are scaled into [-1, 1] (as escolta's own MILPs do) and M = the payoff range + 1
(the smallest "plain" M that is valid for every row).
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from escolta.errors import SolverError
from escolta.games.evaluate import security_responses, security_value
from escolta.games.model import SecurityGame, Solution
from escolta.lp import LinearProgram, Status, solve


def dobss_bigm_program(game: SecurityGame) -> tuple[LinearProgram, float]:
    """The MILP above; columns ``[c (n) | d (T) | k (T) | q (T*n, type-major)]``."""
    n, types = game.n_targets, len(game.attacker_types)
    names = ("defender_covered", "defender_uncovered", "attacker_covered", "attacker_uncovered")
    dc, du, ac, au = (game.stacked(name) for name in names)
    scale = 1.0 / max(float(np.max(np.abs(x))) for x in (dc, du, ac, au))
    dc, du, ac, au = dc * scale, du * scale, ac * scale, au * scale
    every = np.concatenate([dc.ravel(), du.ravel(), ac.ravel(), au.ravel()])
    big_m = float(every.max() - every.min()) + 1.0
    d0, k0, q0 = n, n + types, n + 2 * types
    n_cols = q0 + types * n
    rows, cols, vals, lower, upper = [], [], [], [], []
    row = 0

    def add(entries: list[tuple[np.ndarray, np.ndarray]], lo: np.ndarray, hi: np.ndarray):
        nonlocal row
        count = len(lo)
        for col_idx, value in entries:
            rows.append(row + np.arange(count))
            cols.append(np.broadcast_to(col_idx, (count,)))
            vals.append(np.broadcast_to(value, (count,)))
        lower.append(lo)
        upper.append(hi)
        row += count

    targets = np.arange(n)
    for i in range(n):  # budget row, built as one row with n entries
        rows.append(np.array([row]))
        cols.append(np.array([i]))
        vals.append(np.array([1.0]))
    lower.append(np.array([-np.inf]))
    upper.append(np.array([float(game.resources)]))
    row += 1
    for th in range(types):
        q = q0 + th * n + targets
        for t in targets:
            rows.append(np.array([row]))
            cols.append(np.array([q[t]]))
            vals.append(np.array([1.0]))
        lower.append(np.ones(1))
        upper.append(np.ones(1))
        row += 1
        # d - (dc - du) c_t + M q_t <= du_t + M
        add([(np.full(n, d0 + th), 1.0), (targets, -(dc[th] - du[th])), (q, big_m)],
            np.full(n, -np.inf), du[th] + big_m)
        # k - (ac - au) c_t >= au_t
        add([(np.full(n, k0 + th), 1.0), (targets, -(ac[th] - au[th]))],
            au[th].copy(), np.full(n, np.inf))
        # k - (ac - au) c_t + M q_t <= au_t + M
        add([(np.full(n, k0 + th), 1.0), (targets, -(ac[th] - au[th])), (q, big_m)],
            np.full(n, -np.inf), au[th] + big_m)
    matrix = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(row, n_cols)
    )
    cost = np.zeros(n_cols)
    cost[d0:d0 + types] = game.priors
    col_lower = np.zeros(n_cols)
    col_upper = np.ones(n_cols)
    col_lower[d0:q0] = -np.inf
    col_upper[d0:q0] = np.inf
    integrality = np.zeros(n_cols, dtype=bool)
    integrality[q0:] = True
    program = LinearProgram(cost, matrix, np.concatenate(lower), np.concatenate(upper),
                            col_lower, col_upper, integrality, "max")
    return program, scale


def dobss_bigm_solve(game: SecurityGame, time_limit: float | None = None) -> Solution:
    """Solve the plain big-M DOBSS MILP with HiGHS (gap 1e-9, escolta.lp's default)."""
    started = time.perf_counter()
    program, scale = dobss_bigm_program(game)
    result = solve(program, time_limit=time_limit)
    if result.status not in (Status.OPTIMAL, Status.TIME_LIMIT) or result.x is None:
        raise SolverError(f"big-M DOBSS ended with status {result.status}")
    coverage = np.clip(result.x[: game.n_targets], 0.0, 1.0)
    responses = security_responses(game, coverage)
    return Solution(
        defender_value=float(result.objective) / scale,
        responses=responses,
        method="dobss_bigm",
        seconds=time.perf_counter() - started,
        status=str(result.status),
        coverage=coverage,
        bound=None if result.bound is None else result.bound / scale,
        params={"nodes": result.nodes,
                "evaluated_value": security_value(game, coverage, responses)},
    )
