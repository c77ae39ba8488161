"""Which handset is carried each day, on a fixed cycle, until the inventory runs out.

Tomorrow's phone is an operational draw (docs/design.md §6): the order of fresh handsets
comes from the OS CSPRNG unless a seeded generator is given for simulation.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from escolta.errors import InputError


@dataclass(frozen=True)
class Handset:
    """A handset of the inventory: ``days_used`` days carried so far, ``retired`` once done."""

    label: str
    days_used: int = 0
    retired: bool = False


@dataclass(frozen=True)
class HandsetDay:
    """The handset carried on ``day`` (``None`` once the inventory has run out)."""

    day: date
    handset: str | None
    day_in_cycle: int

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "handset": self.handset,
                "day_in_cycle": self.day_in_cycle}


@dataclass(frozen=True)
class HandsetSchedule:
    """Which handset is carried each day, when each retires, and when the inventory runs out.

    ``runs_out`` is the first day no unretired handset is left for (it may lie beyond
    ``days``); ``retire`` lists each handset finishing its cycle within the schedule with the
    last day it is carried.
    """

    cycle_days: int
    days: tuple[HandsetDay, ...]
    retire: tuple[tuple[str, date], ...]
    runs_out: date

    def handset_on(self, day: date) -> str | None:
        for entry in self.days:
            if entry.day == day:
                return entry.handset
        raise InputError("date", day.isoformat(), "is not in the handset schedule")

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycle_days": self.cycle_days,
            "days": [d.to_dict() for d in self.days],
            "retire": [{"handset": label, "last_day": d.isoformat()} for label, d in self.retire],
            "runs_out": self.runs_out.isoformat(),
        }


def schedule_handsets(
    handsets: Sequence[Handset],
    start: date,
    days: int,
    cycle_days: int,
    *,
    rng: random.Random | None = None,
    shuffle: bool = True,
) -> HandsetSchedule:
    """Assign a handset to each of ``days`` days from ``start`` on a fixed D-day cycle.

    One part-used handset (``0 < days_used < D``, not retired) is carried first until its D
    days are done; the fresh ones follow in an order drawn at random, since tomorrow's phone
    is an operational draw (docs/design.md §6): from the OS CSPRNG unless ``rng`` is given
    (a seeded ``random.Random`` is for simulation only). Each handset is carried for exactly
    D consecutive days and then retired; a retired handset (or one already used D days) is
    never issued again. When no handset is left the day's handset is ``None``.

    Parameters
    ----------
    handsets
        The inventory.
    start
        The first day of the schedule.
    days
        How many days to schedule (0 or more).
    cycle_days
        D, from :func:`cycle_length`.
    rng
        Where the order of fresh handsets comes from; default ``secrets.SystemRandom()``.
    shuffle
        ``False`` issues fresh handsets in inventory order (for previews and worked examples).

    Examples
    --------
    >>> s = schedule_handsets([Handset("a", 1), Handset("b"), Handset("c", retired=True)],
    ...                       date(2026, 1, 1), 4, 2)
    >>> [d.handset for d in s.days], s.runs_out.isoformat()
    (['a', 'b', 'b', None], '2026-01-04')
    """
    if isinstance(cycle_days, bool) or not isinstance(cycle_days, int) or cycle_days < 1:
        raise InputError("cycle_days", cycle_days, "must be a whole number of at least 1")
    if days < 0:
        raise InputError("days", days, "must not be negative")
    seen: set[str] = set()
    for handset in handsets:
        if handset.label in seen:
            raise InputError("handset", handset.label, "is listed twice in the inventory")
        seen.add(handset.label)
        if handset.days_used < 0:
            raise InputError(f"handset {handset.label}.days_used", handset.days_used,
                             "must not be negative")
    usable = [h for h in handsets if not h.retired and h.days_used < cycle_days]
    in_use = [h for h in usable if h.days_used > 0]  # continue their cycle first
    fresh = [h for h in usable if h.days_used == 0]
    if shuffle:
        (rng if rng is not None else secrets.SystemRandom()).shuffle(fresh)
    queue = [(h.label, h.days_used) for h in in_use + fresh]
    total_days_left = sum(cycle_days - used for _, used in queue)
    runs_out = start + timedelta(days=total_days_left)

    schedule: list[HandsetDay] = []
    retire: list[tuple[str, date]] = []
    position = 0
    for offset in range(days):
        today = start + timedelta(days=offset)
        if position >= len(queue):
            schedule.append(HandsetDay(today, None, 0))
            continue
        label, used = queue[position]
        used += 1
        schedule.append(HandsetDay(today, label, used))
        if used == cycle_days:
            retire.append((label, today))
            position += 1
        else:
            queue[position] = (label, used)
    return HandsetSchedule(cycle_days, tuple(schedule), tuple(retire), runs_out)
