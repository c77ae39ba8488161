"""Phones: the exposure of a rotated handset, the tracker it feeds, the handset schedule.

Semantics are design.md section 4b. A phone on its a-th day in use (a = 1..D) is known to the
tracker with probability ``1 - (1 - q)**a`` (q = ``leak_per_day``: each day in use the number
leaks independently with probability q, and once known it stays known). Phones rotate on a
fixed cycle of D days and a retired phone never returns, so tonight's phone is on day a of its
cycle with probability 1/D, and is known with probability

    e = 1 - (1/D) * sum_{a=1..D} (1 - q)**a.

The tracker then enters the nightly game as two adversaries: weight ``tracker_weight * e`` that
``sees: site`` (``lead: 0``), and weight ``tracker_weight * (1 - e)`` that ``sees: nothing``.
:func:`fold_tracker` writes them into a scenario for the nightly solver and
:func:`unfold_plan` merges them back into one ``phone-tracker`` entry of the plan.

Examples
--------
>>> round(exposure(0.02, 2), 6)      # 1 - (0.98 + 0.9604) / 2
0.0298
>>> cycle_length(per_month=15), cycle_length(per_month=7), cycle_length(per_month=30)
(2, 5, 1)
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from escolta.errors import InputError
from escolta.protect.plan import Plan
from escolta.protect.rotation import (
    DAYS_PER_MONTH,
    PhoneExposure,
    cycle_length,
    day_exposure,
    exposure,
)
from escolta.protect.scenario import Scenario
from escolta.protect.tracker import (
    TRACKER,
    TRACKER_KNOWN,
    TRACKER_UNKNOWN,
    TrackerFold,
    fold_tracker,
    merged_tracker_success,
    phone_exposure,
    plan_weights,
    tracker_adversaries,
    without_idle_tracker,
)
from escolta.protect.unfold import unfold_plan

__all__ = [
    "DAYS_PER_MONTH",
    "TRACKER",
    "TRACKER_KNOWN",
    "TRACKER_UNKNOWN",
    "CyclePoint",
    "Handset",
    "HandsetDay",
    "HandsetSchedule",
    "PhoneExposure",
    "SolvePlan",
    "TrackerFold",
    "cycle_length",
    "cycle_sweep",
    "day_exposure",
    "exposure",
    "fold_tracker",
    "merged_tracker_success",
    "phone_exposure",
    "plan_weights",
    "schedule_handsets",
    "tracker_adversaries",
    "unfold_plan",
    "without_idle_tracker",
]

# --------------------------------------------------------------------------- handsets


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
    is an operational draw (design.md section 6): from the OS CSPRNG unless ``rng`` is given
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


# --------------------------------------------------------------------------- cycle sweep


@dataclass(frozen=True)
class CyclePoint:
    """The plan's risk when phones rotate every ``cycle_days`` days."""

    cycle_days: int
    exposure: float
    handsets_per_month: float
    allowed: bool
    risk: float
    tracker: float


SolvePlan = Callable[[Scenario], Plan]


def cycle_sweep(
    scenario: Scenario,
    cycle_days: Sequence[int] | None = None,
    solve: SolvePlan | None = None,
) -> tuple[CyclePoint, ...]:
    """The nightly risk against the phone cycle length D (the report's "risk vs cycle").

    Parameters
    ----------
    scenario
        A scenario with a ``phones`` section.
    cycle_days
        The cycles to try (default 1..max(14, the scenario's D)).
    solve
        The nightly solver, scenario -> plan, called on the folded scenario (default
        :func:`escolta.protect.solve.solve_plan`).

    Returns
    -------
    tuple of CyclePoint
        One per cycle; ``allowed`` says whether ``per_month`` handsets suffice for it.
    """
    if scenario.phones is None:
        raise InputError("phones", None, "the scenario has no phones section")
    if solve is None:
        from escolta.protect.solve import solve_plan  # the solver folds phones itself

        solve = solve_plan
    phones = scenario.phones
    own = cycle_length(phones.per_month, phones.max_days)
    if cycle_days is None:
        cycle_days = range(1, max(14, own) + 1)
    shortest = cycle_length(phones.per_month)
    points = []
    for days in cycle_days:
        folded, fold = fold_tracker(scenario, days)
        assert fold is not None
        plan = solve(folded.model_copy(update={"appearances": None}))  # nightly figures only
        points.append(CyclePoint(
            cycle_days=days,
            exposure=fold.exposure,
            handsets_per_month=DAYS_PER_MONTH / days,
            allowed=days >= shortest,
            risk=float(plan.risk),
            tracker=merged_tracker_success(plan.adversaries, fold),
        ))
    return tuple(points)


