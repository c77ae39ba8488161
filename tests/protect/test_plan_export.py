"""The plan export of docs/design.md §5: shape, round trip, and the chain it describes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from json_evaluator import check_export
from scenarios import FEATURE_CASES

from escolta.errors import InputError
from escolta.protect.plan import Plan
from escolta.protect.reference import solve_reference
from escolta.protect.scenario import load_scenario

EXAMPLES = Path(__file__).parents[2] / "examples"
MINE = ["two-sites.yaml", "safehouses.yaml", "hideout.yaml"]


@pytest.mark.parametrize("name", MINE)
def test_example_plans_recompute_from_json_alone(name: str) -> None:
    data = yaml.safe_load((EXAMPLES / name).read_text())
    plan = solve_reference(load_scenario(data))
    exported = json.loads(json.dumps(plan.to_dict()))
    check_export(exported, data)
    assert exported["solver"]["lower_bound"] <= exported["risk"] + 1e-9
    assert exported["risk"] - exported["solver"]["lower_bound"] < 1e-6


def test_export_has_the_fields_of_section_five_in_order() -> None:
    data = yaml.safe_load((EXAMPLES / "two-sites.yaml").read_text())
    exported = solve_reference(load_scenario(data)).to_dict()
    assert list(exported) == ["risk", "adversaries", "site_probability", "nights", "pairs",
                              "solver"]
    assert set(exported["adversaries"]) == {"lookout", "maid", "mole", "strike"}
    assert set(exported["solver"]) >= {"status", "seconds", "lower_bound"}
    night = exported["nights"][0]
    assert set(night) == {"p", "site", "room", "posts"}
    assert set(night["posts"]) == {"inner", "outer"}
    assert set(exported["pairs"][0]) == {"yesterday", "tonight", "p"}


def test_pairs_absent_when_history_does_not_matter() -> None:
    data = {"principal": "P", "sites": [{"name": "a", "rooms": 2, "success": [0.5]},
                                        {"name": "b", "success": [0.4]}],
            "adversaries": [{"name": "x", "weight": 1, "sees": "site"}]}
    assert "pairs" not in solve_reference(load_scenario(data)).to_dict()


@pytest.mark.parametrize("scenario_dict", FEATURE_CASES)
def test_round_trip_and_stationary_chain(scenario_dict: dict[str, Any]) -> None:
    plan = solve_reference(load_scenario(scenario_dict))
    again = Plan.from_dict(json.loads(json.dumps(plan.to_dict())))
    assert again.to_dict() == plan.to_dict()
    p = plan.night_probabilities
    T = plan.transition_matrix()
    np.testing.assert_allclose(T.sum(axis=1), 1.0, atol=1e-12)
    # the nights are the stationary law of the chain the pairs define
    np.testing.assert_allclose(p @ T, p, atol=1e-8)


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param({"risk": 0.1}, id="missing-fields"),
        pytest.param({"risk": "x", "adversaries": {}, "site_probability": {}, "nights": [],
                      "solver": {"status": "optimal", "seconds": 0, "lower_bound": 0}},
                     id="risk-not-a-number"),
    ],
)
def test_from_dict_refuses_what_is_not_a_plan(broken: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        Plan.from_dict(broken)
