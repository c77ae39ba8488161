"""The master LP over a distribution on feasible sets (docs/design.md §4c).

Variable 0 is z, the blind adversaries' shared success; then one variable per set. Row 0 is
the convexity row ``sum_S x_S = 1``; row 1 + i is slot i's blind row
``success_i sum_{S ni i} x_S - z <= 0``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError
from escolta.lp import LinearProgram
from escolta.protect.scenario import Appearances
from escolta.protect.spacing import check_appearances


def master_columns(success: np.ndarray, columns: Sequence[tuple[int, ...]],
                   informed_weight: float) -> tuple[np.ndarray, sp.csc_matrix]:
    """Costs and constraint columns of set variables: row 0 is the convexity row, row 1 + i
    the blind row of slot i (coefficient ``success_i`` when i is in the set)."""
    n = len(success)
    rows, cols, vals = [], [], []
    cost = np.empty(len(columns))
    for j, week in enumerate(columns):
        cost[j] = informed_weight * float(success[list(week)].max())
        rows.append(0)
        cols.append(j)
        vals.append(1.0)
        for i in week:
            rows.append(1 + i)
            cols.append(j)
            vals.append(float(success[i]))
    matrix = sp.csc_matrix((vals, (rows, cols)), shape=(n + 1, len(columns)))
    return cost, matrix


def master_lp(success: np.ndarray, columns: Sequence[tuple[int, ...]], blind_weight: float,
              informed_weight: float) -> LinearProgram:
    """The master LP over ``columns``; variable 0 is z, then one per set."""
    n = len(success)
    cost, matrix = master_columns(success, columns, informed_weight)
    z_column = sp.csc_matrix(np.concatenate([[0.0], -np.ones(n)]).reshape(-1, 1))
    return LinearProgram(
        c=np.concatenate([[blind_weight], cost]),
        A=sp.hstack([z_column, matrix], format="csc"),
        row_lower=np.concatenate([[1.0], np.full(n, -math.inf)]),
        row_upper=np.concatenate([[1.0], np.zeros(n)]),
        col_lower=np.zeros(len(columns) + 1),
        col_upper=np.concatenate([[1.0], np.full(len(columns), math.inf)]),
    )


def checked_notice(appearances: Appearances, announce_hours: float | None) -> float:
    """The notice to plan for, after refusing a week no set fits or a notice that is no
    number of hours."""
    check_appearances(appearances)
    notice = appearances.announce_hours if announce_hours is None else float(announce_hours)
    if not (math.isfinite(notice) and notice >= 0):
        raise InputError("appearances.announce_hours", announce_hours,
                         "must be a non-negative number of hours")
    return notice
