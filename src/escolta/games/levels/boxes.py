"""The open boxes of the ``levels`` search: rows of lower and upper levels in NumPy arrays,
a max-heap of their bounds (compiled, so the search pushes and pops without Python), and a
stack of free rows; the store doubles when full."""

from __future__ import annotations

import numba
import numpy as np

INF = float("inf")


@numba.njit(cache=True)
def heap_push(keys: np.ndarray, slots: np.ndarray, size: int, key: float, slot: int) -> int:
    """Push onto the max-heap ``keys[:size]`` (with ``slots`` alongside); the new size."""
    i = size
    keys[i], slots[i] = key, slot
    while i > 0:
        parent = (i - 1) // 2
        if keys[parent] >= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        slots[parent], slots[i] = slots[i], slots[parent]
        i = parent
    return size + 1


@numba.njit(cache=True)
def heap_pop(keys: np.ndarray, slots: np.ndarray, size: int) -> tuple[float, int, int]:
    """Pop the largest key: (key, slot, new size)."""
    key, slot = keys[0], slots[0]
    size -= 1
    keys[0], slots[0] = keys[size], slots[size]
    i = 0
    while True:
        left, largest = 2 * i + 1, i
        if left < size and keys[left] > keys[largest]:
            largest = left
        if left + 1 < size and keys[left + 1] > keys[largest]:
            largest = left + 1
        if largest == i:
            break
        keys[largest], keys[i] = keys[i], keys[largest]
        slots[largest], slots[i] = slots[i], slots[largest]
        i = largest
    return key, slot, size


class BoxStore:
    """The open boxes of :func:`~escolta.games.levels.search.search`: rows of levels, a heap
    by bound, free rows."""

    def __init__(self, types: int, capacity: int) -> None:
        self.lows = np.zeros((capacity, types))
        self.highs = np.zeros((capacity, types))
        self.keys = np.zeros(capacity)
        self.slots = np.zeros(capacity, dtype=np.int64)
        self.free = np.arange(capacity, dtype=np.int64)[::-1].copy()
        self.state = np.array([0, capacity, 0], dtype=np.int64)

    @property
    def explored(self) -> int:
        return int(self.state[2])

    def open_bound(self) -> float:
        return float(self.keys[0]) if self.state[0] > 0 else -INF

    def push(self, bound: float, lo: np.ndarray, hi: np.ndarray) -> None:
        self.state[1] -= 1
        row = self.free[self.state[1]]
        self.lows[row], self.highs[row] = lo, hi
        self.state[0] = heap_push(self.keys, self.slots, int(self.state[0]), bound, row)

    def grow(self) -> None:
        """Double the capacity (all rows in use)."""
        old = len(self.keys)
        self.lows = np.concatenate([self.lows, np.zeros_like(self.lows)])
        self.highs = np.concatenate([self.highs, np.zeros_like(self.highs)])
        self.keys = np.concatenate([self.keys, np.zeros(old)])
        self.slots = np.concatenate([self.slots, np.zeros(old, dtype=np.int64)])
        free = np.zeros(2 * old, dtype=np.int64)
        count = int(self.state[1])
        free[:count] = self.free[:count]
        free[count:count + old] = np.arange(2 * old - 1, old - 1, -1)
        self.free = free
        self.state[1] = count + old
