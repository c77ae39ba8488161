"""Exact evaluation of a plan: each adversary's best response per signal, its success, the risk.

An adversary of docs/design.md §4 knows the plan's odds and its signal σ (tonight's with
``lead: 0``, last night's with ``lead: 1``). It attacks the target (site, room) that maximizes
``Σ_ω P(σ, ω) · success(target, ω)``, or does not attack when nothing pays; its success is the
sum of those maxima over σ, and the plan's risk is ``Σ_θ weight_θ · success_θ``.

:func:`~escolta.protect.evaluate.night_cost.night_cost` prices one specific night (a
manual override, as ARMOR warned its users): each adversary's success that night when it
plays its best response to the plan.

Examples
--------
>>> from escolta.protect.scenario import load_scenario
>>> from escolta.protect.plan import Night, Plan, SolverInfo
>>> s = load_scenario({"principal": "P",
...     "sites": [{"name": "a", "success": [0.8]}, {"name": "b", "success": [0.4]}],
...     "adversaries": [{"name": "blind", "weight": 1}]})
>>> plan = Plan(risk=0, adversaries={}, site_probability={}, solver=SolverInfo("given", 0, 0),
...     nights=(Night(1/3, "a", 1, {}), Night(2/3, "b", 1, {})), pairs=None)
>>> e = evaluate_plan(s, plan)
>>> round(e.risk, 6), e.adversaries["blind"].responses[()].targets
(0.266667, ((0, 1), (1, 1)))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from escolta.protect.nights import (
    NightState,
    Signal,
    Target,
    night_success,
    observed,
    state_of,
)
from escolta.protect.plan import Plan
from escolta.protect.scenario import Adversary, Scenario
from escolta.protect.tracker import TRACKER, fold_tracker, merged_tracker_success

#: Two targets whose values differ by less than this are tied best responses.
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class BestResponse:
    """An adversary's best response to one signal.

    ``probability`` is P(σ); ``value`` is ``max_t Σ_ω P(σ, ω) · success(t, ω)`` (the part of
    the adversary's success earned on σ); ``targets`` lists every target attaining it (ties),
    empty when no attack pays (value 0).
    """

    signal: Signal
    probability: float
    value: float
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class AdversaryResult:
    """One adversary against a plan: its success and best response for every signal."""

    name: str
    weight: float
    success: float
    responses: Mapping[Signal, BestResponse]


@dataclass(frozen=True)
class Evaluation:
    """Every adversary's exact success against a plan, and the risk (their weighted sum).

    ``adversaries`` holds each nightly adversary's best responses; with phones (design.md
    section 4b) the tracker appears there as its two parts (phone known / unknown), while
    ``success`` lists it once as ``phone-tracker``, averaged over whether the phone is known,
    as the plan export does.
    """

    risk: float
    adversaries: Mapping[str, AdversaryResult]
    success: Mapping[str, float]


def _best_response(signal_value: Signal, probability: float,
                   values: Mapping[Target, float]) -> BestResponse:
    best = max(values.values(), default=0.0)
    if best <= TIE_TOLERANCE:
        return BestResponse(signal_value, probability, max(best, 0.0), ())
    tied = tuple(sorted(t for t, v in values.items() if v >= best - TIE_TOLERANCE))
    return BestResponse(signal_value, probability, best, tied)


def _responses(
    scenario: Scenario,
    adversary: Adversary,
    states: Sequence[NightState],
    probabilities: Sequence[float],
    pairs: Sequence[tuple[int, int, float]] | None,
) -> dict[Signal, BestResponse]:
    seen = [observed(scenario, adversary, state) for state in states]
    # joint[σ][target] = Σ P(σ, tonight) · success(target, tonight); mass[σ] = P(σ)
    joint: dict[Signal, dict[Target, float]] = defaultdict(lambda: defaultdict(float))
    mass: dict[Signal, float] = defaultdict(float)
    if adversary.lead == 0:
        for state, seen_tonight, p in zip(states, seen, probabilities, strict=True):
            mass[seen_tonight] += p
            joint[seen_tonight][(state.site, state.room)] += (
                p * night_success(scenario, adversary, state))
    else:
        for i, p in enumerate(probabilities):
            mass[seen[i]] += p
        if pairs is None:  # nights independent: P(σ, tonight) = P(σ) · P(tonight)
            tonight_value: dict[Target, float] = defaultdict(float)
            for state, p in zip(states, probabilities, strict=True):
                tonight_value[(state.site, state.room)] += (
                    p * night_success(scenario, adversary, state))
            for sigma, p_sigma in mass.items():
                for target, value in tonight_value.items():
                    joint[sigma][target] += p_sigma * value
        else:
            for i, j, p in pairs:
                tonight = states[j]
                joint[seen[i]][(tonight.site, tonight.room)] += (
                    p * night_success(scenario, adversary, tonight))
    return {sigma: _best_response(sigma, mass[sigma], joint.get(sigma, {})) for sigma in mass}


def evaluate_states(
    scenario: Scenario,
    states: Sequence[NightState],
    probabilities: Sequence[float],
    pairs: Sequence[tuple[int, int, float]] | None = None,
) -> Evaluation:
    """Evaluate a plan given as nights, their probabilities and the two-night distribution.

    Parameters
    ----------
    scenario
        The scenario the plan is for.
    states
        The nights of the plan's support.
    probabilities
        Their stationary probabilities.
    pairs
        ``(yesterday index, tonight index, P)`` of the stationary two-night distribution;
        ``None`` when nights are drawn independently.
    """
    weights = scenario.weights
    results = {}
    for adversary in scenario.adversaries:
        responses = _responses(scenario, adversary, states, probabilities, pairs)
        total = sum(response.value for response in responses.values())
        results[adversary.name] = AdversaryResult(
            adversary.name, weights[adversary.name], total, MappingProxyType(responses))
    risk = sum(weights[name] * result.success for name, result in results.items())
    success_by_name = {name: result.success for name, result in results.items()}
    return Evaluation(risk, MappingProxyType(results), MappingProxyType(success_by_name))


def fold_phones(scenario: Scenario) -> tuple[Scenario, Callable[[Mapping[str, float]],
                                                                 dict[str, float]]]:
    """The scenario with the phone tracker as two nightly adversaries (docs/design.md §4b),
    and how to merge their figures back into ``phone-tracker``."""
    if scenario.phones is None:
        return scenario, dict
    folded, fold = fold_tracker(scenario)
    assert fold is not None
    parts = {a.name for a in folded.adversaries} - {a.name for a in scenario.adversaries}

    def merge(figures: Mapping[str, float]) -> dict[str, float]:
        out = {name: v for name, v in figures.items() if name not in parts}
        out[TRACKER] = merged_tracker_success(figures, fold)
        return out

    return folded, merge


def evaluate_plan(scenario: Scenario, plan: Plan) -> Evaluation:
    """Each adversary's exact best response to ``plan`` and its success, and the risk.

    Lead-1 adversaries read ``plan.pairs``; without pairs the nights are independent. With
    phones, the tracker is evaluated as docs/design.md §4b folds it into the nightly game.
    """
    folded, merge = fold_phones(scenario)
    states = [state_of(scenario, night) for night in plan.nights]
    pairs = None
    if plan.pairs is not None:
        plan.pairs.check_indices(len(states))
        pairs = plan.pairs.triples()
    evaluation = evaluate_states(folded, states, [night.p for night in plan.nights], pairs)
    if folded is scenario:
        return evaluation
    return Evaluation(evaluation.risk, evaluation.adversaries,
                      MappingProxyType(merge(evaluation.success)))
