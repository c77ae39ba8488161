"""Folding the phone tracker into the nightly game (docs/design.md §4b, §5) agrees with the same
scenario with the two tracker adversaries written out by hand."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from escolta.errors import InputError
from escolta.protect.phones import TRACKER, cycle_sweep, fold_tracker
from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan

_EVALUATOR = Path(__file__).parents[1] / "protect" / "json_evaluator.py"
_spec = importlib.util.spec_from_file_location("json_evaluator_for_phones", _EVALUATOR)
json_evaluator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(json_evaluator)

BASE = {
    "principal": "P",
    "sites": [{"name": "palace", "rooms": 2, "success": [0.6, 0.3]},
              {"name": "villa", "success": [0.9, 0.5]}],
    "teams": [{"name": "inner", "chain": "guard"}],
    "adversaries": [{"name": "lookout", "weight": 3, "sees": "posture"},
                    {"name": "strike", "weight": 2, "sees": "nothing"}],
}
PHONES = {"leak_per_day": 0.02, "per_month": 15, "max_days": 2, "tracker_weight": 2}
# By hand: D = 2, e = 1 - (0.98 + 0.9604)/2 = 0.0298, so the tracker is weight
# 2 * 0.0298 = 0.0596 seeing the site tonight and 2 * 0.9702 = 1.9404 seeing nothing.
BY_HAND = [{"name": "tracker-known", "weight": 0.0596, "sees": "site", "lead": 0},
           {"name": "tracker-unknown", "weight": 1.9404, "sees": "nothing", "lead": 0}]


@pytest.fixture(scope="module")
def folded_plan():
    return solve_plan(load_scenario({**BASE, "phones": PHONES}), method="reference")


@pytest.fixture(scope="module")
def hand_plan():
    scenario = {**BASE, "adversaries": BASE["adversaries"] + BY_HAND}
    return solve_plan(load_scenario(scenario), method="reference")


def test_risk_equals_the_hand_written_scenario(folded_plan, hand_plan) -> None:
    assert folded_plan.risk == pytest.approx(hand_plan.risk, abs=1e-7)


def test_phones_section_and_one_tracker_entry(folded_plan) -> None:
    exported = folded_plan.to_dict()
    assert exported["phones"] == {"cycle_days": 2, "exposure": pytest.approx(0.0298)}
    assert set(exported["adversaries"]) == {"lookout", "strike", TRACKER}


def test_tracker_success_is_the_exposure_weighted_average(folded_plan) -> None:
    # the independent evaluator scores the folded plan against the hand-written scenario
    scenario = {**BASE, "adversaries": BASE["adversaries"] + BY_HAND}
    exported = folded_plan.to_dict()
    recomputed = json_evaluator.evaluate(exported, scenario)
    assert recomputed["risk"] == pytest.approx(exported["risk"], abs=1e-7)
    expected = (0.0298 * recomputed["adversaries"]["tracker-known"]
                + 0.9702 * recomputed["adversaries"]["tracker-unknown"])
    assert exported["adversaries"][TRACKER] == pytest.approx(expected, abs=1e-7)
    for name in ("lookout", "strike"):
        assert exported["adversaries"][name] == pytest.approx(
            recomputed["adversaries"][name], abs=1e-7)


def test_reserved_name_is_refused() -> None:
    scenario = load_scenario({**BASE, "phones": PHONES, "adversaries": [
        *BASE["adversaries"], {"name": "phone-tracker", "weight": 1}]})
    with pytest.raises(InputError, match=r"adversaries\[2\]\.name.*reserved"):
        fold_tracker(scenario)


def test_cycle_sweep_risk_grows_with_the_cycle() -> None:
    # a longer cycle leaks more (exposure grows with D), and a site-seeing tracker can only
    # gain, so the optimal risk never falls as D grows
    scenario = load_scenario({**BASE, "phones": {**PHONES, "leak_per_day": 0.2}})
    points = cycle_sweep(scenario, [1, 2, 3, 5, 8],
                         solve=lambda s: solve_plan(s, method="reference"))
    risks = [p.risk for p in points]
    assert all(a <= b + 1e-9 for a, b in zip(risks, risks[1:], strict=False))
    assert [p.allowed for p in points] == [False, True, True, True, True]


@pytest.mark.parametrize("method", ["reference", "fast"])
@pytest.mark.parametrize(
    ("phones", "e"),
    [
        # q = 0: the number never leaks, e = 0, the site-seeing part has weight 0
        pytest.param({**PHONES, "leak_per_day": 0.0}, 0.0, id="never-leaks"),
        # tracker_weight 0: both parts weigh nothing, yet the tracker's success is reported
        pytest.param({**PHONES, "tracker_weight": 0}, 0.0298, id="no-tracker-weight"),
    ],
)
def test_idle_tracker_parts_are_still_scored(method: str, phones: dict, e: float) -> None:
    plan = solve_plan(load_scenario({**BASE, "phones": phones}), method=method).to_dict()
    tracker_weight = phones["tracker_weight"]
    by_hand = [{**BY_HAND[0], "weight": tracker_weight * e},
               {**BY_HAND[1], "weight": tracker_weight * (1 - e)}]
    recomputed = json_evaluator.evaluate(plan, {**BASE, "adversaries": BASE["adversaries"]
                                                + by_hand})
    assert plan["risk"] == pytest.approx(recomputed["risk"], abs=1e-7)
    expected = (e * recomputed["adversaries"]["tracker-known"]
                + (1 - e) * recomputed["adversaries"]["tracker-unknown"])
    assert plan["adversaries"][TRACKER] == pytest.approx(expected, abs=1e-7)
