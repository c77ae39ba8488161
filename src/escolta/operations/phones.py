"""The handsets of docs/design.md §4b in the record: the inventory, and who carries what when.

Each handset is carried for D consecutive days (the scenario's cycle) and then retired for
good, so a retired handset is never issued again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.protect.phones import Handset, HandsetSchedule, cycle_length, schedule_handsets
from escolta.protect.scenario import Scenario
from escolta.reports.calendar_events import PhoneEvent
from escolta.store import phones as phone_store


def add_handsets(session: Session, labels: Sequence[str], notes: str | None = None
                 ) -> list[phone_store.Handset]:
    """Add handsets to the inventory, issued in the order given; a label given twice is
    refused before anything is added (the store refuses an empty or overlong one)."""
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise InputError("LABEL", label, "is given twice")
        seen.add(label)
    return [phone_store.add_handset(session, label, notes) for label in labels]


def handset_rows(session: Session, *, include_retired: bool = False) -> list[dict[str, Any]]:
    """The inventory as rows: label, when added, days assigned, when retired, notes."""
    used = Counter(day.handset.label for day in phone_store.phone_days(session))
    return [{"label": h.label, "added": h.added_at.isoformat(timespec="seconds"),
             "days_assigned": used.get(h.label, 0),
             "retired": None if h.retired_at is None else
             h.retired_at.isoformat(timespec="seconds"), "notes": h.notes}
            for h in phone_store.list_handsets(session, include_retired=include_retired)]


def inventory(session: Session) -> tuple[list[Handset], dt.date | None]:
    """The store's handsets as :class:`Handset` (days used = days assigned) and the last day
    already assigned a phone."""
    days = phone_store.phone_days(session)
    used = Counter(day.handset.label for day in days)
    handsets = [Handset(h.label, used.get(h.label, 0), h.retired)
                for h in phone_store.list_handsets(session, include_retired=True)]
    return handsets, (days[-1].date if days else None)


def record_handsets(session: Session, handsets: list[Handset], first: dt.date, days: int,
                    cycle: int) -> HandsetSchedule:
    """Schedule handsets from ``first`` and record it: each day's handset, and each handset
    whose D days are done retired (from the day after its last) so it is never issued again."""
    schedule = schedule_handsets(handsets, first, days, cycle)
    for entry in schedule.days:
        if entry.handset is not None:
            phone_store.assign_phone_day(session, entry.day, entry.handset, seeded=False)
    for label, last_day in schedule.retire:
        when = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time())
        phone_store.retire_handset(session, label, when)
    return schedule


def assign_phone_days(session: Session, scenario: Scenario, first: dt.date,
                      days: int) -> HandsetSchedule | None:
    """Give a handset to each of the days ``first..first+days-1`` not yet assigned one (days
    already assigned keep theirs), continuing the cycle.

    ``None`` when the scenario has no phones or the record keeps no handsets at all.
    """
    if scenario.phones is None:
        return None
    handsets, last = inventory(session)
    if not handsets:
        return None
    cycle = cycle_length(scenario.phones.per_month, scenario.phones.max_days)
    end = first + dt.timedelta(days=days - 1)
    start = first if last is None else max(first, last + dt.timedelta(days=1))
    return record_handsets(session, handsets, start, max(0, (end - start).days + 1), cycle)


def first_phone_day(start: dt.date | None, last: dt.date | None, today: dt.date) -> dt.date:
    """Where a phone schedule starts: ``start`` (after every day already assigned), else the
    day after the last assigned, and never before today."""
    if start is None:
        return today if last is None else max(today, last + dt.timedelta(days=1))
    if last is not None and start <= last:
        raise InputError("--start", start.isoformat(),
                         f"phones are already assigned up to {last.isoformat()}")
    return start


def schedule_phones(session: Session, scenario: Scenario, start: dt.date | None, days: int,
                    today: dt.date) -> HandsetSchedule:
    """Name and record the handset of each of ``days`` coming days on the scenario's cycle."""
    if scenario.phones is None:
        raise InputError("phones", None, "the scenario has no phones section")
    cycle = cycle_length(scenario.phones.per_month, scenario.phones.max_days)
    handsets, last = inventory(session)
    first = first_phone_day(start, last, today)
    if days > (dt.date.max - first).days:
        raise InputError("--days", days, f"runs past the last date ({dt.date.max.isoformat()})")
    return record_handsets(session, handsets, first, days, cycle)


def phone_context(schedule: HandsetSchedule | None,
                  events: Sequence[PhoneEvent]) -> dict[str, Any]:
    """For a schedule's JSON: each day's handset and when the inventory runs out."""
    if schedule is None and not events:
        return {}
    return {"phones": {
        "handsets": {e.date.isoformat(): e.handset for e in events},
        "runs_out": None if schedule is None else schedule.runs_out.isoformat()}}
