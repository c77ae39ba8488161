"""The compiled best-first branch and bound of ``levels`` over boxes of attacker levels: pop
the best box, evaluate the coverage of its upper levels, cut and bound it, close it (hand it
back to be closed by profile LPs) or split the type whose bound varies most."""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from escolta.games.levels.arrays import LevelArrays
from escolta.games.levels.boxes import heap_pop, heap_push
from escolta.games.levels.kernels import (
    budget_bound,
    coverage_value,
    least_coverage,
    requirements,
    shrink,
)

SHRINK_ROUNDS = 3
"""Rounds of cutting a box to its useful part (:func:`~escolta.games.levels.kernels.shrink`)
before bounding it."""
SMALL_BOX = 1e-7
"""A box whose type to split is no wider than this (payoffs scaled to [-1, 1]) is closed by its
profile LPs whatever their number: at an optimum where several targets tie for a type every
shrinking box keeps all of them, and a type whose defender values do not vary with its level
is never split, so the others shrink to a point."""

PAUSED, DONE, CLOSE, FULL = 0, 1, 2, 3
"""What :func:`search` stopped for: its box budget, no box left, a box to close by profile
LPs (its candidate values are in ``closing``), or no free slot for children."""


class Search(NamedTuple):
    """Everything :func:`search` reads and writes, as one argument.

    ``p`` is the game; a box is closed once its bound is within ``tolerance`` of the
    incumbent, handed back to be closed by profile LPs once at most ``close_at`` response
    profiles remain in it; one call explores at most ``max_boxes`` boxes. Boxes live in rows
    of ``lows``/``highs``; ``keys``/``slots`` is the heap of open boxes by bound; ``free`` a
    stack of unused rows (a :class:`~escolta.games.levels.boxes.BoxStore`'s arrays).
    ``state`` = [heap size, free count, boxes explored]; ``best`` = [incumbent value] with
    ``best_coverage``, both updated in place. A box to close leaves its candidates' values in
    ``closing`` and ``[lo, hi, [bound]]`` in the rows of ``box``.
    """

    p: LevelArrays
    tolerance: float
    close_at: float
    max_boxes: int
    lows: np.ndarray
    highs: np.ndarray
    keys: np.ndarray
    slots: np.ndarray
    state: np.ndarray
    free: np.ndarray
    best: np.ndarray
    best_coverage: np.ndarray
    closing: np.ndarray
    box: np.ndarray


@numba.njit(cache=True)
def search(s: Search) -> int:
    """Best-first branch and bound on level boxes until one of :data:`PAUSED` ... :data:`FULL`
    (the fields of ``s`` are described at :class:`Search`)."""
    p, tolerance, close_at, max_boxes = s.p, s.tolerance, s.close_at, s.max_boxes
    lows, highs, keys, slots, state, free = s.lows, s.highs, s.keys, s.slots, s.state, s.free
    best, best_coverage, closing, box = s.best, s.best_coverage, s.closing, s.box
    au = p.au
    types = au.shape[0]
    processed = 0
    while state[0] > 0:
        if processed >= max_boxes:
            return PAUSED
        if state[1] < 2:
            return FULL
        key, slot, state[0] = heap_pop(keys, slots, state[0])
        if key <= best[0] + tolerance:
            state[0] = 0
            return DONE
        processed += 1
        state[2] += 1
        lo, hi = lows[slot].copy(), highs[slot].copy()
        free[state[1]] = slot
        state[1] += 1
        coverage = least_coverage(requirements(au, p.da, hi))
        value = coverage_value(p, p.ties, coverage)
        if value > best[0]:
            best[0] = value
            best_coverage[:] = coverage
        bound, values, spread = shrink(p, lo, hi, best[0] + tolerance, SHRINK_ROUNDS)
        if bound > best[0] + tolerance:
            bound = min(bound, budget_bound(p, lo, hi, values))
        if bound <= best[0] + tolerance:
            continue
        profiles = 1.0
        for k in range(types):
            count = 0
            for t in range(au.shape[1]):
                if values[k, t] > -np.inf:
                    count += 1
            profiles *= count
        # split the type whose bound varies most times its width (the widest if none varies);
        # once that type is narrower than SMALL_BOX, splitting has stalled: close by LPs
        score = spread * (hi - lo)
        k = int(np.argmax(score)) if np.max(score) > 0.0 else int(np.argmax(hi - lo))
        if profiles <= close_at or hi[k] - lo[k] <= SMALL_BOX:
            closing[:, :] = values
            box[0, :], box[1, :], box[2, 0] = lo, hi, bound
            return CLOSE
        middle = 0.5 * (lo[k] + hi[k])
        for side in range(2):
            child_lo, child_hi = lo.copy(), hi.copy()
            if side == 0:
                child_hi[k] = middle
            else:
                child_lo[k] = middle
            child, child_values, _ = shrink(p, child_lo, child_hi, best[0] + tolerance,
                                             SHRINK_ROUNDS)
            if child > best[0] + tolerance:
                child = min(child, budget_bound(p, child_lo, child_hi, child_values))
            if child <= best[0] + tolerance:
                continue
            state[1] -= 1
            row = free[state[1]]
            lows[row], highs[row] = child_lo, child_hi
            state[0] = heap_push(keys, slots, state[0], child, row)
    return DONE
