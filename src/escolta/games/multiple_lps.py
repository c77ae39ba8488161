"""Multiple LPs (Conitzer & Sandholm, *Computing the optimal strategy to commit to*, EC 2006,
Section 3): the strong Stackelberg equilibrium of a game with one follower type is the best of
one LP per follower action ``j``,

    max_x  Σ_i x_i A_ij
    s.t.   Σ_i x_i (B_ij - B_ij') >= 0   for every follower action j'
           Σ_i x_i = 1,  x >= 0,

where ``j`` being a best response (ties allowed) lets the leader pick it: the defender-favour
tie-break. Two solvers here:

* :func:`multiple_lps_solve` for one-type normal-form games. It skips follower actions that
  are strictly dominated by another pure action (never a best response), drops their rows
  from every LP (implied by the dominating action's row), solves the LPs in decreasing order
  of the bound ``max_i A_ij`` and stops once the best value found meets the next bound.
* :func:`security_lps_solve` for one-type compact security games: one LP per attacked target
  (the same idea on the coverage polytope), an independent check of ORIGAMI that needs no
  assumption on the payoffs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError
from escolta.games.coverage import coverage_block
from escolta.games.evaluate import (
    clean_distribution,
    coverage_solution,
    security_value,
    strategy_solution,
    tie_tolerance,
)
from escolta.games.milp import payoff_scale, profile_program
from escolta.games.model import NormalFormGame, SecurityGame, Solution
from escolta.lp import LinearProgram, Status, solve

_BOUND_SLACK = 1e-9
"""Stop once the best value found is within this (relative) of the next LP's bound."""


def undominated_actions(follower: np.ndarray) -> np.ndarray:
    """Follower actions (columns) not strictly dominated by another pure action.

    A column ``j`` is strictly dominated when some column ``j'`` pays the follower strictly
    more against every leader action; it is then never a best response.

    Examples
    --------
    >>> undominated_actions(np.array([[1.0, 0.0, 2.0], [4.0, -1.0, 3.0]])).tolist()
    [0, 2]
    """
    follower = np.asarray(follower, dtype=float)
    m = follower.shape[1]
    dominated = np.zeros(m, dtype=bool)
    columns = follower.T  # (m, n)
    chunk = max(1, 4_000_000 // max(1, m * follower.shape[0]))
    for start in range(0, m, chunk):
        block = columns[start : start + chunk]  # (k, n)
        # beats[a, b]: column b strictly beats column start + a everywhere
        beats = (columns[None, :, :] > block[:, None, :]).all(axis=2)
        dominated[start : start + chunk] = beats.any(axis=1)
    return np.flatnonzero(~dominated)


def normal_form_profile_program(
    game: NormalFormGame,
    profile: Sequence[int],
    scale: float = 1.0,
    rivals: Sequence[np.ndarray] | None = None,
) -> LinearProgram:
    """The LP for a fixed follower response profile: type l plays ``profile[l]``.

    ``max Σ_l p_l x·A_l[:, j_l]`` subject to ``x·B_l[:, j_l] >= x·B_l[:, j']`` for every
    type and every action ``j'`` in ``rivals[l]`` (default: all), ``Σx = 1``, ``x >= 0``
    (Conitzer & Sandholm 2006; for several types this is the LP of one leaf of the
    response-profile enumeration). Payoffs are multiplied by ``scale``.
    """
    n = game.n_leader_actions
    cost = np.zeros(n)
    blocks = []
    for index, (follower, j) in enumerate(zip(game.followers, profile, strict=True)):
        others = np.arange(follower.follower.shape[1]) if rivals is None else rivals[index]
        others = np.asarray(others)
        others = others[others != j]
        B = follower.follower * scale
        blocks.append((B[:, [j]] - B[:, others]).T)
        cost += follower.prior * follower.leader[:, j] * scale
    rows = np.vstack(blocks) if blocks else np.zeros((0, n))
    A = sp.vstack([sp.csr_matrix(rows), sp.csr_matrix(np.ones((1, n)))], format="csr")
    return LinearProgram(
        c=cost,
        A=A,
        row_lower=np.concatenate([np.zeros(rows.shape[0]), [1.0]]),
        row_upper=np.concatenate([np.full(rows.shape[0], np.inf), [1.0]]),
        col_lower=np.zeros(n),
        col_upper=np.ones(n),
        sense="max",
    )


def multiple_lps_solve(game: NormalFormGame, time_limit: float | None = None) -> Solution:
    """Strong Stackelberg equilibrium of a one-type normal-form game, one LP per follower action.

    Parameters
    ----------
    game
        A normal-form game with exactly one follower type.
    time_limit
        Seconds; when they run out before every needed LP is solved, the best strategy found
        is returned with ``status="time_limit"`` and ``bound`` the largest bound left.

    Returns
    -------
    Solution
        ``leader_strategy`` and the follower's action.

    Examples
    --------
    The commitment example of Conitzer & Sandholm (EC 2006, Section 2): committing to (1/2,
    1/2) makes the follower indifferent; it breaks the tie for the leader, who gets 3.5.

    >>> from escolta.games.loader import load
    >>> game = load({"kind": "normal_form", "followers": [{"name": "f", "prior": 1,
    ...     "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]}]})
    >>> s = multiple_lps_solve(game)
    >>> s.leader_strategy.round(6).tolist(), round(s.defender_value, 6), s.responses
    ([0.5, 0.5], 3.5, {'f': 1})
    """
    started = time.perf_counter()
    if len(game.followers) != 1:
        raise InputError(
            "method", "multiple_lps",
            f"needs one follower type, the game has {len(game.followers)} (use dobss)",
        )
    follower = game.followers[0]
    leader_payoff, follower_payoff = follower.leader, follower.follower
    scale = normal_form_scale(game)
    candidates = undominated_actions(follower_payoff)
    # incumbent: the best pure commitment (each row's strong response), found in O(nm)
    best_value, best_x, best_j = _best_pure_commitment(game)
    slack = _BOUND_SLACK * max(1.0, float(np.abs(leader_payoff).max()))
    bounds = leader_payoff[:, candidates].max(axis=0)
    open_actions = bounds > best_value + slack
    candidates, bounds = candidates[open_actions], bounds[open_actions]
    bounds = np.minimum(bounds, lagrangian_bounds(leader_payoff, follower_payoff, candidates))
    open_actions = bounds > best_value + slack
    candidates, bounds = candidates[open_actions], bounds[open_actions]
    order = np.argsort(-bounds, kind="stable")
    rivals = undominated_actions(follower_payoff)
    solved, status, remaining_bound = 0, "optimal", None
    for position, k in enumerate(order):
        j, bound = int(candidates[k]), float(bounds[k])
        if best_value >= bound - slack:
            break
        left = None
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - started)
            if left <= 0:
                status, remaining_bound = "time_limit", float(bounds[order[position:]].max())
                break
        program = normal_form_profile_program(game, [j], scale, rivals=[rivals])
        result = solve(program, time_limit=left)
        solved += 1
        if result.status is Status.TIME_LIMIT:
            status, remaining_bound = "time_limit", float(bounds[order[position:]].max())
            break
        if result.status is not Status.OPTIMAL:
            continue  # j is never a best response
        value = float(result.x @ leader_payoff[:, j])
        if value > best_value:
            best_value, best_x, best_j = value, result.x, j
    return strategy_solution(
        game, clean_distribution(best_x), method="multiple_lps", started=started,
        responses={follower.name: best_j},
        open_bound=None if status == "optimal" else (remaining_bound or -np.inf),
        params={"lps_solved": solved, "candidate_actions": int(len(candidates))},
    )


def lagrangian_bounds(
    leader: np.ndarray,
    follower: np.ndarray,
    actions: np.ndarray,
    multipliers: Sequence[float] = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0),
) -> np.ndarray:
    """Upper bounds on each listed follower action's LP value, from Lagrangian relaxation.

    For any rival ``j'`` and ``t >= 0``, weak duality bounds the LP of action ``j`` by
    ``max_i A_ij + t (B_ij - B_ij')`` (relaxing its best-response rows with multiplier ``t``
    on one rival, 0 on the others; ``t = 0`` gives ``max_i A_ij``). The bound returned is the
    smallest over every rival and the ``multipliers`` (scaled by the payoff ranges).

    Examples
    --------
    In the Conitzer–Sandholm game action 1's LP is worth 3.5; the relaxation bounds it by
    3.6 where the plain bound max_i A_i1 is 4 (action 0's, 2, is tight already).

    >>> A, B = np.array([[2.0, 4.0], [1.0, 3.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> np.round(lagrangian_bounds(A, B, np.array([0, 1])), 6).tolist()
    [2.0, 3.6]
    """
    actions = np.asarray(actions, dtype=int)
    if len(actions) == 0:
        return np.zeros(0)
    values = leader[:, actions]
    best = values.max(axis=0)
    spread = float(np.ptp(follower))
    if spread == 0.0:
        return best
    unit = max(float(np.ptp(leader)), 1e-12) / spread
    n, m = follower.shape
    chunk = max(1, 1_000_000 // max(1, n * len(actions)))
    rivals_by_row = np.ascontiguousarray(follower.T)  # (m, n)
    for t in multipliers:
        weight = t * unit
        tilted = np.ascontiguousarray((values + weight * follower[:, actions]).T)  # (k, n)
        for start in range(0, m, chunk):
            rival = weight * rivals_by_row[start : start + chunk]  # (c, n)
            relaxed = (tilted[:, None, :] - rival[None, :, :]).max(axis=2)  # (k, c)
            np.minimum(best, relaxed.min(axis=1), out=best)
    return best


def _best_pure_commitment(game: NormalFormGame) -> tuple[float, np.ndarray, int]:
    """The leader's best pure commitment: value, strategy (a unit vector) and response."""
    follower = game.followers[0]
    tolerance = tie_tolerance(follower.follower)
    payoff = follower.follower
    ties = payoff >= payoff.max(axis=1, keepdims=True) - tolerance
    leader_at = np.where(ties, follower.leader, -np.inf)
    responses = leader_at.argmax(axis=1)
    values = leader_at.max(axis=1)
    row = int(np.argmax(values))
    return float(values[row]), np.eye(game.n_leader_actions)[row], int(responses[row])


def security_lps_solve(game: SecurityGame, time_limit: float | None = None) -> Solution:
    """Strong Stackelberg equilibrium of a one-type security game, one LP per attacked target.

    Each LP maximizes the defender's utility at target ``t`` over implementable coverage
    under which ``t`` is a best response for the attacker (Conitzer & Sandholm 2006 applied
    to the compact form; Kiekintveld et al. 2009 use it as the baseline ORIGAMI improves on).
    Works for any payoffs and, through :func:`escolta.games.coverage.coverage_block`, for
    small schedule games. LPs are solved in decreasing order of the bound
    ``max(U_d^c(t), U_d^u(t))``, stopping once the best value meets the next bound.

    Examples
    --------
    >>> from escolta.games.loader import load
    >>> game = load({"kind": "security", "resources": 1, "targets": ["a", "b"],
    ...     "attacker_types": [{"name": "x", "prior": 1,
    ...         "defender": {"covered": [0, 0], "uncovered": [-10, -5]},
    ...         "attacker": {"covered": [0, 0], "uncovered": [10, 5]}}]})
    >>> round(security_lps_solve(game).defender_value, 6)
    -3.333333
    """
    started = time.perf_counter()
    if len(game.attacker_types) != 1:
        raise InputError(
            "method", "security_lps",
            f"needs one attacker type, the game has {len(game.attacker_types)} (use milp)",
        )
    attacker = game.attacker_types[0]
    block = coverage_block(game, "security_lps")
    scale = payoff_scale(game)
    bounds = np.maximum(attacker.defender_covered, attacker.defender_uncovered)
    order = np.argsort(-bounds, kind="stable")
    best_value, best_x, best_t = -np.inf, None, -1
    solved, status, remaining_bound = 0, "optimal", None
    for position, t in enumerate(order):
        t, bound = int(t), float(bounds[t])
        if best_x is not None and best_value >= bound - _BOUND_SLACK * max(1.0, abs(bound)):
            break
        left = None
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - started)
            if left <= 0:
                status, remaining_bound = "time_limit", float(bounds[order[position:]].max())
                break
        result = solve(profile_program(game, block, [t], scale), time_limit=left)
        solved += 1
        if result.status is Status.TIME_LIMIT:
            status, remaining_bound = "time_limit", float(bounds[order[position:]].max())
            break
        if result.status is not Status.OPTIMAL:
            continue  # t is never a best response
        coverage = np.clip(result.x[: game.n_targets], 0.0, 1.0)
        value = security_value(game, coverage, {attacker.name: t})
        if value > best_value:
            best_value, best_x, best_t = value, result.x, t
    if best_x is None:
        best_x = np.zeros(block.n_columns)
        best_t = int(np.argmax(attacker.attacker_uncovered))
        status = "time_limit"
    return coverage_solution(
        game, np.clip(best_x[: game.n_targets], 0.0, 1.0), method="security_lps",
        started=started, responses={attacker.name: best_t},
        open_bound=None if status == "optimal" else (remaining_bound or -np.inf),
        mixed_strategy=block.mixed_strategy(best_x), params={"lps_solved": solved},
    )


def normal_form_scale(game: NormalFormGame) -> float:
    """1 / the largest absolute payoff (programs are built on payoffs scaled into [-1, 1])."""
    largest = max(
        max(float(np.max(np.abs(f.leader))), float(np.max(np.abs(f.follower))))
        for f in game.followers
    )
    return 1.0 / largest if largest > 0 else 1.0
