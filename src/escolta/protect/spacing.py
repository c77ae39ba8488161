"""Which sets of appearance slots a week can hold (docs/design.md §4c).

A set is *feasible* when it has exactly ``per_week`` distinct slots whose start times are at
least ``min_gap_hours`` apart within the week (Monday 00:00 to Sunday 24:00, not wrapped).
A leaf: only the standard library, so that the scenario can refuse a week no set fits
(:func:`check_appearances`) without importing the appearance solvers.

Examples
--------
>>> from types import SimpleNamespace
>>> week = SimpleNamespace(per_week=2, min_gap_hours=12, slots=[
...     SimpleNamespace(venue="a", day="mon", start="08:00"),
...     SimpleNamespace(venue="b", day="mon", start="18:00"),
...     SimpleNamespace(venue="c", day="tue", start="08:00")])
>>> max_spaced_slots(week), is_feasible(week, (0, 1)), is_feasible(week, (0, 2))
(2, False, True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from escolta.errors import InputError
from escolta.protect.week import slot_minutes

if TYPE_CHECKING:
    from escolta.protect.scenario import Appearances

TOLERANCE = 1e-9
"""Minutes by which two starts may fall short of the gap and still count as spaced."""


def is_feasible(appearances: Appearances, slots: Sequence[int]) -> bool:
    """Whether ``slots`` (indices) is ``per_week`` distinct slots starting ``min_gap`` apart."""
    if len(set(slots)) != appearances.per_week or len(slots) != appearances.per_week:
        return False
    starts = sorted(slot_minutes(appearances.slots[i]) for i in slots)
    gap = appearances.min_gap_hours * 60.0
    return all(b - a >= gap - TOLERANCE for a, b in zip(starts, starts[1:], strict=False))


def max_spaced_slots(appearances: Appearances) -> int:
    """The most slots a week can hold with starts ``min_gap_hours`` apart.

    Greedy by earliest start, which is optimal for points on a line with a minimum spacing
    (the exchange argument of interval scheduling, Kleinberg & Tardos, *Algorithm Design*,
    section 4.1).
    """
    gap = appearances.min_gap_hours * 60.0
    count, last = 0, -math.inf
    for start in sorted(float(slot_minutes(s)) for s in appearances.slots):
        if start - last >= gap - TOLERANCE:
            count, last = count + 1, start
    return count


def check_appearances(appearances: Appearances) -> None:
    """Refuse what no week can satisfy: duplicate slots, ``per_week`` beyond the gap's room.

    Raises
    ------
    InputError
        Naming ``appearances.slots[i]`` or ``appearances.per_week`` and the value.
    """
    seen: dict[tuple[str, str, str], int] = {}
    for i, slot in enumerate(appearances.slots):
        key = (slot.venue, slot.day, slot.start)
        if key in seen:
            raise InputError(f"appearances.slots[{i}]", f"{slot.venue} {slot.day} {slot.start}",
                             f"repeats appearances.slots[{seen[key]}]")
        seen[key] = i
    room = max_spaced_slots(appearances)
    if appearances.per_week > room:
        raise InputError(
            "appearances.per_week",
            appearances.per_week,
            f"exceeds the {room} slots a week can hold {appearances.min_gap_hours:g} h apart",
        )
