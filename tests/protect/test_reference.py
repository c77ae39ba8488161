"""The reference LP of docs/design.md §4 against cases worked out by hand.

Every expected value below is derived on paper in the case's ``why`` (a lower bound every
plan must pay, and a plan that attains it), never read from the code under test. Every plan
is also re-evaluated by the independent JSON evaluator (``json_evaluator.py``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from json_evaluator import check_export, evaluate
from scenarios import FEATURE_CASES, random_scenario, scenario_dicts

from escolta.errors import InputError
from escolta.lp import Status, solve
from escolta.protect.baselines import fortress_plan, uniform_plan
from escolta.protect.nights import legal_nights
from escolta.protect.reference import build_reference_lp, solve_reference
from escolta.protect.scenario import load_scenario


def _scenario(sites: list[tuple[str, int, list[float]]], adversaries: list[dict[str, Any]],
              teams: int = 0, **rules: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "principal": "P",
        "sites": [{"name": n, "rooms": r, "success": s} for n, r, s in sites],
        "adversaries": adversaries,
    }
    if teams:
        out["teams"] = [{"name": f"t{t}", "chain": "guard"} for t in range(teams)]
    if rules:
        out["rules"] = rules
    return out


def _adv(sees: Any = "nothing", lead: int = 0, weight: float = 1, name: str = "x",
         sabotage: bool = False) -> dict[str, Any]:
    out = {"name": name, "weight": weight, "sees": sees, "lead": lead}
    if sabotage:
        out["sabotage"] = True
    return out


@dataclass(frozen=True)
class HandCase:
    """A scenario, the optimal risk (and per-adversary success when it is forced), and why."""

    scenario: dict[str, Any]
    risk: float
    why: str
    success: dict[str, float] = field(default_factory=dict)


# Two identical sites with two rooms each and one team that must stand with the principal
# (min_teams_with_principal defaults to 1): k = 1 every night.
_TWIN = [("a", 2, [0.8, 0.4]), ("b", 2, [0.8, 0.4])]

HAND_CASES = [
    pytest.param(HandCase(
        _scenario(_TWIN, [_adv("posture")], teams=1), 0.5 * 0.4,
        "Issue 4: a posture watcher wins 0.5*success[1]. The one team stands with the "
        "principal, so the posture reveals the site; the room is 1 of 2, so the watcher's best "
        "room holds the principal with probability >= 1/2 whatever the plan: >= 0.5*0.4. "
        "Uniform rooms attain it."), id="issue4-posture-watcher"),
    pytest.param(HandCase(
        _scenario(_TWIN, [_adv("nothing")], teams=1), 0.25 * 0.4,
        "Issue 4: a blind adversary wins half of that. Four (site, room) targets share "
        "total success mass 0.4 (k = 1 always), so the best target holds >= 0.4/4; the uniform "
        "plan attains 0.1."), id="issue4-blind"),
    pytest.param(HandCase(
        _scenario(_TWIN, [_adv("site")], teams=1), 0.5 * 0.4,
        "A site watcher knows the site, not the room: as the posture watcher, 0.2."),
        id="twin-site-watcher"),
    pytest.param(HandCase(
        _scenario(_TWIN, [_adv("room")], teams=1), 0.4,
        "A room watcher always finds the principal: E[success] = 0.4 (k = 1 always)."),
        id="twin-room-watcher"),
    pytest.param(HandCase(
        _scenario([("home", 3, [0.6])], [_adv("nothing")]), 0.2,
        "One site, three rooms, no teams: a blind adversary picks a room, the principal is "
        "there with probability >= 1/3 in the best room: 0.6/3 = 0.2."),
        id="one-site-blind"),
    pytest.param(HandCase(
        _scenario([("home", 3, [0.6])], [_adv("room")]), 0.6,
        "One site, no teams: a room watcher always succeeds: 0.6."),
        id="one-site-room"),
    pytest.param(HandCase(
        _scenario([("home", 3, [0.6])], [_adv("posture")]), 0.2,
        "No teams: the posture is always empty, so a posture watcher is blind: 0.2."),
        id="no-teams-posture-is-blind"),
    pytest.param(HandCase(
        _scenario([("a", 1, [0.8]), ("b", 1, [0.4])], [_adv("nothing")]), 0.8 / 3,
        "No teams, sites a (0.8) and b (0.4): min over p of max(0.8p, 0.4(1-p)); the two "
        "lines cross at p = 1/3, value 0.8/3."),
        id="no-teams-blind-two-sites"),
    pytest.param(HandCase(
        _scenario([("a", 1, [0.8]), ("b", 1, [0.4])], [_adv("site")]), 0.4,
        "A site watcher always finds the principal; its success is E[success of the site], "
        "minimized by always sleeping at b: 0.4."),
        id="no-teams-site-watcher"),
    pytest.param(HandCase(
        _scenario([("palace", 3, [0.6, 0.3, 0.1]), ("villa", 1, [0.9, 0.5, 0.25])],
                  [_adv("room")], teams=2), 0.1,
        "A room watcher gets E[success_s[k]] over the plan: the fortress (palace, both teams, "
        "0.1) minimizes it."),
        id="room-watcher-fortress"),
    pytest.param(HandCase(
        _scenario([("a", 1, [0.8, 0.4]), ("b", 1, [0.8, 0.4])], [_adv("posture")], teams=1,
                  min_teams_with_principal=0), 0.8 * 0.4 / 1.2,
        "One team free to stand anywhere (min 0). Seeing the team at a site with mass m, the "
        "watcher attacks that site (x*0.4, principal with the team) or the other (y*0.8), "
        "x + y = m; max(0.4x, 0.8(m-x)) is least at x = 2m/3, value m*0.32/1.2. Summing over "
        "the team's site: 0.32/1.2."),
        id="posture-tradeoff-min0"),
    pytest.param(HandCase(
        _scenario([("a", 1, [0.5]), ("b", 1, [0.5])], [_adv("site", lead=1)],
                  no_repeat=True), 0.5,
        "no_repeat on two sites: yesterday's site names tonight's (the other one), so a lead-1 "
        "site watcher always finds the principal: 0.5."),
        id="lead1-site-no-repeat"),
    pytest.param(HandCase(
        _scenario([("a", 1, [0.5]), ("b", 1, [0.5])], [_adv("site", lead=1)]), 0.25,
        "Without no_repeat: for each yesterday y the watcher picks tonight's likelier site, "
        "worth >= P(y)/2; summing, >= 1/2 * 0.5 = 0.25. Independent uniform nights attain it."),
        id="lead1-site-free"),
    pytest.param(HandCase(
        _scenario([("a", 1, [0.5]), ("b", 1, [0.5])], [_adv("nothing")], no_repeat=True),
        0.25,
        "A blind adversary under no_repeat: stationary odds are 1/2 each (the chain "
        "alternates), so the best site holds the principal half the time: 0.25."),
        id="blind-no-repeat"),
    pytest.param(HandCase(
        _scenario([("a", 1, [0.6]), ("b", 1, [0.6]), ("c", 1, [0.6])],
                  [_adv({"team": "t0"})], teams=1, min_teams_with_principal=0), 0.3,
        "An insider learns whether the principal is at its team's site. Away from the team "
        "there are two sites, so its best site holds >= half of that mass: value >= "
        "q*0.6 + (1-q)*0.3 >= 0.3 (q = P(with the team)). Never with the team, principal "
        "uniform over the other two sites attains 0.3."),
        id="insider-three-sites"),
    pytest.param(HandCase(
        _scenario([("home", 1, [0.8, 0.5, 0.2])],
                  [_adv({"team": "t0"}, sabotage=True)], teams=2,
                  min_teams_with_principal=0), 0.5,
        "One site, two teams, the insider in t0 sabotages: k_eff = (teams there) - [t0 there]; "
        "both teams: 2-1 = 1; t1 alone: 1; t0 alone: 0; none: 0. Best success[1] = 0.5."),
        id="sabotage-one-site"),
    pytest.param(HandCase(
        _scenario([("home", 1, [0.8, 0.5, 0.2])], [_adv({"team": "t0"})], teams=2,
                  min_teams_with_principal=0), 0.2,
        "The same insider without sabotage: both teams home, success[2] = 0.2."),
        id="insider-no-sabotage"),
    pytest.param(HandCase(
        _scenario([("home", 2, [0.6])], [_adv("nothing", weight=3, name="blind"),
                                         _adv("room", weight=1, name="maid")]),
        0.75 * 0.3 + 0.25 * 0.6,
        "Weights normalize to 3/4 and 1/4. One site, no teams: the maid always succeeds (0.6) "
        "and the blind adversary picks one of two rooms (>= 0.3, uniform attains both).",
        success={"blind": 0.3, "maid": 0.6}),
        id="weights"),
]


@pytest.mark.parametrize("case", HAND_CASES)
def test_reference_matches_hand_worked_optimum(case: HandCase) -> None:
    scenario = load_scenario(case.scenario)
    plan = solve_reference(scenario)
    assert plan.solver.status == "optimal"
    assert plan.risk == pytest.approx(case.risk, abs=1e-9), case.why
    assert plan.solver.lower_bound == pytest.approx(case.risk, abs=1e-9)
    for name, success in case.success.items():
        assert plan.adversaries[name] == pytest.approx(success, abs=1e-9)
    check_export(plan.to_dict(), case.scenario)


@pytest.mark.parametrize("scenario_dict", FEATURE_CASES)
def test_feature_case_export_recomputes(scenario_dict: dict[str, Any]) -> None:
    plan = solve_reference(load_scenario(scenario_dict))
    assert plan.solver.status == "optimal"
    assert plan.solver.lower_bound <= plan.risk + 1e-9
    assert plan.risk - plan.solver.lower_bound < 1e-7
    check_export(plan.to_dict(), scenario_dict)


@pytest.mark.parametrize("scenario_dict", FEATURE_CASES)
def test_lp_objective_of_exported_plan_equals_lp_optimum(scenario_dict: dict[str, Any]) -> None:
    """An optimality certificate from a second route: the dual of the reference LP.

    Weak duality: for any feasible dual (y), b @ y bounds the optimum from below. HiGHS's
    duals at optimum give b @ y = the objective, so the exported plan's risk (recomputed by
    the independent evaluator) meeting b @ y proves it optimal.
    """
    scenario = load_scenario(scenario_dict)
    model = build_reference_lp(scenario)
    result = solve(model.program)
    assert result.status is Status.OPTIMAL
    lp = model.program
    y = result.row_duals
    # b @ y: each row contributes its active side times its dual
    side = np.where(y > 0, lp.row_lower, lp.row_upper)
    side = np.where(np.isfinite(side), side, 0.0)
    dual_objective = float(side @ y)
    reduced = lp.c - lp.A.T @ y  # ≥ 0 for a minimization with x ≥ 0 (dual feasibility)
    assert reduced.min() > -1e-7
    plan = solve_reference(scenario)
    assert evaluate(plan.to_dict(), scenario_dict)["risk"] == pytest.approx(
        dual_objective, abs=1e-7)


def test_refuses_scenarios_too_large_naming_their_size() -> None:
    scenario = load_scenario(_scenario(
        [(f"s{a}", 3, [0.5, 0.2]) for a in range(10)], [_adv("posture")], teams=6))
    with pytest.raises(InputError) as error:
        solve_reference(scenario)
    assert error.value.field == "scenario"
    assert "10 sites, 6 teams" in str(error.value)
    assert "fast" in str(error.value)


def test_refuses_too_many_history_variables() -> None:
    # 6 sites x 1 room x 6^5 posts = 46656 nights (under the night limit), and a lead-1
    # posture watcher has one class per (posture) => far more than 2M J variables.
    scenario = load_scenario(_scenario(
        [(f"s{a}", 1, [0.5, 0.2]) for a in range(6)], [_adv("posture", lead=1)], teams=5,
        min_teams_with_principal=0))
    with pytest.raises(InputError, match="classes of yesterday"):
        solve_reference(scenario)


def _random_plan_risk(scenario_dict: dict[str, Any], rng: random.Random) -> float | None:
    """The risk of a random plan of independent nights (None when history must be used)."""
    rules = scenario_dict.get("rules", {})
    if rules.get("no_repeat"):
        return None
    nights = legal_nights(load_scenario(scenario_dict))
    weights = [float(rng.randint(0, 4)) for _ in nights]
    weights[rng.randrange(len(weights))] += 1.0
    total = sum(weights)
    scenario = load_scenario(scenario_dict)
    exported = {"nights": [
        {"p": w / total, "site": scenario.sites[n.site].name, "room": n.room,
         "posts": {t.name: scenario.sites[s].name for t, s in zip(scenario.teams, n.posts,
                                                                   strict=True)}}
        for n, w in zip(nights, weights, strict=True)]}
    return evaluate(exported, scenario_dict)["risk"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_dict=scenario_dicts(), rng=st.randoms(use_true_random=False))
def test_reference_plan_invariants(scenario_dict: dict[str, Any], rng: random.Random) -> None:
    """Probabilities >= 0 summing to 1, pairs marginals equal nights (check_export), the risk
    never above the uniform plan's, the fortress's, or a random plan's, and bound <= risk."""
    scenario = load_scenario(scenario_dict)
    plan = solve_reference(scenario)
    check_export(plan.to_dict(), scenario_dict)
    assert plan.solver.lower_bound <= plan.risk + 1e-9
    assert plan.risk <= evaluate(uniform_plan(scenario).to_dict(), scenario_dict)["risk"] + 1e-9
    if not scenario.rules.no_repeat:
        fortress = evaluate(fortress_plan(scenario).to_dict(), scenario_dict)["risk"]
        assert plan.risk <= fortress + 1e-9
    random_risk = _random_plan_risk(scenario_dict, rng)
    if random_risk is not None:
        assert plan.risk <= random_risk + 1e-9


@pytest.mark.parametrize("seed", range(5), ids=lambda s: f"seed{s}")
def test_zero_weight_adversaries_are_still_measured(seed: int) -> None:
    scenario_dict = random_scenario(random.Random(seed), allow_zero_weight=True)
    scenario_dict["adversaries"].append(_adv("room", weight=0, name="idle"))
    plan = solve_reference(load_scenario(scenario_dict))
    check_export(plan.to_dict(), scenario_dict)
    assert "idle" in plan.adversaries


def test_time_limit_returns_a_valid_plan_or_refuses() -> None:
    """A tiny time limit: either the optimum, a feasible plan with status time_limit and the
    trivial bound, or a one-line refusal naming ``time_limit``; never an invalid plan."""
    scenario_dict = FEATURE_CASES[-1].values[0]
    try:
        plan = solve_reference(load_scenario(scenario_dict), time_limit=1e-6)
    except InputError as error:
        assert error.field == "time_limit"
        return
    assert plan.solver.status in ("optimal", "time_limit")
    assert plan.solver.lower_bound <= plan.risk + 1e-9
    check_export(plan.to_dict(), scenario_dict)
