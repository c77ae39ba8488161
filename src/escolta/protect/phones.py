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

import math
import random
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from escolta.errors import InputError
from escolta.protect.limits import MAX_CYCLE_SWEEP
from escolta.protect.plan import Plan
from escolta.protect.scenario import Adversary, Phones, Scenario

TRACKER = "phone-tracker"
"""The name of the folded tracker in a plan's ``adversaries``."""
TRACKER_KNOWN = "phone-tracker (known)"
"""The part of the tracker that knows tonight's number: ``sees: site``, ``lead: 0``."""
TRACKER_UNKNOWN = "phone-tracker (unknown)"
"""The part of the tracker whose number is stale: ``sees: nothing``."""

DAYS_PER_MONTH = 30


def cycle_length(per_month: int, max_days: int | None = None) -> int:
    """The rotation cycle D in days (design.md section 4b).

    ``max_days`` when given, else the shortest cycle ``per_month`` handsets per 30 days allow,
    ``ceil(30 / per_month)``.

    Raises
    ------
    InputError
        ``per_month`` below 1, ``max_days`` below 1, or a ``max_days`` so short that the cycle
        would need more than ``per_month`` handsets per 30 days.
    """
    if isinstance(per_month, bool) or not isinstance(per_month, int) or per_month < 1:
        raise InputError("phones.per_month", per_month, "must be a whole number of at least 1")
    shortest = -(-DAYS_PER_MONTH // per_month)
    if max_days is None:
        return shortest
    if isinstance(max_days, bool) or not isinstance(max_days, int) or max_days < 1:
        raise InputError("phones.max_days", max_days, "must be a whole number of at least 1")
    if max_days < shortest:
        raise InputError(
            "phones.max_days",
            max_days,
            f"needs {DAYS_PER_MONTH / max_days:g} handsets per {DAYS_PER_MONTH} days, more than "
            f"per_month = {per_month} allows (the shortest cycle is {shortest} days)",
        )
    return max_days


def exposure(leak_per_day: float, cycle_days: int) -> float:
    """Probability that tonight's phone is known: ``1 - (1/D) sum_{a=1..D} (1 - q)**a``.

    Parameters
    ----------
    leak_per_day
        q, the daily chance that the number of the phone in use becomes known; in [0, 1].
    cycle_days
        D, the days a handset is carried before it is retired; at least 1.

    Examples
    --------
    >>> exposure(0.0, 7), exposure(1.0, 3)
    (0.0, 1.0)
    >>> round(exposure(0.1, 1), 12)
    0.1
    """
    q = _leak(leak_per_day)
    if isinstance(cycle_days, bool) or not isinstance(cycle_days, int) or cycle_days < 1:
        raise InputError("phones.max_days", cycle_days, "must be a whole number of at least 1")
    kept = 1.0 - q
    if q == 0.0:
        return 0.0
    if q == 1.0:
        return 1.0
    # sum_{a=1..D} kept**a = kept (1 - kept**D) / q  (geometric series, q > 0), with
    # 1 - kept**D = -expm1(D log1p(-q)) so that a tiny q loses no digits
    unknown = kept * -math.expm1(cycle_days * math.log1p(-q)) / q / cycle_days
    return min(1.0, max(0.0, 1.0 - unknown))


def day_exposure(leak_per_day: float, day_in_cycle: int) -> float:
    """Probability that a phone on its ``a``-th day in use is known: ``1 - (1 - q)**a``."""
    return 1.0 - (1.0 - _leak(leak_per_day)) ** day_in_cycle


def _leak(leak_per_day: float) -> float:
    q = float(leak_per_day)
    if not (math.isfinite(q) and 0.0 <= q <= 1.0):
        raise InputError("phones.leak_per_day", leak_per_day, "must be a probability in [0, 1]")
    return q


@dataclass(frozen=True)
class PhoneExposure:
    """The cycle and the exposure it gives: the plan's ``phones`` section (design.md §5)."""

    cycle_days: int
    exposure: float

    def to_dict(self) -> dict[str, Any]:
        return {"cycle_days": int(self.cycle_days), "exposure": float(self.exposure)}


def phone_exposure(phones: Phones, cycle_days: int | None = None) -> PhoneExposure:
    """The cycle D of ``phones`` (or ``cycle_days`` to try another) and its exposure e."""
    days = (
        cycle_length(phones.per_month, phones.max_days) if cycle_days is None else cycle_days
    )
    return PhoneExposure(cycle_days=days, exposure=exposure(phones.leak_per_day, days))


# --------------------------------------------------------------------------- the tracker


@dataclass(frozen=True)
class TrackerFold:
    """What :func:`fold_tracker` added, so that :func:`unfold_plan` can merge it back."""

    cycle_days: int
    exposure: float
    tracker_weight: float

    @property
    def known_weight(self) -> float:
        return self.tracker_weight * self.exposure

    @property
    def unknown_weight(self) -> float:
        return self.tracker_weight * (1.0 - self.exposure)

    def phones_section(self) -> dict[str, Any]:
        return PhoneExposure(self.cycle_days, self.exposure).to_dict()


def tracker_adversaries(tracker_weight: float, exposure_: float) -> tuple[Adversary, Adversary]:
    """The tracker as the two adversaries of design.md section 4b (known, unknown)."""
    return (
        Adversary(name=TRACKER_KNOWN, weight=tracker_weight * exposure_, sees="site", lead=0),
        Adversary(name=TRACKER_UNKNOWN, weight=tracker_weight * (1.0 - exposure_),
                  sees="nothing", lead=0),
    )


def fold_tracker(
    scenario: Scenario, cycle_days: int | None = None
) -> tuple[Scenario, TrackerFold | None]:
    """The scenario with the phone tracker written out as two nightly adversaries.

    Parameters
    ----------
    scenario
        A validated scenario; without a ``phones`` section it is returned unchanged.
    cycle_days
        Use this cycle instead of the scenario's (for the risk-against-cycle sweep).

    Returns
    -------
    (Scenario, TrackerFold | None)
        The scenario the nightly solver should solve (its ``phones`` section removed, so it is
        never folded twice) and the record :func:`unfold_plan` needs; ``None`` without phones.

    Raises
    ------
    InputError
        An adversary of the scenario already uses one of the tracker's names.
    """
    if scenario.phones is None:
        return scenario, None
    for i, adversary in enumerate(scenario.adversaries):
        if adversary.name in (TRACKER, TRACKER_KNOWN, TRACKER_UNKNOWN):
            raise InputError(f"adversaries[{i}].name", adversary.name,
                             "is reserved for the phone tracker (phones section)")
    found = phone_exposure(scenario.phones, cycle_days)
    fold = TrackerFold(found.cycle_days, found.exposure, scenario.phones.tracker_weight)
    adversaries = [*scenario.adversaries, *tracker_adversaries(fold.tracker_weight, fold.exposure)]
    folded = scenario.model_copy(update={"adversaries": adversaries, "phones": None})
    return folded, fold


def plan_weights(scenario: Scenario) -> dict[str, float]:
    """Normalized adversary weights as the plan counts them (design.md sections 3, 4b).

    With phones the weights are normalized over the tracker too, and the tracker is listed
    once, as ``phone-tracker``, with ``tracker_weight`` over the total.
    """
    folded, fold = fold_tracker(scenario)
    weights = dict(folded.weights)
    if fold is not None:
        weights[TRACKER] = weights.pop(TRACKER_KNOWN) + weights.pop(TRACKER_UNKNOWN)
    return weights


def merged_tracker_success(adversaries: Mapping[str, float], fold: TrackerFold) -> float:
    """The tracker's success averaged over whether tonight's phone is known.

    With normalized weights the two parts stand in the ratio e : (1 - e), so the average is
    ``e * success(known) + (1 - e) * success(unknown)``.
    """
    known = float(adversaries.get(TRACKER_KNOWN, 0.0))
    unknown = float(adversaries.get(TRACKER_UNKNOWN, 0.0))
    return fold.exposure * known + (1.0 - fold.exposure) * unknown


def without_idle_tracker(folded: Scenario) -> Scenario:
    """The folded scenario less any tracker part of weight 0 (a number that never leaks, or
    ``tracker_weight: 0``): it adds nothing to the risk, so the solver need not see it, and
    :func:`unfold_plan` scores it against the plan afterwards."""
    parts = (TRACKER_KNOWN, TRACKER_UNKNOWN)
    keep = [a for a in folded.adversaries if not (a.name in parts and a.weight == 0)]
    if len(keep) == len(folded.adversaries):
        return folded
    return folded.model_copy(update={"adversaries": keep})


def unfold_plan(plan: Plan, fold: TrackerFold | None, folded: Scenario | None = None) -> Plan:
    """Merge the two tracker parts of a plan solved on a folded scenario into ``phone-tracker``.

    ``risk`` is unchanged (it already counts both parts with their weights); ``adversaries``
    lists ``phone-tracker`` in place of the two parts; ``extra["phones"]`` gives the cycle
    and exposure (design.md section 5). A part the solver did not see (weight 0, see
    :func:`without_idle_tracker`) is scored by the exact evaluator on ``folded``.
    """
    if fold is None:
        return plan
    figures = dict(plan.adversaries)
    missing = [name for name in (TRACKER_KNOWN, TRACKER_UNKNOWN) if name not in figures]
    if missing and folded is not None:
        from escolta.protect.evaluate import evaluate_plan

        scored = evaluate_plan(folded, plan).success
        figures.update({name: float(scored[name]) for name in missing})
    adversaries = {
        name: value for name, value in figures.items()
        if name not in (TRACKER_KNOWN, TRACKER_UNKNOWN)
    }
    adversaries[TRACKER] = merged_tracker_success(figures, fold)
    extra = {**plan.extra, "phones": fold.phones_section()}
    return Plan(
        risk=plan.risk,
        adversaries=adversaries,
        site_probability=plan.site_probability,
        nights=plan.nights,
        pairs=plan.pairs,
        solver=plan.solver,
        extra=extra,
    )


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
    longest = max(cycle_days, default=0)
    if longest > MAX_CYCLE_SWEEP or len(cycle_days) > MAX_CYCLE_SWEEP:
        raise InputError("--max-days", longest, f"the sweep re-solves the plan for each cycle "
                                                f"length; at most {MAX_CYCLE_SWEEP} days")
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


