"""The exact pricing oracle of column generation: a dynamic program per threshold."""

from __future__ import annotations

import math

import numpy as np

from escolta.protect.appearances.sets import SlotTimes
from escolta.protect.scenario import Appearances
from escolta.protect.spacing import TOLERANCE


def price_sets(appearances: Appearances, slot_cost: np.ndarray, max_weight: float,
               times: SlotTimes | None = None) -> list[tuple[float, tuple[int, ...]]]:
    """Exact pricing: for each threshold v of ``m_S``, the feasible set S with every
    ``success <= v`` minimizing ``max_weight * v + sum_{i in S} slot_cost_i``.

    The least value over the returned sets is ``min_S max_weight * m_S + sum_{i in S}
    slot_cost_i`` over all feasible sets: for the minimizing S the threshold v = m_S gives
    exactly its value, and any other (v, S) with S's successes ``<= v`` costs at least as
    much. Each threshold is a dynamic program over the slots sorted by start time,
    ``f[r, c] = cost_r + min_{r' < before[r]} f[r', c - 1]`` with prefix minima, vectorized
    over the thresholds: O(L n k) for L thresholds, n slots, k per week.

    Returns
    -------
    list of (value, set)
        One per threshold that admits a feasible set, sorted by value.
    """
    times = SlotTimes.of(appearances) if times is None else times
    success = np.array([s.success for s in appearances.slots])[times.order]
    cost = np.asarray(slot_cost, dtype=float)[times.order]
    k = appearances.per_week
    n = len(cost)
    levels = np.unique(success)
    # cost of each (threshold, rank), inf where the slot's success exceeds the threshold
    allowed = success[None, :] <= levels[:, None] + TOLERANCE
    weights = np.where(allowed, cost[None, :], math.inf)
    L = len(levels)
    best = np.full((k + 1, L, n), math.inf)       # best[c, :, r]: c slots, latest at rank r
    prefix = np.full((k + 1, L, n + 1), math.inf)  # prefix[c, :, r]: min over ranks < r
    prefix_arg = np.full((k + 1, L, n + 1), -1, dtype=int)
    for r in range(n):
        best[1, :, r] = weights[:, r]
        b = times.before[r]
        for c in range(2, k + 1):
            best[c, :, r] = weights[:, r] + prefix[c - 1, :, b]
        for c in range(1, k + 1):
            better = best[c, :, r] < prefix[c, :, r]
            prefix[c, :, r + 1] = np.where(better, best[c, :, r], prefix[c, :, r])
            prefix_arg[c, :, r + 1] = np.where(better, r, prefix_arg[c, :, r])
    found: list[tuple[float, tuple[int, ...]]] = []
    for level in range(L):
        total = prefix[k, level, n]
        if not math.isfinite(total):
            continue
        ranks, c, limit = [], k, n
        while c >= 1:
            r = int(prefix_arg[c, level, limit])
            ranks.append(r)
            limit, c = int(times.before[r]), c - 1
        chosen = tuple(sorted(int(times.order[r]) for r in ranks))
        exact = max_weight * float(success[ranks].max()) + float(cost[ranks].sum())
        found.append((exact, chosen))
    found.sort()
    return found
