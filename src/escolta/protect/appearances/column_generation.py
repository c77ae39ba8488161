"""The optimal appearance plan by column generation (Desrosiers & Lübbecke 2005)."""

from __future__ import annotations

import math
import time

import numpy as np

from escolta.errors import SolverError
from escolta.lp import HighsModel, Status
from escolta.protect.appearances.master import checked_notice, master_columns, master_lp
from escolta.protect.appearances.plan import AppearancePlan, adversary_split, finish_plan
from escolta.protect.appearances.pricing import price_sets
from escolta.protect.appearances.sets import SlotTimes
from escolta.protect.scenario import Appearances


def solve_column_generation(
    appearances: Appearances,
    announce_hours: float | None = None,
    *,
    tolerance: float = 1e-9,
    max_iterations: int = 10_000,
    time_limit: float | None = None,
) -> AppearancePlan:
    """The optimal plan by column generation with the exact pricing of :func:`price_sets`.

    Each round solves the restricted master on the sets found so far, reads its duals
    ``y`` (convexity ``y_0``, blind rows ``y_i <= 0``), and prices every threshold; the
    sets of negative reduced cost ``W_i m_S - y_0 - sum_{i in S} y_i success_i`` join the
    master. ``y_0 + min_S reduced cost + min(0, reduced cost of z)`` is a Lagrangian lower
    bound (z is boxed in [0, 1]); the method stops when no set prices out, i.e. when the
    bound meets the master's value, to ``tolerance``.

    Returns
    -------
    AppearancePlan
        ``status`` ``optimal``, or ``time_limit``/``iteration_limit`` with the best bound.
    """
    started = time.perf_counter()
    notice = checked_notice(appearances, announce_hours)
    success = np.array([s.success for s in appearances.slots])
    times = SlotTimes.of(appearances)
    blind_w, informed_w, _, _ = adversary_split(appearances, notice)
    # start from the sets the pricing finds for plain success and for uniform slot costs
    columns: list[tuple[int, ...]] = []
    seen: set[tuple[int, ...]] = set()
    for slot_cost in (success, np.zeros(len(success))):
        for _, week in price_sets(appearances, slot_cost, informed_w, times):
            if week not in seen:
                seen.add(week)
                columns.append(week)
    model = HighsModel(master_lp(success, columns, blind_w, informed_w))
    bound = 0.0
    status = "iteration_limit"
    iterations = 0
    result = None
    while iterations < max_iterations:
        iterations += 1
        result = model.solve()
        if result.status is not Status.OPTIMAL or result.x is None or result.row_duals is None:
            raise SolverError(f"appearance master LP ended {result.status.value}")
        duals = result.row_duals
        y0, y = float(duals[0]), duals[1:]
        z_reduced = blind_w + float(y.sum())  # cost of z minus its column (0, -1, ..., -1) @ y
        priced = price_sets(appearances, -y * success, informed_w, times)
        if np.all(y <= 0.0):
            least = priced[0][0] - y0
            bound = max(bound, y0 + min(0.0, least) + min(0.0, z_reduced))
        else:  # the bound needs duals of the right sign: clip round-off, price again
            y_sign = np.minimum(y, 0.0)
            least = price_sets(appearances, -y_sign * success, informed_w, times)[0][0] - y0
            bound = max(bound, y0 + min(0.0, least)
                        + min(0.0, blind_w + float(y_sign.sum())))
        new = [week for value, week in priced if value - y0 < -tolerance and week not in seen]
        if not new:
            status = "optimal"
            break
        if time_limit is not None and time.perf_counter() - started > time_limit:
            status = "time_limit"
            break
        for week in new:
            seen.add(week)
            columns.append(week)
        cost, matrix = master_columns(success, new, informed_w)
        model.add_columns(cost, np.zeros(len(new)), np.full(len(new), math.inf), matrix)
    assert result is not None and result.x is not None
    x = result.x[1:]
    if status != "optimal":
        # the last master was solved before the new columns joined; its x matches `columns`
        x = np.concatenate([x, np.zeros(len(columns) - len(x))])
    return finish_plan(appearances, notice, columns, x, method="column_generation",
                       status=status, lower_bound=bound,
                       seconds=time.perf_counter() - started, iterations=iterations)
