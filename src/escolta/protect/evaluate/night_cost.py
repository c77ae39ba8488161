"""What one specific night costs against a plan (a manual override, as ARMOR warned its
users): each adversary's success that night when it plays its best response to the plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from escolta.protect.evaluate.best_responses import Evaluation, evaluate_plan, fold_phones
from escolta.protect.nights import NightState, night_success, observed, state_of, success
from escolta.protect.plan import Night, Plan
from escolta.protect.scenario import Scenario


@dataclass(frozen=True)
class NightCost:
    """What one specific night costs against the plan's best responses.

    ``adversaries``: each adversary's success that night, its tied best responses taken with
    equal odds (so the expectation over the plan's own nights is the plan's figure);
    ``worst``: the same with ties broken against the principal. ``unseen`` names the
    adversaries whose signal that night never occurs under the plan: they know the plan was
    overridden, and are priced at the worst case (an attack on the principal's room).
    """

    adversaries: Mapping[str, float]
    worst: Mapping[str, float]
    unseen: tuple[str, ...]
    risk: float
    worst_risk: float


def _as_state(scenario: Scenario, night: NightState | Night) -> NightState:
    return night if isinstance(night, NightState) else state_of(scenario, night)


def night_cost(
    scenario: Scenario,
    plan: Plan,
    night: NightState | Night,
    yesterday: NightState | Night | None = None,
    *,
    evaluation: Evaluation | None = None,
) -> NightCost:
    """Each adversary's success on ``night`` when it plays its best response to ``plan``.

    Parameters
    ----------
    scenario, plan
        The plan the adversaries best-respond to.
    night
        Tonight, as the detail actually spends it (it need not be in the plan).
    yesterday
        Last night, which lead-1 adversaries saw. ``None``: averaged over the plan's law of
        yesterday given tonight (the stationary law when tonight is not in the plan).
    evaluation
        ``evaluate_plan(scenario, plan)``, if already computed.
    """
    tonight = _as_state(scenario, night)
    evaluation = evaluation or evaluate_plan(scenario, plan)
    scenario, merge = fold_phones(scenario)
    if yesterday is not None:
        yesterdays = [(_as_state(scenario, yesterday), 1.0)]
    else:
        yesterdays = _yesterday_law(scenario, plan, tonight)
    weights = scenario.weights
    expected: dict[str, float] = {}
    worst: dict[str, float] = {}
    unseen: list[str] = []
    for adversary in scenario.adversaries:
        responses = evaluation.adversaries[adversary.name].responses
        if adversary.lead == 0:
            seen = [(observed(scenario, adversary, tonight), 1.0)]
        else:
            seen = [(observed(scenario, adversary, y), q) for y, q in yesterdays]
        cost = cost_worst = 0.0
        off_plan = False
        for sigma, q in seen:
            response = responses.get(sigma)
            if response is None or response.probability <= 0.0:
                off_plan = True
                full = night_success(scenario, adversary, tonight)
                cost += q * full
                cost_worst += q * full
                continue
            hits = [success(scenario, adversary, t, tonight) for t in response.targets]
            if hits:
                cost += q * sum(hits) / len(hits)
                cost_worst += q * max(hits)
        expected[adversary.name] = cost
        worst[adversary.name] = cost_worst
        if off_plan:
            unseen.append(adversary.name)
    return NightCost(
        adversaries=MappingProxyType(merge(expected)),
        worst=MappingProxyType(merge(worst)),
        unseen=tuple(unseen),
        risk=sum(weights[n] * v for n, v in expected.items()),
        worst_risk=sum(weights[n] * v for n, v in worst.items()),
    )


def _yesterday_law(scenario: Scenario, plan: Plan,
                   tonight: NightState) -> list[tuple[NightState, float]]:
    states = [state_of(scenario, n) for n in plan.nights]
    total = sum(n.p for n in plan.nights)
    marginal = [(state, n.p / total) for state, n in zip(states, plan.nights, strict=True)]
    if plan.pairs is None or tonight not in states:
        return marginal
    j = states.index(tonight)
    column = [(states[q.yesterday], q.p) for q in plan.pairs if q.tonight == j]
    mass = sum(p for _, p in column)
    if mass <= 0.0:
        return marginal
    return [(state, p / mass) for state, p in column]
