"""Phone and appearance events for the iCalendar export (docs/design.md §4b, §4c).

:func:`escolta.reports.exports.ics_text` adds these beside the nights: an all-day event per
day naming the handset to carry, and a timed event per public appearance drawn for the week.
Like the nights, a seeded (simulation) draw says so in the title.

Examples
--------
>>> import datetime as dt
>>> lines = phone_vevents([PhoneEvent(dt.date(2030, 1, 2), "h7", 1, 2)], principal="P",
...                       stamp="20300101T000000Z")
>>> [line for line in lines if line.startswith("SUMMARY")]
['SUMMARY:P: carry handset h7 (day 1 of 2)']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from escolta.protect.rotation import cycle_length
from escolta.protect.week import slot_start, week_monday
from escolta.reports.ics import SEEDED_MARK, ics_escape, ics_slug

if TYPE_CHECKING:  # the record (sqlalchemy) loads only when events are gathered
    from sqlalchemy.orm import Session

    from escolta.protect.scenario import Scenario


@dataclass(frozen=True)
class PhoneEvent:
    """The handset carried on ``date``: day ``day_in_cycle`` of ``cycle_days``."""

    date: dt.date
    handset: str
    day_in_cycle: int
    cycle_days: int
    seeded: bool = False


@dataclass(frozen=True)
class AppearanceEvent:
    """A public appearance drawn for its week."""

    start: dt.datetime
    end: dt.datetime
    venue: str
    announce_hours: float
    seeded: bool = False


def phone_vevents(events: Sequence[PhoneEvent], *, principal: str, stamp: str) -> list[str]:
    """One all-day ``VEVENT`` per day, naming the handset (unfolded lines)."""
    lines: list[str] = []
    for event in events:
        summary = (f"{principal}: carry handset {event.handset} "
                   f"(day {event.day_in_cycle} of {event.cycle_days})")
        if event.seeded:
            summary = f"{SEEDED_MARK} {summary}"
        description = (f"Carry handset {event.handset} on {event.date.isoformat()}; it is "
                       f"retired after day {event.cycle_days} and never used again.")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.date:%Y%m%d}-phone-{ics_slug(principal)}@escolta",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(description)}",
            "CLASS:CONFIDENTIAL",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    return lines


def appearance_vevents(events: Sequence[AppearanceEvent], *, principal: str,
                       stamp: str) -> list[str]:
    """One timed ``VEVENT`` per appearance (floating local time, unfolded lines)."""
    lines: list[str] = []
    for event in events:
        summary = f"{principal}: public appearance at {event.venue}"
        if event.seeded:
            summary = f"{SEEDED_MARK} {summary}"
        description = (f"Announce no earlier than {event.announce_hours:g} h before "
                       f"{event.start:%Y-%m-%d %H:%M}.")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.start:%Y%m%dT%H%M}-appearance-{ics_slug(principal)}@escolta",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{event.start:%Y%m%dT%H%M%S}",
            f"DTEND:{event.end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{ics_escape(summary)}",
            f"LOCATION:{ics_escape(event.venue)}",
            f"DESCRIPTION:{ics_escape(description)}",
            "CLASS:CONFIDENTIAL",
            "END:VEVENT",
        ]
    return lines


def recorded_events(session: Session, scenario: Scenario, first: dt.date, last: dt.date
                    ) -> tuple[list[PhoneEvent], list[AppearanceEvent]]:
    """The phone days and drawn appearances the record holds for ``first..last``.

    Appearance weeks store slot indices into the scenario's ``appearances.slots``; indices
    the given scenario does not have are skipped.
    """
    from collections import Counter

    from escolta.store.appearances import appearance_week
    from escolta.store.phones import phone_days

    phones: list[PhoneEvent] = []
    if scenario.phones is not None:
        cycle = cycle_length(scenario.phones.per_month, scenario.phones.max_days)
        running: Counter[str] = Counter()
        for day in phone_days(session, None, last):
            running[day.handset.label] += 1
            if day.date >= first:
                phones.append(PhoneEvent(day.date, day.handset.label,
                                         running[day.handset.label], cycle, day.seeded))
    appearances: list[AppearanceEvent] = []
    section = scenario.appearances
    if section is not None:
        monday = week_monday(first)
        while monday <= last:
            week = appearance_week(session, monday)
            for index in () if week is None else week.slots:
                if not 0 <= index < len(section.slots):
                    continue
                slot = section.slots[index]
                start = slot_start(slot, monday)
                if first <= start.date() <= last:
                    appearances.append(AppearanceEvent(
                        start, start + dt.timedelta(hours=slot.hours), slot.venue,
                        section.announce_hours, week.seeded))
            monday += dt.timedelta(days=7)
    appearances.sort(key=lambda event: event.start)
    return phones, appearances
