"""What a shorter notice buys: the optimal weekly risk against ``announce_hours``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from escolta.protect.appearances.solve import solve_appearances
from escolta.protect.scenario import Appearances


@dataclass(frozen=True)
class NoticePoint:
    """The optimal weekly risk when appearances are announced ``announce_hours`` ahead."""

    announce_hours: float
    risk: float
    informed: tuple[str, ...]


def notice_sweep(appearances: Appearances, hours: Sequence[float] | None = None,
                 *, method: str = "auto") -> tuple[NoticePoint, ...]:
    """Risk against ``announce_hours``: what a shorter notice buys.

    The risk only changes where the notice crosses an adversary's ``prep_hours`` (an
    adversary is informed once ``prep_hours <= announce_hours``), so by default the sweep
    tries 0, each ``prep_hours`` and the scenario's own notice.
    """
    if hours is None:
        hours = sorted({0.0, float(appearances.announce_hours),
                        *(float(a.prep_hours) for a in appearances.adversaries)})
    points = []
    for notice in hours:
        plan = solve_appearances(appearances, notice, method=method)
        points.append(NoticePoint(float(notice), plan.risk, plan.informed))
    return tuple(points)
