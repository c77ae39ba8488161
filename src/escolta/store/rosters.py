"""Rosters kept in the record (docs/design.md §9): who stood where, night by night.

Functions take the session of the caller's one transaction and return frozen dataclasses.
A date is rostered once; :func:`save_roster` refuses a date that already has a roster
unless told to replace it (``replace=True``, the command's ``--force``), so a roster is not
redrawn until a convenient one comes up, and the rolling windows of later rosters stand.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from escolta.detail.problem import Assignment
from escolta.errors import InputError
from escolta.store.models import RosterAssignmentRow
from escolta.store.record import utc_now

if TYPE_CHECKING:  # the roster solver loads OR-Tools; reading rosters needs none of it
    from escolta.detail.roster import Roster


def _stored(row: RosterAssignmentRow) -> Assignment:
    return Assignment(row.date, row.team, row.position, row.role, row.person,
                            row.with_principal)


def rostered_dates(session: Session, first: dt.date, last: dt.date) -> list[dt.date]:
    """The dates in [first, last] that already have a roster."""
    rows = session.scalars(
        select(RosterAssignmentRow.date).where(RosterAssignmentRow.date >= first,
                                               RosterAssignmentRow.date <= last).distinct())
    return sorted(rows)


def save_roster(session: Session, plan_id: int | None, roster: Roster, *,
                replace: bool = False) -> int:
    """Store ``roster``'s assignments; returns how many. A rostered date is refused unless
    ``replace``, which drops the old roster of those dates first."""
    dates = sorted({a.date for a in roster.assignments})
    if not dates:
        return 0
    taken = [d for d in rostered_dates(session, dates[0], dates[-1]) if d in set(dates)]
    if taken and not replace:
        raise InputError("--start", taken[0].isoformat(),
                         f"{len(taken)} of these nights already have a roster; --force "
                         "replaces them")
    if taken:
        session.execute(delete(RosterAssignmentRow).where(RosterAssignmentRow.date.in_(taken)))
    now = utc_now()
    session.add_all(RosterAssignmentRow(date=a.date, team=a.team, position=a.position,
                                        role=a.role, person=a.person,
                                        with_principal=a.with_principal, plan_id=plan_id,
                                        rostered_at=now)
                    for a in roster.assignments)
    session.flush()
    return len(roster.assignments)


def rostered_between(session: Session, first: dt.date, last: dt.date) -> list[Assignment]:
    """Every stored assignment from ``first`` to ``last`` (inclusive), by date."""
    rows = session.scalars(
        select(RosterAssignmentRow)
        .where(RosterAssignmentRow.date >= first, RosterAssignmentRow.date <= last)
        .order_by(RosterAssignmentRow.date, RosterAssignmentRow.id))
    return [_stored(r) for r in rows]


def roster_on(session: Session, date: dt.date) -> list[Assignment]:
    """The stored roster of one night (empty when the night is not rostered)."""
    return rostered_between(session, date, date)
