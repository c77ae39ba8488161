"""The phone tracker in the nightly game (docs/design.md §4b).

The tracker enters the nightly game as two adversaries: weight ``tracker_weight * e`` that
``sees: site`` (``lead: 0``), and weight ``tracker_weight * (1 - e)`` that ``sees: nothing``,
with e the exposure of :func:`escolta.protect.rotation.exposure`. :func:`fold_tracker` writes
them into a scenario for the nightly solver and the evaluator;
:func:`escolta.protect.unfold.unfold_plan` merges them back into one ``phone-tracker`` entry
of the plan.

Examples
--------
>>> known, unknown = tracker_adversaries(2.0, 0.25)
>>> (known.name, known.weight, known.sees), (unknown.weight, unknown.sees)
(('phone-tracker (known)', 0.5, 'site'), (1.5, 'nothing'))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from escolta.errors import InputError
from escolta.protect.rotation import PhoneExposure, cycle_length, exposure
from escolta.protect.scenario import Adversary, Phones, Scenario

TRACKER = "phone-tracker"
"""The name of the folded tracker in a plan's ``adversaries``."""
TRACKER_KNOWN = "phone-tracker (known)"
"""The part of the tracker that knows tonight's number: ``sees: site``, ``lead: 0``."""
TRACKER_UNKNOWN = "phone-tracker (unknown)"
"""The part of the tracker whose number is stale: ``sees: nothing``."""

def phone_exposure(phones: Phones, cycle_days: int | None = None) -> PhoneExposure:
    """The cycle D of ``phones`` (or ``cycle_days`` to try another) and its exposure e."""
    days = (
        cycle_length(phones.per_month, phones.max_days) if cycle_days is None else cycle_days
    )
    return PhoneExposure(cycle_days=days, exposure=exposure(phones.leak_per_day, days))

@dataclass(frozen=True)
class TrackerFold:
    """What :func:`fold_tracker` added, so that :func:`~escolta.protect.unfold.unfold_plan`
    can merge it back."""

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
    """The tracker as the two adversaries of docs/design.md §4b (known, unknown)."""
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
        never folded twice) and the record :func:`~escolta.protect.unfold.unfold_plan` needs;
        ``None`` without phones.

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
    """Normalized adversary weights as the plan counts them (docs/design.md §3, §4b).

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
    :func:`~escolta.protect.unfold.unfold_plan` scores it against the plan afterwards."""
    parts = (TRACKER_KNOWN, TRACKER_UNKNOWN)
    keep = [a for a in folded.adversaries if not (a.name in parts and a.weight == 0)]
    if len(keep) == len(folded.adversaries):
        return folded
    return folded.model_copy(update={"adversaries": keep})
