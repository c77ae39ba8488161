"""Drawing the coming nights from the plan in force, with the day's phone and appearances.

Nights already drawn are kept (:func:`escolta.operations.nights.draw_schedule`); each new
run of nights is conditioned on the night before it; handsets are assigned to the days that
have none yet (docs/design.md §4b), and the week's recorded appearances come along for the
calendar export (section 4c).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.operations.dates import today
from escolta.operations.nights import draw_schedule, plan_in_force
from escolta.operations.phones import assign_phone_days, phone_context
from escolta.protect.phones import HandsetSchedule
from escolta.reports.calendar_events import AppearanceEvent, PhoneEvent, recorded_events
from escolta.reports.exports import ScheduledNight, schedule_json

#: Longest schedule drawn in one call (ten years of nights).
MAX_DAYS = 3_660


@dataclass(frozen=True)
class Schedule:
    """A span of nights from the plan in force, and what came with it."""

    nights: tuple[ScheduledNight, ...]
    new: tuple[ScheduledNight, ...]
    how: str
    plan_id: int
    principal: str
    seed: int | None
    handsets: HandsetSchedule | None
    phones: tuple[PhoneEvent, ...]
    appearances: tuple[AppearanceEvent, ...]

    def to_dict(self) -> dict[str, Any]:
        return schedule_json(list(self.nights), plan_id=self.plan_id, principal=self.principal,
                             how=self.how, newly_drawn=len(self.new),
                             **phone_context(self.handsets, self.phones))


def check_span(first: dt.date, days: int) -> None:
    """A span of nights to draw: from today on, at least one night, within the limit."""
    if days < 1:
        raise InputError("--days", days, "must be at least 1")
    if days > MAX_DAYS:
        raise InputError("--days", days, f"must be at most {MAX_DAYS:,}")
    if first < today():
        raise InputError("--start", first.isoformat(),
                         f"is in the past (today is {today().isoformat()})")
    if days > (dt.date.max - first).days:
        raise InputError("--days", days, f"runs past the last date ({dt.date.max.isoformat()})")


def schedule_nights(session: Session, first: dt.date, days: int,
                    seed: int | None = None) -> Schedule:
    """Draw (or keep) the ``days`` nights from ``first``, assign the days' handsets, and
    gather the recorded appearances of the span."""
    check_span(first, days)
    in_force = plan_in_force(session)
    drawn = draw_schedule(session, in_force.plan, in_force.plan_id, first, days, seed)
    handsets = assign_phone_days(session, in_force.scenario, first, days)
    phones, appearances = recorded_events(
        session, in_force.scenario, first, first + dt.timedelta(days=days - 1))
    return Schedule(drawn.nights, drawn.new, drawn.how, in_force.plan_id,
                    in_force.scenario.principal, seed, handsets, tuple(phones),
                    tuple(appearances))
