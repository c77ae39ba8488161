"""Closed-form bounds on one attacker type, used to prune targets and events by ``hbgs`` and
``aspen``: the least best-attack utility any coverage leaves the attacker (ORIGAMI's attack
level, Kiekintveld et al. 2009), and the defender's best utility against the type forced to
attack a given target (the LP of Conitzer & Sandholm 2006 for that response, by bisection)."""

from __future__ import annotations

import numpy as np

from escolta.games.origami import origami_coverage

INF = float("inf")
PRUNE_TOLERANCE = 1e-9
"""Slack (in scaled payoff units) kept when pruning, so that ties are never cut off."""


def attacker_floor(covered: np.ndarray, uncovered: np.ndarray, resources: int) -> float:
    """A lower bound on the attacker's best expected utility under *any* coverage.

    Targets where coverage does not help the defender against the attacker
    (``covered >= uncovered``) are best left uncovered and contribute their uncovered payoff;
    on the others the bound is ORIGAMI's minimal attack level (Kiekintveld et al. 2009).

    Examples
    --------
    >>> round(attacker_floor(np.zeros(2), np.array([10.0, 5.0]), 1), 6)
    3.333333
    """
    moving = covered < uncovered
    floor = float(np.max(uncovered[~moving])) if np.any(~moving) else -INF
    if np.any(moving):
        if resources >= int(np.sum(moving)):
            level = float(np.max(covered[moving]))
        else:
            _, level, _ = origami_coverage(covered[moving], uncovered[moving], resources)
        floor = max(floor, level)
    return floor


def best_value_if_attacked(
    dc: np.ndarray, du: np.ndarray, ac: np.ndarray, au: np.ndarray, resources: int,
    candidates: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For each candidate j, the defender's best utility against one type forced to attack j,
    and the coverage achieving it.

    Standard payoffs only (``ac <= au``, ``dc >= du``): the defender then wants the most
    coverage ``c_j`` on j for which the other targets can still be covered down to the
    attacker's utility at j, ``u = au_j - c_j (au_j - ac_j)``; the coverage needed grows with
    ``c_j``, so ``c_j`` is found by bisection (the LP of Conitzer & Sandholm 2006 for response
    j, in closed form). Value ``-inf`` where j can never be a best response.

    The payoffs are either one type's, shape ``(n,)``, or one row per candidate, shape
    ``(k, n)`` (several types' candidates in one batch).

    Returns
    -------
    values : ndarray, (k,)
    coverage : ndarray, (k, n) — row r is the coverage for candidate ``candidates[r]``
    """
    k = len(candidates)
    dc, du, ac, au = (np.broadcast_to(x, (k, x.shape[-1])) for x in (dc, du, ac, au))
    gap = au - ac
    safe_gap = np.where(gap > 0, gap, 1.0)
    moving = gap > 0
    rows = np.arange(k)

    def needed(level: np.ndarray) -> np.ndarray:
        # level[r]: coverage on candidates[r]; rows: candidate attacked, columns: all targets
        utility = au[rows, candidates] - level * gap[rows, candidates]
        need = (au - utility[:, None]) / safe_gap
        blocked = np.where(au > utility[:, None] + 1e-12, INF, 0.0)
        need = np.where(moving, need, blocked)
        need[rows, candidates] = level
        return np.clip(need, 0.0, None)

    def fits(level: np.ndarray) -> np.ndarray:
        need = needed(level)
        return (need.sum(axis=1) <= resources + 1e-12) & ~np.any(need > 1.0 + 1e-12, axis=1)

    low = np.zeros(k)
    high = np.ones(k)
    feasible_at_zero = fits(low)
    for _ in range(50):
        middle = 0.5 * (low + high)
        ok = fits(middle)
        low = np.where(ok, middle, low)
        high = np.where(ok, high, middle)
    level = np.where(fits(np.ones(k)), 1.0, low)
    value = level * dc[rows, candidates] + (1.0 - level) * du[rows, candidates]
    coverage = np.clip(needed(level), 0.0, 1.0)
    return np.where(feasible_at_zero, value, -INF), coverage
