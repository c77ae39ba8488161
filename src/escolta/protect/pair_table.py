"""The plan's two-night law as three arrays: a sequence of :class:`Pair` that costs 20 bytes
a pair instead of a Python object each.

A plan against lead-1 adversaries at national scale is close to an independent chain over
thousands of nights: at 100 sites x 30 teams its law has 8 million pairs, which took 12 s
and a gigabyte to build as ``Pair`` objects (docs/nightly.md §5). The table keeps the
sequence interface (``len``, iteration, indexing, equality with a sequence of pairs), so
every reader of ``plan.pairs`` works unchanged, and adds :meth:`PairTable.joint` for the
readers that want the matrix.

Examples
--------
>>> table = PairTable.from_pairs([Pair(0, 1, 0.5), Pair(1, 0, 0.5)])
>>> len(table), table[1], table == (Pair(0, 1, 0.5), Pair(1, 0, 0.5))
(2, Pair(yesterday=1, tonight=0, p=0.5), True)
>>> table.joint(2).tolist()
[[0.0, 0.5], [0.5, 0.0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from escolta.errors import InputError

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Pair:
    """``P(yesterday = nights[yesterday], tonight = nights[tonight])`` in the stationary chain."""

    yesterday: int
    tonight: int
    p: float

    def to_dict(self) -> dict[str, Any]:
        return {"yesterday": int(self.yesterday), "tonight": int(self.tonight), "p": float(self.p)}


#: Most nights a dense joint matrix (:meth:`PairTable.joint`) is built for: 8 bytes x n².
MAX_JOINT_NIGHTS = 30_000


class PairTable(Sequence[Pair]):
    """``P(yesterday = nights[yesterday[k]], tonight = nights[tonight[k]]) = p[k]``.

    The arrays are read-only copies: the table is as immutable as the tuple it replaces.
    """

    __slots__ = ("yesterday", "tonight", "p")

    def __init__(self, yesterday: Any, tonight: Any, p: Any) -> None:
        import numpy as np

        arrays = [np.array(yesterday, dtype=np.int64), np.array(tonight, dtype=np.int64),
                  np.array(p, dtype=np.float64)]
        if not arrays[0].shape == arrays[1].shape == arrays[2].shape or arrays[0].ndim != 1:
            raise InputError("plan.pairs", [a.shape for a in arrays],
                             "yesterday, tonight and p must be three equal 1-d arrays")
        for array in arrays:
            array.setflags(write=False)
        self.yesterday, self.tonight, self.p = arrays

    @classmethod
    def from_pairs(cls, pairs: Iterable[Pair]) -> PairTable:
        """The table of ``pairs`` (any iterable of :class:`Pair`), in their order."""
        if isinstance(pairs, PairTable):
            return pairs
        rows = [(q.yesterday, q.tonight, q.p) for q in pairs]
        if not rows:
            return cls([], [], [])
        yesterday, tonight, p = zip(*rows, strict=True)
        return cls(yesterday, tonight, p)

    def __len__(self) -> int:
        return int(self.p.shape[0])

    @overload
    def __getitem__(self, index: int) -> Pair: ...

    @overload
    def __getitem__(self, index: slice) -> PairTable: ...

    def __getitem__(self, index: int | slice) -> Pair | PairTable:
        if isinstance(index, slice):
            return PairTable(self.yesterday[index], self.tonight[index], self.p[index])
        return Pair(int(self.yesterday[index]), int(self.tonight[index]),
                    float(self.p[index]))

    def __iter__(self) -> Iterator[Pair]:
        for a, b, q in zip(self.yesterday.tolist(), self.tonight.tolist(), self.p.tolist(),
                           strict=True):
            yield Pair(a, b, q)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        import numpy as np

        table = other if isinstance(other, PairTable) else PairTable.from_pairs(other)
        return bool(np.array_equal(self.yesterday, table.yesterday)
                    and np.array_equal(self.tonight, table.tonight)
                    and np.array_equal(self.p, table.p))

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, which hash otherwise

    def __repr__(self) -> str:
        return f"PairTable({len(self)} pairs)"

    def triples(self) -> list[tuple[int, int, float]]:
        """``(yesterday, tonight, p)`` of every pair, as plain Python numbers."""
        return list(zip(self.yesterday.tolist(), self.tonight.tolist(), self.p.tolist(),
                        strict=True))

    def to_dicts(self) -> list[dict[str, Any]]:
        """The JSON form of every pair (as :meth:`Pair.to_dict`)."""
        return [{"yesterday": a, "tonight": b, "p": q} for a, b, q in self.triples()]

    def check_indices(self, n_nights: int) -> None:
        """Raise :class:`InputError` naming the first pair whose index is not a night."""
        import numpy as np

        bad = np.flatnonzero((self.yesterday < 0) | (self.yesterday >= n_nights)
                             | (self.tonight < 0) | (self.tonight >= n_nights))
        if len(bad):
            k = int(bad[0])
            raise InputError("plan.pairs", (int(self.yesterday[k]), int(self.tonight[k])),
                             f"index outside nights 0..{n_nights - 1}")

    def joint(self, n_nights: int) -> np.ndarray:
        """The ``n × n`` matrix of the law (repeated pairs add up); the indices are checked
        (:meth:`check_indices`), and ``n`` against :data:`MAX_JOINT_NIGHTS`."""
        import numpy as np

        if n_nights > MAX_JOINT_NIGHTS:
            raise InputError("plan.nights", n_nights,
                             f"too many nights for the two-night matrix "
                             f"(limit {MAX_JOINT_NIGHTS:,})")
        self.check_indices(n_nights)
        flat = np.bincount(self.yesterday * n_nights + self.tonight, weights=self.p,
                           minlength=n_nights * n_nights)
        return flat.reshape(n_nights, n_nights)

    def grouped(self, group_of_night: Sequence[int], n_groups: int) -> np.ndarray:
        """The ``n_groups × n_groups`` law of (yesterday's group, tonight's group), where night
        ``k`` is in group ``group_of_night[k]`` (e.g. the index of its site)."""
        import numpy as np

        groups = np.asarray(group_of_night, dtype=np.int64)
        self.check_indices(len(groups))
        flat = np.bincount(groups[self.yesterday] * n_groups + groups[self.tonight],
                           weights=self.p, minlength=n_groups * n_groups)
        return flat.reshape(n_groups, n_groups)
