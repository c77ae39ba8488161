"""The nightly risk against the phone cycle length D (the report's "risk vs cycle")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from escolta.errors import InputError
from escolta.protect.limits import MAX_CYCLE_SWEEP
from escolta.protect.plan import Plan
from escolta.protect.rotation import DAYS_PER_MONTH, cycle_length
from escolta.protect.scenario import Scenario
from escolta.protect.tracker import fold_tracker, merged_tracker_success


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
        from escolta.protect.solve import solve_plan  # only here: the handsets need no solver

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
