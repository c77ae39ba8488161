"""Feasible sets of slots, counted and listed by their start times (docs/design.md §4c).

A set is feasible when it has ``per_week`` distinct slots starting at least ``min_gap_hours``
apart (:mod:`escolta.protect.spacing`). Sorted by start, the slots that may precede the slot
of rank r in a feasible set are a prefix of the ranks, which makes counting a dynamic program
and listing a recursion.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from escolta.protect.scenario import Appearances
from escolta.protect.spacing import TOLERANCE
from escolta.protect.week import slot_minutes


@dataclass(frozen=True)
class SlotTimes:
    """The slots sorted by start: ``order[r]`` is the slot at rank r, ``before[r]`` the number
    of ranks ``< r`` whose start is at least the gap earlier (a prefix, since sorted)."""

    order: np.ndarray
    minutes: np.ndarray
    before: np.ndarray

    @classmethod
    def of(cls, appearances: Appearances) -> SlotTimes:
        minutes = np.array([slot_minutes(s) for s in appearances.slots], dtype=float)
        order = np.argsort(minutes, kind="stable")
        sorted_minutes = minutes[order]
        gap = appearances.min_gap_hours * 60.0
        before = np.array([
            min(rank, bisect.bisect_right(sorted_minutes.tolist(), start - gap + TOLERANCE))
            for rank, start in enumerate(sorted_minutes)
        ], dtype=int)
        return cls(order=order, minutes=sorted_minutes, before=before)


def count_feasible_sets(appearances: Appearances) -> int:
    """The number of feasible sets, by a dynamic program over the slots sorted by start."""
    times = SlotTimes.of(appearances)
    n, k = len(times.minutes), appearances.per_week
    # ending[r][c]: sets of c slots whose latest is rank r; prefix sums over r
    prefix = [[0] * (n + 1) for _ in range(k + 1)]
    for r in range(n):
        for c in range(1, k + 1):
            ways = 1 if c == 1 else prefix[c - 1][times.before[r]]
            prefix[c][r + 1] = prefix[c][r] + ways
    return prefix[k][n]


def feasible_sets(appearances: Appearances) -> Iterator[tuple[int, ...]]:
    """Every feasible set, as sorted tuples of slot indices (exponentially many in general)."""
    times = SlotTimes.of(appearances)
    k = appearances.per_week

    def extend(chosen: list[int], limit: int) -> Iterator[tuple[int, ...]]:
        if len(chosen) == k:
            yield tuple(sorted(int(times.order[r]) for r in chosen))
            return
        for rank in range(limit - 1, -1, -1):
            chosen.append(rank)
            yield from extend(chosen, int(times.before[rank]))
            chosen.pop()

    yield from extend([], len(times.minutes))
