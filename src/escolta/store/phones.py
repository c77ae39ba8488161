"""The handset inventory and the phone carried each day (docs/design.md §4b).

Functions take the session of the caller's one transaction and return frozen dataclasses.
A retired handset never returns: :func:`assign_phone_day` refuses it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.store.models import HandsetRow, PhoneDayRow
from escolta.store.record import utc_now


@dataclass(frozen=True)
class Handset:
    id: int
    label: str
    added_at: dt.datetime
    retired_at: dt.datetime | None
    notes: str | None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


@dataclass(frozen=True)
class PhoneDay:
    date: dt.date
    handset: Handset
    seeded: bool
    assigned_at: dt.datetime


def _handset(row: HandsetRow) -> Handset:
    return Handset(row.id, row.label, row.added_at, row.retired_at, row.notes)


def _row_by_label(session: Session, label: str) -> HandsetRow:
    row = session.scalars(select(HandsetRow).where(HandsetRow.label == label)).first()
    if row is None:
        raise InputError("handset", label, "no such handset in the inventory")
    return row


LABEL_LENGTH = 200
NOTES_LENGTH = 10_000


def add_handset(session: Session, label: str, notes: str | None = None) -> Handset:
    """Add a handset to the inventory; its label must be new."""
    label = label.strip()
    if not label:
        raise InputError("handset", label, "the label must not be empty")
    if len(label) > LABEL_LENGTH:  # the column's width (models.HandsetRow.label)
        raise InputError("handset", f"{len(label):,} characters",
                         f"a label has at most {LABEL_LENGTH} characters")
    if notes is not None and len(notes) > NOTES_LENGTH:
        raise InputError("--notes", f"{len(notes):,} characters",
                         f"a note has at most {NOTES_LENGTH:,} characters")
    if session.scalars(select(HandsetRow).where(HandsetRow.label == label)).first():
        raise InputError("handset", label, "a handset with this label already exists")
    row = HandsetRow(label=label, added_at=utc_now(), retired_at=None, notes=notes)
    session.add(row)
    session.flush()
    return _handset(row)


def list_handsets(session: Session, *, include_retired: bool = False) -> list[Handset]:
    """Handsets in the order they were added (only those in service unless asked)."""
    query = select(HandsetRow).order_by(HandsetRow.id)
    if not include_retired:
        query = query.where(HandsetRow.retired_at.is_(None))
    return [_handset(r) for r in session.scalars(query)]


def retire_handset(session: Session, label: str, when: dt.datetime | None = None) -> Handset:
    """Retire a handset for good (retiring it twice is refused)."""
    row = _row_by_label(session, label)
    if row.retired_at is not None:
        raise InputError("handset", label, f"was already retired on {row.retired_at:%Y-%m-%d}")
    row.retired_at = when or utc_now()
    session.flush()
    return _handset(row)


def assign_phone_day(session: Session, date: dt.date, label: str, *, seeded: bool) -> PhoneDay:
    """Say which handset is carried on ``date`` (replacing an earlier assignment)."""
    handset = _row_by_label(session, label)
    if handset.retired_at is not None:
        raise InputError("handset", label, "is retired and never returns")
    row = session.scalars(select(PhoneDayRow).where(PhoneDayRow.date == date)).first()
    if row is None:
        row = PhoneDayRow(date=date)
        session.add(row)
    row.handset_id = handset.id
    row.seeded = seeded
    row.assigned_at = utc_now()
    session.flush()
    return PhoneDay(date, _handset(handset), seeded, row.assigned_at)


def phone_days(session: Session, start: dt.date | None = None,
               end: dt.date | None = None) -> list[PhoneDay]:
    """Phone assignments by date, within ``[start, end]`` when given."""
    query = select(PhoneDayRow, HandsetRow).join(HandsetRow,
                                                  PhoneDayRow.handset_id == HandsetRow.id)
    if start is not None:
        query = query.where(PhoneDayRow.date >= start)
    if end is not None:
        query = query.where(PhoneDayRow.date <= end)
    return [PhoneDay(day.date, _handset(handset), day.seeded, day.assigned_at)
            for day, handset in session.execute(query.order_by(PhoneDayRow.date))]
