"""Drawing a week's public appearances (docs/design.md §4c) and keeping the draw.

A week already drawn is drawn again only when forced: redrawing until a nicer week comes up
would undo the randomization. The weekly plan is solved between two transactions (it can
take a while), and the week is checked again under the write lock before it is stored, so a
draw that landed meanwhile is never silently replaced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.protect.appearances import (
    AppearancePlan,
    NoticePoint,
    WeekDraw,
    draw_week,
    notice_sweep,
    solve_appearances,
    week_monday,
)
from escolta.protect.scenario import Appearances, Scenario
from escolta.store import Store
from escolta.store import appearances as week_store

METHODS = ("auto", "enumerate", "column_generation")


@dataclass(frozen=True)
class AppearanceWeek:
    """The week drawn, the weekly plan it was drawn from, and the risk against the notice."""

    appearances: Appearances
    monday: dt.date
    draw: WeekDraw
    plan: AppearancePlan
    sweep: tuple[NoticePoint, ...]


def appearances_of(scenario: Scenario, origin: object) -> Appearances:
    """The scenario's appearances section (an InputError naming ``origin`` when it has none)."""
    if scenario.appearances is None:
        raise InputError("appearances", None, f"{origin} has no appearances section")
    return scenario.appearances


def week_of(day: dt.date, option: str = "--week") -> dt.date:
    """The Monday of ``day``'s week, refusing a week that runs past the calendar."""
    monday = week_monday(day)
    if (dt.date.max - monday).days < 7:  # the whole week, and the day after it
        raise InputError(option, day.isoformat(), f"its week runs past {dt.date.max.isoformat()}")
    return monday


def refuse_drawn_week(session: Session, monday: dt.date, force: bool,
                      option: str = "--week") -> None:
    """A week already drawn is redrawn only when forced (no redrawing for a nicer week)."""
    earlier = week_store.appearance_week(session, monday)
    if earlier is not None and not force:
        raise InputError(option, monday.isoformat(),
                         f"the week of {monday.isoformat()} was drawn on "
                         f"{earlier.drawn_at:%Y-%m-%d %H:%M}; use --force to draw it again")


def draw_appearance_week(store: Store, appearances: Appearances, day: dt.date, *,
                         seed: int | None = None, force: bool = False,
                         method: str = "auto") -> AppearanceWeek:
    """Solve the weekly plan, draw the week of ``day`` from it, and record the draw."""
    if method not in METHODS:
        raise InputError("--method", method, f"must be one of {', '.join(METHODS)}")
    if seed is not None and seed < 0:
        raise InputError("--seed", seed, "must be 0 or more")
    monday = week_of(day)
    with store.transaction() as session:
        refuse_drawn_week(session, monday, force)
    plan = solve_appearances(appearances, method=method)
    sweep = notice_sweep(appearances, method=method)
    draw = draw_week(plan, seed)
    with store.transaction() as session:
        refuse_drawn_week(session, monday, force)  # a draw may have landed during the solve
        week_store.record_appearance_week(session, monday, draw.slots, plan_id=None,
                                          seeded=draw.seeded)
    return AppearanceWeek(appearances, monday, draw, plan, sweep)
