"""The week of public appearances: days, slot start times, and dates (docs/design.md §4c).

A leaf: only the standard library, so that the scenario's validation and the appearance
solvers share one calendar without importing each other.

Examples
--------
>>> clock_minutes("tue", "09:30")
2010
>>> week_monday(date(2030, 1, 3)).isoformat()
'2029-12-31'
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The days of a week, Monday first, as scenario slots name them."""


class TimedSlot(Protocol):
    """Anything with a ``day`` of :data:`DAYS` and a ``start`` ``HH:MM`` (a scenario slot)."""

    @property
    def day(self) -> str: ...

    @property
    def start(self) -> str: ...


def clock_minutes(day: str, start: str) -> int:
    """Minutes from Monday 00:00 to ``start`` (``HH:MM``) on ``day``."""
    hours, minutes = (int(part) for part in start.split(":"))
    return DAYS.index(day) * 24 * 60 + hours * 60 + minutes


def slot_minutes(slot: TimedSlot) -> int:
    """Minutes from Monday 00:00 to the start of ``slot``."""
    return clock_minutes(slot.day, slot.start)


def week_monday(day: date) -> date:
    """The Monday of the (ISO) week holding ``day``."""
    return day - timedelta(days=day.weekday())


def slot_start(slot: TimedSlot, monday: date) -> datetime:
    """The start of ``slot`` in the week beginning ``monday`` (naive local time)."""
    return datetime.combine(monday, datetime.min.time()) + timedelta(minutes=slot_minutes(slot))
