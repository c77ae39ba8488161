"""Exact evaluation of given plans, one night's cost, and the baseline plans, by hand."""

from __future__ import annotations

from typing import Any

import pytest
from json_evaluator import check_export
from scenarios import FEATURE_CASES

from escolta.protect.baselines import fortress_plan, uniform_plan
from escolta.protect.evaluate import evaluate_plan, night_cost
from escolta.protect.nights import NightState, state_of
from escolta.protect.plan import Night, Pair, Plan, SolverInfo
from escolta.protect.reference import solve_reference
from escolta.protect.scenario import load_scenario

# Two one-room sites without teams: a (success 0.8) and b (0.4).
AB: dict[str, Any] = {
    "principal": "P",
    "sites": [{"name": "a", "success": [0.8]}, {"name": "b", "success": [0.4]}],
    "adversaries": [
        {"name": "blind", "weight": 1, "sees": "nothing"},
        {"name": "tracker", "weight": 1, "sees": "site"},
        {"name": "informant", "weight": 2, "sees": "site", "lead": 1},
    ],
}
A, B = Night(0.5, "a", 1, {}), Night(0.5, "b", 1, {})


def _plan(nights: tuple[Night, ...], pairs: tuple[Pair, ...] | None) -> Plan:
    return Plan(risk=0.0, adversaries={}, site_probability={}, nights=nights, pairs=pairs,
                solver=SolverInfo("given", 0.0, 0.0))


ALTERNATE = _plan((A, B), (Pair(0, 1, 0.5), Pair(1, 0, 0.5)))
INDEPENDENT = _plan((A, B), None)


def test_alternating_plan_by_hand() -> None:
    # blind: max(0.5*0.8, 0.5*0.4) = 0.4; tracker: 0.5*0.8 + 0.5*0.4 = 0.6; informant: yesterday
    # a means tonight b (0.5*0.4), yesterday b means tonight a (0.5*0.8): 0.6.
    # risk = (0.4 + 0.6 + 2*0.6) / 4 = 0.55
    e = evaluate_plan(load_scenario(AB), ALTERNATE)
    assert e.success == pytest.approx({"blind": 0.4, "tracker": 0.6, "informant": 0.6})
    assert e.risk == pytest.approx(0.55)
    assert e.adversaries["informant"].responses[0].targets == ((1, 1),)  # yesterday a -> b


def test_independent_nights_make_the_informant_blind() -> None:
    # Without pairs, yesterday's site says nothing about tonight: the informant gets 0.4.
    e = evaluate_plan(load_scenario(AB), INDEPENDENT)
    assert e.success["informant"] == pytest.approx(0.4)


def test_ties_are_listed_and_no_attack_when_nothing_pays() -> None:
    tied = _plan((Night(1 / 3, "a", 1, {}), Night(2 / 3, "b", 1, {})), None)
    e = evaluate_plan(load_scenario(AB), tied)
    assert e.adversaries["blind"].responses[()].targets == ((0, 1), (1, 1))
    zero = load_scenario({**AB, "sites": [{"name": "a", "success": [0.0]},
                                          {"name": "b", "success": [0.0]}]})
    assert evaluate_plan(zero, tied).adversaries["blind"].responses[()].targets == ()


@pytest.mark.parametrize("scenario_dict", FEATURE_CASES)
def test_night_cost_averages_to_the_plans_figures(scenario_dict: dict[str, Any]) -> None:
    """Ties split evenly, so E over the plan's own nights of night_cost = each success.

    Tonight averaged over the stationary law, yesterday over its law given tonight (the
    default), and again with yesterday given explicitly, averaged over ``pairs``.
    """
    scenario = load_scenario(scenario_dict)
    plan = solve_reference(scenario)
    evaluation = evaluate_plan(scenario, plan)
    mean = {name: 0.0 for name in plan.adversaries}
    for night in plan.nights:
        cost = night_cost(scenario, plan, night, evaluation=evaluation)
        assert cost.unseen == ()
        for name, value in cost.adversaries.items():
            mean[name] += night.p * value
            assert value <= cost.worst[name] + 1e-12
    assert mean == pytest.approx(dict(plan.adversaries), abs=1e-9)
    if plan.pairs is not None:
        mean = {name: 0.0 for name in plan.adversaries}
        for pair in plan.pairs:
            cost = night_cost(scenario, plan, plan.nights[pair.tonight],
                              plan.nights[pair.yesterday], evaluation=evaluation)
            for name, value in cost.adversaries.items():
                mean[name] += pair.p * value
        assert mean == pytest.approx(dict(plan.adversaries), abs=1e-9)


def test_night_cost_of_an_override_by_hand() -> None:
    # The alternating plan; yesterday a; tonight a again (a night the plan never draws after
    # a). The blind adversary's values are 0.5*0.8 = 0.4 at a and 0.5*0.4 = 0.2 at b, so it
    # attacks a: 0.8 tonight. The tracker sees a and attacks it: 0.8. The informant saw a
    # yesterday, so expects b and attacks b: 0 tonight.
    scenario = load_scenario(AB)
    cost = night_cost(scenario, ALTERNATE, Night(1.0, "a", 1, {}), yesterday=A)
    assert dict(cost.adversaries) == pytest.approx(
        {"blind": 0.8, "tracker": 0.8, "informant": 0.0})
    assert cost.risk == pytest.approx((0.8 + 0.8 + 0.0) / 4)
    assert cost.unseen == ()


def test_ties_split_evenly_and_worst_case() -> None:
    # Two identical sites, uniform: the blind adversary is indifferent, so on a night at a it
    # succeeds with probability 1/2 * 0.5 (split), and 0.5 with ties broken against us.
    scenario = load_scenario({"principal": "P", "sites": [
        {"name": "a", "success": [0.5]}, {"name": "b", "success": [0.5]}],
        "adversaries": [{"name": "blind", "weight": 1}]})
    cost = night_cost(scenario, INDEPENDENT, NightState(0, 1, ()))
    assert cost.adversaries["blind"] == pytest.approx(0.25)
    assert cost.worst["blind"] == pytest.approx(0.5)


def test_unseen_signal_is_priced_at_the_worst_case() -> None:
    # min_teams 0, so leaving the principal unguarded is legal; the plan keeps the one team
    # beside the principal. Tonight's override puts the principal at a and the team at b.
    scenario = load_scenario({
        "principal": "P",
        "sites": [{"name": "a", "success": [0.8, 0.4]}, {"name": "b", "success": [0.8, 0.4]}],
        "teams": [{"name": "t", "chain": "guard"}],
        "rules": {"min_teams_with_principal": 0},
        "adversaries": [{"name": "watcher", "weight": 1, "sees": "posture"},
                        {"name": "blind", "weight": 1}]})
    plan = _plan((Night(0.5, "a", 1, {"t": "a"}), Night(0.5, "b", 1, {"t": "b"})), None)
    override = Night(1.0, "a", 1, {"t": "b"})
    assert state_of(scenario, override) == NightState(0, 1, (1,))
    cost = night_cost(scenario, plan, override)
    # posture (0, 1) is seen by the plan (team at b): the watcher attacks b, misses.
    assert cost.adversaries["watcher"] == 0.0
    # blind: tied between a and b; a unguarded tonight: 1/2 * 0.8
    assert cost.adversaries["blind"] == pytest.approx(0.4)
    two_teams = load_scenario({**scenario.model_dump(mode="json", exclude_none=True),
                               "teams": [{"name": "t", "chain": "guard"},
                                         {"name": "u", "chain": "army"}]})
    plan2 = _plan((Night(0.5, "a", 1, {"t": "a", "u": "a"}),
                   Night(0.5, "b", 1, {"t": "b", "u": "b"})), None)
    cost2 = night_cost(two_teams, plan2, Night(1.0, "a", 1, {"t": "a", "u": "b"}))
    # posture (1, 1) never occurs in plan2: the watcher is priced at success[1] = 0.4
    assert cost2.unseen == ("watcher",)
    assert cost2.adversaries["watcher"] == pytest.approx(0.4)


def test_uniform_baseline_by_hand() -> None:
    # AB: uniform sites. blind 0.4, tracker 0.6, informant (independent nights) 0.4.
    plan = uniform_plan(load_scenario(AB))
    assert dict(plan.adversaries) == pytest.approx(
        {"blind": 0.4, "tracker": 0.6, "informant": 0.4})
    check_export(plan.to_dict(), AB)


def test_uniform_baseline_under_no_repeat_moves_every_night() -> None:
    data = {**AB, "sites": AB["sites"] + [{"name": "c", "rooms": 2, "success": [0.2]}],
            "rules": {"no_repeat": True}}
    plan = uniform_plan(load_scenario(data))
    check_export(plan.to_dict(), data)
    assert plan.site_probability == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})


def test_fortress_baseline_by_hand() -> None:
    # The hardest site with every team: b (0.4 < 0.8). Everyone who looks finds it: blind,
    # tracker and informant all get 0.4.
    plan = fortress_plan(load_scenario(AB))
    assert plan.site_probability == {"a": 0.0, "b": 1.0}
    assert dict(plan.adversaries) == pytest.approx(
        {"blind": 0.4, "tracker": 0.4, "informant": 0.4})
    check_export(plan.to_dict(), AB)


PHONES: dict[str, Any] = {
    **AB,
    "adversaries": [{"name": "blind", "weight": 1, "sees": "nothing"}],
    "phones": {"leak_per_day": 0.5, "per_month": 30, "tracker_weight": 1},
}


def test_phone_tracker_is_evaluated_as_section_4b_folds_it() -> None:
    # per_month 30 gives a 1-day cycle; e = 1 - (1 - 0.5) = 0.5. Weights: blind 1/2, tracker
    # known 1/4 (sees the site), unknown 1/4 (blind). On the alternating plan the blind parts
    # get 0.4 and the known tracker 0.6, so phone-tracker = 0.5*0.6 + 0.5*0.4 = 0.5 and
    # risk = 1/2*0.4 + 1/4*0.6 + 1/4*0.4 = 0.45.
    scenario = load_scenario(PHONES)
    e = evaluate_plan(scenario, ALTERNATE)
    assert dict(e.success) == pytest.approx({"blind": 0.4, "phone-tracker": 0.5})
    assert e.risk == pytest.approx(0.45)
    cost = night_cost(scenario, ALTERNATE, A, yesterday=B, evaluation=e)
    # tonight a: blind attacks a (0.5*0.8 > 0.5*0.4): 0.8; known tracker 0.8; unknown 0.8.
    assert dict(cost.adversaries) == pytest.approx({"blind": 0.8, "phone-tracker": 0.8})
    assert cost.risk == pytest.approx(0.8)
