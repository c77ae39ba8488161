"""One entry point to the weekly appearance plan: :func:`solve_appearances` picks the method."""

from __future__ import annotations

from dataclasses import replace

from escolta.errors import InputError
from escolta.protect.appearances.column_generation import solve_column_generation
from escolta.protect.appearances.enumerated import solve_enumerated
from escolta.protect.appearances.master import checked_notice
from escolta.protect.appearances.plan import AppearancePlan
from escolta.protect.appearances.sets import count_feasible_sets
from escolta.protect.plan import Plan
from escolta.protect.scenario import Appearances

ENUMERATION_LIMIT = 20_000
"""``method="auto"`` enumerates every feasible set up to this many, else generates columns."""


def solve_appearances(appearances: Appearances, announce_hours: float | None = None,
                      *, method: str = "auto", time_limit: float | None = None
                      ) -> AppearancePlan:
    """The optimal weekly appearance plan (docs/design.md §4c).

    Parameters
    ----------
    appearances
        The scenario's ``appearances`` section.
    announce_hours
        Notice to assume instead of ``appearances.announce_hours`` (for the sweep).
    method
        ``enumerate`` (one LP over every feasible set), ``column_generation``, or ``auto``
        (enumerate up to :data:`ENUMERATION_LIMIT` sets).
    time_limit
        Seconds for column generation; on expiry the plan says ``time_limit`` with its bound.
    """
    if method == "auto":
        checked_notice(appearances, announce_hours)
        small = count_feasible_sets(appearances) <= ENUMERATION_LIMIT
        method = "enumerate" if small else "column_generation"
    if method == "enumerate":
        return solve_enumerated(appearances, announce_hours)
    if method == "column_generation":
        return solve_column_generation(appearances, announce_hours, time_limit=time_limit)
    raise InputError("--method", method, "must be auto, enumerate or column_generation")


def attach_appearances(plan: Plan, appearances: Appearances | None) -> Plan:
    """The plan with its ``appearances`` section (docs/design.md §5), when there are any.

    The weekly figure stays apart from the nightly ``risk``.
    """
    if appearances is None:
        return plan
    section = solve_appearances(appearances).to_dict()
    return replace(plan, extra={**plan.extra, "appearances": section})
