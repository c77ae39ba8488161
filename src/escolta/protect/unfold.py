"""A plan solved on a folded scenario, with the phone tracker merged back (docs/design.md §4b, §5).

:func:`escolta.protect.tracker.fold_tracker` splits the tracker into two nightly adversaries
for the solver; :func:`unfold_plan` lists them again as one ``phone-tracker``, scoring with
the exact evaluator any part the solver did not see.
"""

from __future__ import annotations

from escolta.protect.evaluate import evaluate_plan
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario
from escolta.protect.tracker import (
    TRACKER,
    TRACKER_KNOWN,
    TRACKER_UNKNOWN,
    TrackerFold,
    merged_tracker_success,
)


def unfold_plan(plan: Plan, fold: TrackerFold | None, folded: Scenario | None = None) -> Plan:
    """Merge the two tracker parts of a plan solved on a folded scenario into ``phone-tracker``.

    ``risk`` is unchanged (it already counts both parts with their weights); ``adversaries``
    lists ``phone-tracker`` in place of the two parts; ``extra["phones"]`` gives the cycle
    and exposure (docs/design.md §5). A part the solver did not see (weight 0, see
    :func:`~escolta.protect.tracker.without_idle_tracker`) is scored by the exact evaluator
    on ``folded``.
    """
    if fold is None:
        return plan
    figures = dict(plan.adversaries)
    missing = [name for name in (TRACKER_KNOWN, TRACKER_UNKNOWN) if name not in figures]
    if missing and folded is not None:
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

