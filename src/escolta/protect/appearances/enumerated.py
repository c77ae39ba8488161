"""The optimal appearance plan by one LP over every feasible set (small cases)."""

from __future__ import annotations

import time

import numpy as np

from escolta.errors import InputError, SolverError
from escolta.lp import Status, solve
from escolta.protect.appearances.master import checked_notice, master_lp
from escolta.protect.appearances.plan import AppearancePlan, adversary_split, finish_plan
from escolta.protect.appearances.sets import count_feasible_sets, feasible_sets
from escolta.protect.scenario import Appearances


def solve_enumerated(appearances: Appearances, announce_hours: float | None = None,
                     *, limit: int = 2_000_000) -> AppearancePlan:
    """The optimal plan by one LP over every feasible set (exact; for small cases).

    Raises
    ------
    InputError
        More than ``limit`` feasible sets (use :func:`solve_column_generation`).
    """
    started = time.perf_counter()
    notice = checked_notice(appearances, announce_hours)
    count = count_feasible_sets(appearances)
    if count > limit:
        raise InputError("appearances.slots", f"{count} feasible sets",
                         f"too many to enumerate (limit {limit}); use column generation")
    columns = list(feasible_sets(appearances))
    success = np.array([s.success for s in appearances.slots])
    blind_w, informed_w, _, _ = adversary_split(appearances, notice)
    result = solve(master_lp(success, columns, blind_w, informed_w))
    if result.status is not Status.OPTIMAL or result.x is None:
        raise SolverError(f"appearance LP ended {result.status.value}")
    return finish_plan(appearances, notice, columns, result.x[1:], method="enumerate",
                       status="optimal", lower_bound=float(result.objective), iterations=1,
                       seconds=time.perf_counter() - started)
