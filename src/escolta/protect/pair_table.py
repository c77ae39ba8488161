"""The plan's two-night law as arrays: a sequence of :class:`Pair` that costs 20 bytes a
pair instead of a Python object each, or a few bytes in blocks.

A plan against lead-1 adversaries at national scale is close to an independent chain over
thousands of nights: at 100 sites x 30 teams its law has 8 million pairs, which took 12 s
and a gigabyte to build as ``Pair`` objects, and 524 MB of JSON that the record could not
store (docs/nightly.md §5). The table keeps the sequence interface (``len``, iteration,
indexing, equality with a sequence of pairs), so every reader of ``plan.pairs`` works
unchanged, and adds :meth:`PairTable.joint` and :meth:`PairTable.grouped` for the readers
that want a matrix.

*Blocks* (:meth:`PairTable.from_blocks`): the nightly solver exports each reduced night as
a run of consecutive nights of equal probability, and each reduced pair's probability spread
evenly over the pairs of nights between two runs. The table then keeps the runs' sizes and
the reduced pairs, and lists the pairs only when asked; its JSON form (:meth:`to_json`)
stays in blocks above :data:`LISTED_PAIRS` pairs.

Examples
--------
>>> table = PairTable.from_pairs([Pair(0, 1, 0.5), Pair(1, 0, 0.5)])
>>> len(table), table[1], table == (Pair(0, 1, 0.5), Pair(1, 0, 0.5))
(2, Pair(yesterday=1, tonight=0, p=0.5), True)
>>> table.joint(2).tolist()
[[0.0, 0.5], [0.5, 0.0]]
>>> blocks = PairTable.from_blocks([1, 2], [0, 1], [1, 0], [0.5, 0.5])
>>> len(blocks), list(blocks) == [Pair(0, 1, 0.25), Pair(0, 2, 0.25), Pair(1, 0, 0.25),
...                               Pair(2, 0, 0.25)]
(4, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
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
#: Above this many pairs a table in blocks keeps its JSON form in blocks.
LISTED_PAIRS = 100_000


class PairTable(Sequence[Pair]):
    """``P(yesterday = nights[yesterday[k]], tonight = nights[tonight[k]]) = p[k]``.

    The arrays are read-only: the table is as immutable as the tuple it replaces. A table
    made :meth:`from_blocks` computes them on first use.
    """

    __slots__ = ("_arrays", "_blocks")

    def __init__(self, yesterday: Any, tonight: Any, p: Any) -> None:
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = _three(
            yesterday, tonight, p, "yesterday, tonight and p")
        self._blocks: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    @classmethod
    def from_blocks(cls, sizes: Any, yesterday: Any, tonight: Any, p: Any) -> PairTable:
        """Nights in consecutive runs of ``sizes`` (run g holds nights first_g ..
        first_g + sizes[g] − 1); block k spreads ``p[k]`` evenly over the
        ``sizes[yesterday[k]] × sizes[tonight[k]]`` pairs between runs ``yesterday[k]`` and
        ``tonight[k]`` (yesterday's nights in order, each with tonight's in order)."""
        import numpy as np

        size_array = np.array(sizes, dtype=np.int64)
        if size_array.ndim != 1 or np.any(size_array < 0):
            raise InputError("plan.pairs.block_sizes", size_array.tolist()[:5],
                             "must be a list of counts >= 0")
        y, t, q = _three(yesterday, tonight, p, "the blocks' yesterday, tonight and p")
        outside = (y < 0) | (y >= len(size_array)) | (t < 0) | (t >= len(size_array))
        if np.any(outside):
            k = int(np.flatnonzero(outside)[0])
            raise InputError("plan.pairs.blocks", (int(y[k]), int(t[k])),
                             f"block index outside 0..{len(size_array) - 1}")
        size_array.setflags(write=False)
        table = cls.__new__(cls)
        table._arrays = None
        table._blocks = (size_array, y, t, q)
        return table

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

    @property
    def yesterday(self) -> np.ndarray:
        return self._listed()[0]

    @property
    def tonight(self) -> np.ndarray:
        return self._listed()[1]

    @property
    def p(self) -> np.ndarray:
        return self._listed()[2]

    @property
    def in_blocks(self) -> bool:
        """Whether the table was made :meth:`from_blocks`."""
        return self._blocks is not None

    def _listed(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._arrays is None:
            import numpy as np

            assert self._blocks is not None
            sizes, y, t, q = self._blocks
            first, _ = self._runs()
            rows, cols = sizes[y], sizes[t]
            block = rows * cols
            which = np.repeat(np.arange(len(block)), block)
            within = np.arange(int(block.sum())) - np.repeat(np.cumsum(block) - block, block)
            shares = np.divide(q, block, out=np.zeros(len(q)), where=block > 0)
            self._arrays = _three(first[y][which] + within // cols[which],
                                  first[t][which] + within % cols[which], shares[which],
                                  "pairs")
        return self._arrays

    def _runs(self) -> tuple[np.ndarray, np.ndarray]:
        """Each run's first night, and each night's run (a table in blocks)."""
        import numpy as np

        assert self._blocks is not None
        sizes = self._blocks[0]
        return (np.cumsum(sizes) - sizes,
                np.repeat(np.arange(len(sizes), dtype=np.int64), sizes))

    def __len__(self) -> int:
        if self._arrays is None and self._blocks is not None:
            sizes, y, t, _ = self._blocks
            return int((sizes[y] * sizes[t]).sum())
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

        if self._blocks is not None:
            total = int(self._blocks[0].sum())
            if total > n_nights:
                raise InputError("plan.pairs", (total - 1, total - 1),
                                 f"index outside nights 0..{n_nights - 1}")
            return

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
        if self._blocks is not None:
            # the blocks' matrix, each entry spread over its runs' pairs of nights
            sizes = self._blocks[0]
            _, run = self._runs()
            out = np.zeros((n_nights, n_nights))
            out[:len(run), :len(run)] = (self._block_matrix()[np.ix_(run, run)]
                                         / np.outer(sizes[run], sizes[run]))
            return out
        flat = np.bincount(self.yesterday * n_nights + self.tonight, weights=self.p,
                           minlength=n_nights * n_nights)
        return flat.reshape(n_nights, n_nights)

    def _block_matrix(self) -> np.ndarray:
        import numpy as np

        assert self._blocks is not None
        sizes, y, t, q = self._blocks
        n = len(sizes)
        return np.bincount(y * n + t, weights=q, minlength=n * n).reshape(n, n)

    def grouped(self, group_of_night: Sequence[int], n_groups: int) -> np.ndarray:
        """The ``n_groups × n_groups`` law of (yesterday's group, tonight's group), where night
        ``k`` is in group ``group_of_night[k]`` (e.g. the index of its site)."""
        import numpy as np

        groups = np.asarray(group_of_night, dtype=np.int64)
        self.check_indices(len(groups))
        if self._blocks is not None:
            first, run = self._runs()
            held = self._blocks[0] > 0
            group_of_run = groups[first[held]]  # each run's first night's group
            if np.array_equal(np.repeat(group_of_run, self._blocks[0][held]),
                              groups[:len(run)]):  # one group a run: sum the blocks
                out = np.zeros((n_groups, n_groups))
                np.add.at(out, (group_of_run[:, None], group_of_run[None, :]),
                          self._block_matrix()[np.ix_(held, held)])
                return out
        flat = np.bincount(groups[self.yesterday] * n_groups + groups[self.tonight],
                           weights=self.p, minlength=n_groups * n_groups)
        return flat.reshape(n_groups, n_groups)

    def to_json(self) -> list[dict[str, Any]] | dict[str, Any]:
        """The JSON form: every pair (as :meth:`to_dicts`), or, for a table in blocks of
        more than :data:`LISTED_PAIRS` pairs, ``{"block_sizes": [...], "blocks": [{"yesterday":
        run, "tonight": run, "p": ...}, ...]}`` (:meth:`from_blocks`)."""
        if self._blocks is None or len(self) <= LISTED_PAIRS:
            return self.to_dicts()
        sizes, y, t, q = self._blocks
        return {"block_sizes": sizes.tolist(),
                "blocks": [{"yesterday": a, "tonight": b, "p": v}
                           for a, b, v in zip(y.tolist(), t.tolist(), q.tolist(), strict=True)]}

    @classmethod
    def from_json(cls, data: Any) -> PairTable:
        """Read back :meth:`to_json` (either form)."""
        try:
            if isinstance(data, Mapping):
                blocks = data["blocks"]
                return cls.from_blocks(data["block_sizes"],
                                       [int(b["yesterday"]) for b in blocks],
                                       [int(b["tonight"]) for b in blocks],
                                       [float(b["p"]) for b in blocks])
            return cls([int(q["yesterday"]) for q in data], [int(q["tonight"]) for q in data],
                       [float(q["p"]) for q in data])
        except (KeyError, TypeError, ValueError) as error:
            raise InputError("plan.pairs", type(data).__name__,
                             f"not a list of pairs nor blocks of them ({error})") from None


def _three(yesterday: Any, tonight: Any, p: Any, what: str
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three equal 1-d read-only arrays: two of indices, one of probabilities."""
    import numpy as np

    arrays = (np.array(yesterday, dtype=np.int64), np.array(tonight, dtype=np.int64),
              np.array(p, dtype=np.float64))
    if not arrays[0].shape == arrays[1].shape == arrays[2].shape or arrays[0].ndim != 1:
        raise InputError("plan.pairs", [a.shape for a in arrays],
                         f"{what} must be three equal 1-d arrays")
    for array in arrays:
        array.setflags(write=False)
    return arrays
