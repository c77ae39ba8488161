"""Exact mixed-integer program for compact Bayesian security games (the DOBSS family).

DOBSS (Paruchuri et al., AAMAS 2008) linearizes the product of the leader's strategy and the
follower's choice with variables ``z = x q``; on the compact form (the "SDOBSS"-type
formulations of Casorrán et al., *A study of general and security Stackelberg game
formulations*, EJOR 2019) the product is of the coverage and the attacked target:
``y_θij`` is the coverage of target i *and* type θ attacking j (``= c_i q_θj``). Then

    max  Σ_θ p_θ Σ_j (U_d^u(j) q_θj + (U_d^c(j) - U_d^u(j)) y_θjj)
    s.t. Σ_j q_θj = 1,  q_θj ∈ {0, 1}
         Σ_j y_θij = c_i,   y_θjj <= q_θj,   Σ_i y_θij <= K q_θj
         Δ_j y_θjj + U_a^u(j) q_θj >= Δ_i y_θij + U_a^u(i) q_θj     (i ≠ j)
         c implementable: Σ_t c_t <= m, 0 <= c <= 1 (or by schedules)

with ``Δ = U_a^c - U_a^u`` and K the most coverage a pure assignment reaches. When
``q_θj = 1`` the column ``y_θ·j`` is the coverage itself and the last row says that j is a
best response (ties allowed, so the objective picks the defender's favourite: strong
Stackelberg). No big-M constant is needed; for one type the LP relaxation is the convex hull
of Conitzer & Sandholm's one-LP-per-target method, so HiGHS usually closes the gap at the
root where the big-M ERASER formulation (Kiekintveld et al. 2009) branches for long.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError, SolverError
from escolta.games.coverage import CoverageBlock, coverage_block
from escolta.games.evaluate import (
    clean_coverage,
    coverage_solution,
)
from escolta.games.model import AttackerType, SecurityGame, Solution
from escolta.lp import LinearProgram, LPResult, Status, solve


def payoff_scale(game: SecurityGame) -> float:
    """1 / the largest absolute payoff: programs are built on payoffs scaled into [-1, 1],
    where HiGHS's absolute feasibility tolerances behave (at scale 10 it sometimes rejects
    its own MILP optimum)."""
    largest = max(
        float(np.max(np.abs(game.stacked(name))))
        for name in ("defender_covered", "defender_uncovered", "attacker_covered",
                     "attacker_uncovered")
    )
    return 1.0 / largest if largest > 0 else 1.0


STRONG_FORMULATION_LIMIT = 20_000
"""The joint (``y``) formulation is used while types × targets² stays below this."""


def milp_program(
    game: SecurityGame, block: CoverageBlock, scale: float = 1.0
) -> LinearProgram:
    """The MILP of the module docstring; columns ``[coverage block | q | y]``.

    ``q[θ*n + j]`` marks type θ attacking j; ``y[θ*n*n + i*n + j]`` is the coverage of
    target i jointly with θ attacking j. Payoffs are multiplied by ``scale``.
    """
    n, types = game.n_targets, len(game.attacker_types)
    base = block.n_columns
    q0, y0 = base, base + types * n
    n_cols = y0 + types * n * n
    most = _most_coverage(game)
    targets = np.arange(n)
    covered, attacked = (a.ravel() for a in np.meshgrid(targets, targets, indexing="ij"))
    off = covered != attacked
    rivals, chosen = covered[off], attacked[off]

    rows, cols, vals, lower, upper = [], [], [], [], []
    row = 0
    cost = np.zeros(n_cols)

    def add(block_rows, block_cols, values, lo, hi) -> None:
        nonlocal row
        height = len(lo)
        rows.append(row + np.asarray(block_rows))
        cols.append(np.asarray(block_cols))
        vals.append(np.asarray(values, dtype=float))
        lower.append(np.asarray(lo, dtype=float))
        upper.append(np.asarray(hi, dtype=float))
        row += height

    for k, attacker in enumerate(game.attacker_types):
        attacker = _scaled(attacker, scale)
        q = q0 + k * n
        y = y0 + k * n * n
        # Σ_j q_θj = 1
        add(np.zeros(n), q + targets, np.ones(n), [1.0], [1.0])
        # Σ_j y_θij = c_i: the joint coverage adds up to the coverage
        add(np.concatenate([covered, targets]),
            np.concatenate([y + covered * n + attacked, targets]),
            np.concatenate([np.ones(n * n), -np.ones(n)]), np.zeros(n), np.zeros(n))
        # Σ_i y_θij <= K q_θj and y_θjj <= q_θj: no coverage mass where θ does not attack
        add(np.concatenate([attacked, targets]),
            np.concatenate([y + covered * n + attacked, q + targets]),
            np.concatenate([np.ones(n * n), np.full(n, -most)]),
            np.full(n, -np.inf), np.zeros(n))
        add(np.concatenate([targets, targets]),
            np.concatenate([y + targets * n + targets, q + targets]),
            np.concatenate([np.ones(n), -np.ones(n)]), np.full(n, -np.inf), np.zeros(n))
        # U_a(j) >= U_a(i) given θ attacks j, multiplied through by q_θj:
        # Δ_j y_θjj + U^u_j q_θj >= Δ_i y_θij + U^u_i q_θj
        slope = attacker.attacker_covered - attacker.attacker_uncovered
        uncovered = attacker.attacker_uncovered
        pairs = np.arange(len(rivals))
        add(np.concatenate([pairs, pairs, pairs]),
            np.concatenate([y + chosen * n + chosen, q + chosen, y + rivals * n + chosen]),
            np.concatenate([slope[chosen], uncovered[chosen] - uncovered[rivals],
                            -slope[rivals]]),
            np.zeros(len(pairs)), np.full(len(pairs), np.inf))
        # objective: p_θ (U_d^u(j) q_θj + (U_d^c(j) - U_d^u(j)) y_θjj)
        cost[q + targets] += attacker.prior * attacker.defender_uncovered
        cost[y + targets * n + targets] += attacker.prior * (
            attacker.defender_covered - attacker.defender_uncovered
        )
    typed = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(row, n_cols),
    )
    integrality = np.zeros(n_cols, dtype=bool)
    integrality[q0:y0] = True
    return LinearProgram(
        c=cost,
        A=sp.vstack([block.widen(n_cols - base), typed], format="csr"),
        row_lower=np.concatenate([block.row_lower, *lower]),
        row_upper=np.concatenate([block.row_upper, *upper]),
        col_lower=np.concatenate([block.col_lower, np.zeros(n_cols - base)]),
        col_upper=np.concatenate([block.col_upper, np.ones(n_cols - base)]),
        integrality=integrality,
        sense="max",
    )


def big_m_program(
    game: SecurityGame, block: CoverageBlock, scale: float = 1.0
) -> LinearProgram:
    """ERASER's big-M MILP (Kiekintveld et al., AAMAS 2009, equations (1)–(8), with the
    Bayesian objective of DOBSS); columns ``[coverage block | q | a | d]``.

    ``a_θ`` is type θ's best attacker utility, ``d_θ`` the defender's utility against θ:

        0 <= a_θ - U_a^θ(t, c) <= (1 - q_θt) M^a_θt,   d_θ - U_d^θ(t, c) <= (1 - q_θt) M^d_θt

    with ``M^a_θt = max_t' max U_a^θ(t') - min U_a^θ(t)`` (likewise for the defender) and
    ``a_θ``, ``d_θ`` bounded to the same ranges, so no feasible point is cut off. O(n) rows
    per type: used when the joint formulation's O(n²) is too large.
    """
    n, types = game.n_targets, len(game.attacker_types)
    base = block.n_columns
    q0, a0, d0 = base, base + types * n, base + types * n + types
    n_cols = d0 + types

    rows, cols, vals, lower, upper = [], [], [], [], []
    row = 0

    def add(r_idx, c_idx, v):
        rows.append(np.asarray(r_idx))
        cols.append(np.asarray(c_idx))
        vals.append(np.asarray(v, dtype=float))

    targets = np.arange(n)
    col_lo = np.concatenate([block.col_lower, np.zeros(types * n), np.zeros(2 * types)])
    col_hi = np.concatenate([block.col_upper, np.ones(types * n), np.zeros(2 * types)])
    for k, attacker in enumerate(game.attacker_types):
        attacker = _scaled(attacker, scale)
        slope_a = attacker.attacker_covered - attacker.attacker_uncovered
        slope_d = attacker.defender_covered - attacker.defender_uncovered
        low_a = np.minimum(attacker.attacker_covered, attacker.attacker_uncovered)
        high_a = np.maximum(attacker.attacker_covered, attacker.attacker_uncovered)
        low_d = np.minimum(attacker.defender_covered, attacker.defender_uncovered)
        high_d = np.maximum(attacker.defender_covered, attacker.defender_uncovered)
        big_a = high_a.max() - low_a
        big_d = high_d.max() - low_d
        col_lo[a0 + k], col_hi[a0 + k] = low_a.max(), high_a.max()
        col_lo[d0 + k], col_hi[d0 + k] = low_d.min(), high_d.max()
        q = q0 + k * n + targets
        # (i) a_θ - slope_a c_t >= U_a^u                          (a_θ is at least U_a(t, c))
        r = row + targets
        add(r, np.full(n, a0 + k), np.ones(n))
        add(r, targets, -slope_a)
        lower.append(attacker.attacker_uncovered)
        upper.append(np.full(n, np.inf))
        row += n
        # (ii) a_θ - slope_a c_t + M q_t <= M + U_a^u             (equality where q_t = 1)
        r = row + targets
        add(r, np.full(n, a0 + k), np.ones(n))
        add(r, targets, -slope_a)
        add(r, q, big_a)
        lower.append(np.full(n, -np.inf))
        upper.append(big_a + attacker.attacker_uncovered)
        row += n
        # (iii) d_θ - slope_d c_t + M q_t <= M + U_d^u             (d_θ is the attacked value)
        r = row + targets
        add(r, np.full(n, d0 + k), np.ones(n))
        add(r, targets, -slope_d)
        add(r, q, big_d)
        lower.append(np.full(n, -np.inf))
        upper.append(big_d + attacker.defender_uncovered)
        row += n
        # (iv) Σ_t q_θt = 1
        add(np.full(n, row), q, np.ones(n))
        lower.append(np.ones(1))
        upper.append(np.ones(1))
        row += 1
    typed = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(row, n_cols),
    )
    A = sp.vstack([block.widen(n_cols - base), typed], format="csr")
    c = np.zeros(n_cols)
    c[d0:] = game.priors
    integrality = np.zeros(n_cols, dtype=bool)
    integrality[q0:a0] = True
    return LinearProgram(
        c=c,
        A=A,
        row_lower=np.concatenate([block.row_lower, *lower]),
        row_upper=np.concatenate([block.row_upper, *upper]),
        col_lower=col_lo,
        col_upper=col_hi,
        integrality=integrality,
        sense="max",
    )


def _most_coverage(game: SecurityGame) -> float:
    """The largest total coverage any pure assignment reaches (bounds Σ_i y_θij)."""
    if game.schedules is None:
        return float(min(game.resources, game.n_targets))
    sizes = sorted((len(s) for s in game.schedules), reverse=True)
    return float(min(game.n_targets, sum(sizes[: game.resources])))


def profile_program(
    game: SecurityGame, block: CoverageBlock, profile: Sequence[int], scale: float = 1.0
) -> LinearProgram:
    """The LP for a fixed response profile: type θ attacks ``profile[θ]``.

    ``max Σ_θ p_θ U_d^θ(t_θ, c)`` subject to ``U_a^θ(t_θ, c) >= U_a^θ(t', c)`` for every type
    and target and ``c`` implementable (Conitzer & Sandholm, EC 2006, one LP per follower
    response, applied to the compact form). Its objective omits the constant
    ``Σ_θ p_θ U_d^θ,u(t_θ)``; the columns are the coverage block's; payoffs are multiplied
    by ``scale``.
    """
    n, base = game.n_targets, block.n_columns
    targets = np.arange(n)
    blocks, lower = [], []
    cost = np.zeros(base)
    for attacker, attacked in zip(game.attacker_types, profile, strict=True):
        attacker = _scaled(attacker, scale)
        slope_a = attacker.attacker_covered - attacker.attacker_uncovered
        others = targets[targets != attacked]
        k = len(others)
        rows = np.concatenate([np.arange(k), np.arange(k)])
        cols = np.concatenate([np.full(k, attacked), others])
        vals = np.concatenate([np.full(k, slope_a[attacked]), -slope_a[others]])
        blocks.append(sp.csr_matrix((vals, (rows, cols)), shape=(k, base)))
        lower.append(attacker.attacker_uncovered[others] - attacker.attacker_uncovered[attacked])
        cost[attacked] += attacker.prior * (
            attacker.defender_covered[attacked] - attacker.defender_uncovered[attacked]
        )
    best_response = sp.vstack(blocks, format="csr")
    return LinearProgram(
        c=cost,
        A=sp.vstack([block.rows, best_response], format="csr"),
        row_lower=np.concatenate([block.row_lower, *lower]),
        row_upper=np.concatenate([block.row_upper, np.full(best_response.shape[0], np.inf)]),
        col_lower=block.col_lower,
        col_upper=block.col_upper,
        sense="max",
    )


def _scaled(attacker: AttackerType, scale: float) -> AttackerType:
    if scale == 1.0:
        return attacker
    return AttackerType(
        name=attacker.name,
        prior=attacker.prior,
        defender_covered=attacker.defender_covered * scale,
        defender_uncovered=attacker.defender_uncovered * scale,
        attacker_covered=attacker.attacker_covered * scale,
        attacker_uncovered=attacker.attacker_uncovered * scale,
    )


def polish(
    game: SecurityGame, block: CoverageBlock, profile: Sequence[int]
) -> np.ndarray | None:
    """Re-solve the LP of a response profile for a clean solution vector (``None`` if HiGHS
    finds the profile infeasible, which only happens for tolerance-level violations)."""
    result = solve(profile_program(game, block, profile, payoff_scale(game)))
    if result.status is not Status.OPTIMAL:
        return None
    return result.x


def milp_solve(
    game: SecurityGame, time_limit: float | None = None, formulation: str = "auto"
) -> Solution:
    """Strong Stackelberg equilibrium of a compact security game with any number of attacker
    types (and schedules, when few enough to enumerate) by the MILP of the module docstring.

    Parameters
    ----------
    game
        A security game.
    time_limit
        Seconds (building included). On expiry the solution is the incumbent (or, if HiGHS
        has none, zero coverage) with ``status="time_limit"`` and ``bound`` the MILP's dual
        bound (or the trivial bound if HiGHS has none yet).
    formulation
        ``"joint"`` (the module docstring's, O(types × n²) variables, tight), ``"big_m"``
        (:func:`big_m_program`, O(types × n)), or ``"auto"``: joint while types × n² is at
        most :data:`STRONG_FORMULATION_LIMIT`.

    Returns
    -------
    Solution
        ``coverage``, each type's attacked target, ``mixed_strategy`` for schedule games.

    Examples
    --------
    >>> from escolta.games.loader import load
    >>> game = load({"kind": "security", "resources": 1, "targets": ["a", "b"],
    ...     "attacker_types": [{"name": "x", "prior": 1,
    ...         "defender": {"covered": [0, 0], "uncovered": [-10, -5]},
    ...         "attacker": {"covered": [0, 0], "uncovered": [10, 5]}}]})
    >>> round(milp_solve(game).defender_value, 6)
    -3.333333
    """
    started = time.perf_counter()
    if formulation not in ("auto", "joint", "big_m"):
        raise InputError("formulation", formulation, "expected auto, joint or big_m")
    block = coverage_block(game, "milp")
    scale = payoff_scale(game)
    n, types = game.n_targets, len(game.attacker_types)
    joint = types * n * n <= STRONG_FORMULATION_LIMIT if formulation == "auto" else (
        formulation == "joint"
    )
    program = (milp_program if joint else big_m_program)(game, block, scale)
    if time_limit is not None:  # building counts against the limit
        time_limit = max(0.01, time_limit - (time.perf_counter() - started))
    result = solve_milp(program, time_limit)
    if result.status not in (Status.OPTIMAL, Status.TIME_LIMIT):
        raise SolverError(f"security MILP ended with status {result.status}")
    if result.x is not None:
        x = result.x
        coverage = np.clip(x[:n], 0.0, 1.0)
        q = x[block.n_columns : block.n_columns + types * n].reshape(types, n)
        profile = [int(np.argmax(q[k])) for k in range(types)]
        responses = {a.name: t for a, t in zip(game.attacker_types, profile, strict=True)}
        if result.status is Status.OPTIMAL:
            # the MILP meets rows to HiGHS's feasibility tolerance; the profile's LP is exact
            clean = polish(game, block, profile)
            if clean is not None:
                x = clean
                coverage = np.clip(x[:n], 0.0, 1.0)
        mixed = block.mixed_strategy(x)
    else:
        coverage = np.zeros(n)
        responses = None
        mixed = None
    coverage = clean_coverage(coverage, game.resources) if game.schedules is None else coverage
    return coverage_solution(
        game, coverage, method="milp", started=started, responses=responses,
        open_bound=None if result.status is Status.OPTIMAL else _bound(game, result.bound, scale),
        mixed_strategy=mixed,
        params={"nodes": result.nodes, "formulation": "joint" if joint else "big_m"},
    )


def _bound(game: SecurityGame, bound: float | None, scale: float) -> float:
    """The MILP's dual bound in payoff units, or (if HiGHS has none yet) the trivial bound:
    every type attacks where the defender does best."""
    trivial = float(sum(
        a.prior * max(a.defender_covered.max(), a.defender_uncovered.max())
        for a in game.attacker_types
    ))
    if bound is None or not np.isfinite(bound):
        return trivial
    return min(trivial, bound / scale)


def solve_milp(program: LinearProgram, time_limit: float | None) -> LPResult:
    """Solve a MILP at a tight gap; HiGHS occasionally rejects its own optimum at that gap
    ("claims optimality, but with primal infeasibilities"), so retry looser before failing.
    A looser gap only loses optimality up to the gap, which :func:`polish` does not restore,
    so the retries stay far below the 1e-6 at which values are compared."""
    started = time.perf_counter()
    error: SolverError | None = None
    for gap in (1e-9, 1e-8, 1e-7):
        remaining = None
        if time_limit is not None:
            remaining = time_limit - (time.perf_counter() - started)
            if remaining <= 0:
                break
        try:
            return solve(program, time_limit=remaining, mip_rel_gap=gap)
        except SolverError as failure:
            error = failure
    raise error or SolverError("MILP not solved within the time limit")
