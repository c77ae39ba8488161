"""The public-appearance slots chosen each week (docs/design.md §4c).

Functions take the session of the caller's one transaction and return frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.store.models import AppearanceWeekRow
from escolta.store.record import utc_now


@dataclass(frozen=True)
class AppearanceWeek:
    week_start: dt.date
    plan_id: int | None
    slots: tuple[int, ...]
    seeded: bool
    drawn_at: dt.datetime


def _week(row: AppearanceWeekRow) -> AppearanceWeek:
    return AppearanceWeek(row.week_start, row.plan_id, tuple(json.loads(row.slots_json)),
                          row.seeded, row.drawn_at)


def record_appearance_week(
    session: Session,
    week_start: dt.date,
    slots: Sequence[int],
    *,
    plan_id: int | None,
    seeded: bool,
) -> AppearanceWeek:
    """Store the slots (indices into the scenario's ``appearances.slots``) of a week.

    ``week_start`` must be a Monday; a week drawn twice keeps the latest draw.
    """
    if week_start.weekday() != 0:
        raise InputError("week_start", week_start.isoformat(), "must be a Monday")
    row = session.scalars(
        select(AppearanceWeekRow).where(AppearanceWeekRow.week_start == week_start)
    ).first()
    if row is None:
        row = AppearanceWeekRow(week_start=week_start)
        session.add(row)
    row.plan_id = plan_id
    row.slots_json = json.dumps([int(s) for s in slots])
    row.seeded = seeded
    row.drawn_at = utc_now()
    session.flush()
    return _week(row)


def appearance_week(session: Session, week_start: dt.date) -> AppearanceWeek | None:
    row = session.scalars(
        select(AppearanceWeekRow).where(AppearanceWeekRow.week_start == week_start)
    ).first()
    return None if row is None else _week(row)


def appearance_weeks(session: Session) -> list[AppearanceWeek]:
    rows = session.scalars(select(AppearanceWeekRow).order_by(AppearanceWeekRow.week_start))
    return [_week(r) for r in rows]
