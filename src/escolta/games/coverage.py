"""The set of coverage vectors a defender can implement, as linear rows for LPs and MILPs.

Without schedules (docs/design.md §2) the coverage vectors are ``c ∈ [0,1]^n`` with
``Σc <= m``. With schedules each resource is assigned one schedule (or stays idle) and a
target is covered when some assigned schedule contains it; the implementable coverage
vectors are then the convex hull of the pure assignments' coverage. For small games this
module enumerates the pure assignments (every set of at most ``m`` schedules) and writes
``c = Σ_j y_j cover_j``, ``Σ_j y_j = 1``, ``y >= 0`` — exact, but exponential in ``m``;
larger schedule games need ASPEN's column generation (``escolta.games.schedules``).

The first ``n`` columns of every block are the coverage ``c``; solvers append their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError
from escolta.games.assignments import MAX_ASSIGNMENTS, assignment_count
from escolta.games.model import SecurityGame


@dataclass(frozen=True)
class CoverageBlock:
    """Columns ``[0, n_columns)`` (coverage first) and the rows that make them implementable."""

    n_targets: int
    n_columns: int
    rows: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    assignments: tuple[tuple[int, ...], ...] | None = None

    def widen(self, extra_columns: int) -> sp.csr_matrix:
        """The block's rows padded with zeros for ``extra_columns`` columns after its own."""
        return sp.hstack(
            [self.rows, sp.csr_matrix((self.rows.shape[0], extra_columns))], format="csr"
        )

    def mixed_strategy(self, x: np.ndarray) -> tuple[tuple[float, tuple[int, ...]], ...] | None:
        """``(probability, schedules)`` of the pure assignments used by solution ``x``."""
        if self.assignments is None:
            return None
        weights = np.clip(x[self.n_targets : self.n_columns], 0.0, None)
        weights = weights / weights.sum()
        return tuple(
            (float(weights[j]), self.assignments[j])
            for j in np.flatnonzero(weights > 1e-9)
        )


def coverage_block(
    game: SecurityGame, method: str, limit: int = MAX_ASSIGNMENTS
) -> CoverageBlock:
    """Implementable coverage for ``game`` (see the module docstring).

    Raises
    ------
    InputError
        (field ``method``) the game has schedules and more than ``limit`` joint assignments.

    Examples
    --------
    >>> from escolta.games.model import AttackerType
    >>> zero = np.zeros(3)
    >>> game = SecurityGame(("a", "b", "c"), 1, (AttackerType("x", 1.0, zero, zero, zero,
    ...     zero),), schedules=((0, 1), (2,)))
    >>> block = coverage_block(game, "milp")
    >>> block.n_columns, block.assignments
    (6, ((), (0,), (1,)))
    """
    n = game.n_targets
    if getattr(game, "resource_types", None) is not None:
        raise InputError("method", method, "resource types need method 'aspen'")
    if game.schedules is None:
        return CoverageBlock(
            n_targets=n,
            n_columns=n,
            rows=sp.csr_matrix(np.ones((1, n))),
            row_lower=np.array([-np.inf]),
            row_upper=np.array([float(game.resources)]),
            col_lower=np.zeros(n),
            col_upper=np.ones(n),
        )
    assignments, covers = _pure_assignments(game, method, limit)
    p = len(assignments)
    # c - covers^T y = 0 (n rows), Σ y = 1 (one row)
    link = sp.hstack([sp.identity(n, format="csr"), -sp.csr_matrix(covers.T.astype(float))])
    total = sp.hstack([sp.csr_matrix((1, n)), sp.csr_matrix(np.ones((1, p)))])
    return CoverageBlock(
        n_targets=n,
        n_columns=n + p,
        rows=sp.vstack([link, total], format="csr"),
        row_lower=np.concatenate([np.zeros(n), [1.0]]),
        row_upper=np.concatenate([np.zeros(n), [1.0]]),
        col_lower=np.zeros(n + p),
        col_upper=np.concatenate([np.ones(n), np.full(p, np.inf)]),
        assignments=assignments,
    )


def _pure_assignments(
    game: SecurityGame, method: str, limit: int
) -> tuple[tuple[tuple[int, ...], ...], np.ndarray]:
    schedules = game.schedules or ()
    s = len(schedules)
    most = min(game.resources, s)
    count = assignment_count(game)
    if count > limit:
        raise InputError(
            "method",
            method,
            f"enumerating {count} joint schedule assignments exceeds {limit}; "
            "use method 'aspen' for large schedule games",
        )
    membership = np.zeros((s, game.n_targets), dtype=bool)
    for i, schedule in enumerate(schedules):
        membership[i, list(schedule)] = True
    assignments: list[tuple[int, ...]] = []
    covers = []
    seen: set[bytes] = set()
    for k in range(most + 1):
        for chosen in combinations(range(s), k):
            cover = membership[list(chosen)].any(axis=0)
            key = cover.tobytes()
            if key not in seen:
                seen.add(key)
                assignments.append(chosen)
                covers.append(cover)
    return tuple(assignments), np.array(covers)
