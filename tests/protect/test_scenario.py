"""Scenario validation (docs/design.md §3): defaults, and every refusal names field and value."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema  # a [test] dependency: a missing one must fail, not skip
import pytest
import yaml

from escolta.errors import InputError
from escolta.protect.scenario import (
    load_scenario,
    parse_scenario_text,
    scenario_json_schema,
)

EXAMPLES = Path(__file__).parents[2] / "examples"

BASE: dict[str, Any] = {
    "principal": "P",
    "sites": [{"name": "palace", "rooms": 3, "success": [0.6, 0.3, 0.1]},
              {"name": "villa", "rooms": 1, "success": [0.9, 0.5, 0.25]}],
    "teams": [{"name": "inner", "chain": "guard"}, {"name": "outer", "chain": "army"}],
    "rules": {"min_teams_with_principal": 1, "no_repeat": True},
    "adversaries": [
        {"name": "lookout", "weight": 3, "sees": "posture", "lead": 0},
        {"name": "maid", "weight": 1, "sees": "room", "lead": 1},
        {"name": "mole", "weight": 1, "sees": {"team": "outer"}, "lead": 0, "sabotage": True},
        {"name": "strike", "weight": 2, "sees": "nothing"},
    ],
}


def _with(path: str, value: Any) -> dict[str, Any]:
    """BASE with the value at a dotted path (``sites.0.success``) replaced; DELETE removes."""
    data = copy.deepcopy(BASE)
    keys = path.split(".")
    target: Any = data
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last: Any = int(keys[-1]) if keys[-1].isdigit() else keys[-1]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return data


DELETE = object()

REFUSALS = [
    # the refusals docs/design.md §3 lists
    pytest.param(_with("adversaries.2.sees", {"team": "cook"}), "adversaries[2].sees.team",
                 "cook", id="unknown-team"),
    pytest.param(_with("adversaries.2.sees", {"chain": "navy"}), "adversaries[2].sees.chain",
                 "navy", id="unknown-chain"),
    pytest.param(_with("adversaries.2.sees", {"chain": ""}), "adversaries[2].sees.chain", "",
                 id="empty-chain"),
    pytest.param(_with("adversaries.2.sees", {"chain": "army", "team": "outer"}),
                 "adversaries[2].sees", {"chain": "army", "team": "outer"},
                 id="chain-and-team"),
    pytest.param(_with("adversaries.0.weight", -1), "adversaries[0].weight", -1,
                 id="negative-weight"),
    pytest.param(_with("sites.1.success", [1.2, 0.5]), "sites[1].success[0]", 1.2,
                 id="success-above-one"),
    pytest.param(_with("sites.0.success", [0.3, 0.6]), "sites[0].success", [0.3, 0.6],
                 id="increasing-success"),
    pytest.param(_with("rules.min_teams_with_principal", 3), "rules.min_teams_with_principal",
                 3, id="every-night-illegal-min-teams"),
    pytest.param(_with("sites", [BASE["sites"][0]]), "rules.no_repeat", True,
                 id="every-night-illegal-no-repeat-one-site"),
    pytest.param(_with("sites.0.colour", "red"), "sites[0].colour", "red",
                 id="unknown-field"),
    pytest.param(_with("rules.no_repat", True), "rules.no_repat", True,
                 id="unknown-rule"),
    # more mistakes a person makes
    pytest.param(_with("sites.0.success", [-0.1]), "sites[0].success[0]", -0.1,
                 id="negative-success"),
    pytest.param(_with("sites.0.rooms", 0), "sites[0].rooms", 0, id="no-rooms"),
    pytest.param(_with("adversaries.0.sees", "phone"), "adversaries[0].sees", "phone",
                 id="unknown-sees"),
    pytest.param(_with("adversaries.0.lead", 2), "adversaries[0].lead", 2, id="lead-two"),
    pytest.param(_with("adversaries.3.sabotage", True), "adversaries[3].sabotage", True,
                 id="sabotage-without-insider"),
    pytest.param(_with("sites.1.name", "palace"), "sites[1].name", "palace",
                 id="duplicate-site"),
    pytest.param(_with("sites", []), "sites", [], id="no-sites"),
    pytest.param(_with("principal", DELETE), "principal", None, id="missing-principal"),
    pytest.param(_with("adversaries", [{"name": "x", "weight": 0}]), "adversaries[*].weight",
                 0, id="all-weights-zero"),
    pytest.param(_with("sites.0.success", [float("nan")]), "sites[0].success[0]", None,
                 id="nan-success"),
]


@pytest.mark.parametrize(("data", "field", "value"), REFUSALS)
def test_refusal_names_field_and_value(data: dict[str, Any], field: str, value: Any) -> None:
    with pytest.raises(InputError) as error:
        load_scenario(data)
    assert error.value.field == field
    if value is not None:
        assert error.value.value == value
        assert repr(value) in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("principal: P\nsites: [a, b\n", "not valid YAML at line", id="unclosed"),
        pytest.param("principal: [P\n  x: 1", "not valid YAML", id="bad-indent"),
        pytest.param("", "is empty", id="empty"),
        pytest.param("principal: P\nrules: {}\nrules: {no_repeat: true}\n",
                     "line 3, column 1: duplicate key 'rules'", id="duplicate-key"),
        pytest.param("- a\n- b\n", "must be a mapping", id="a-list"),
    ],
)
def test_bad_yaml_is_one_line(text: str, reason: str) -> None:
    with pytest.raises(InputError) as error:
        parse_scenario_text(text, origin="bad.yaml")
    assert reason in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")


def test_defaults() -> None:
    data = copy.deepcopy(BASE)
    del data["rules"]
    scenario = load_scenario(data)
    assert scenario.min_teams == 1  # teams present
    assert scenario.rules.no_repeat is False
    assert scenario.adversaries[3].lead == 0
    no_teams = load_scenario({"principal": "P", "sites": [{"name": "a", "success": [0.5]}],
                              "adversaries": [{"name": "x", "weight": 1}]})
    assert no_teams.min_teams == 0
    assert no_teams.sites[0].rooms == 1
    assert no_teams.adversaries[0].sees_kind == "nothing"


def test_a_hostile_chain_may_sabotage() -> None:
    scenario = load_scenario(_with("adversaries.2.sees", {"chain": "army"}))
    assert scenario.adversaries[2].sees_kind == "chain"
    assert scenario.adversaries[2].hostile_chain == "army"
    assert scenario.adversaries[2].sabotage
    assert scenario.adversaries[2].insider_team is None


def test_weights_are_normalized() -> None:
    assert load_scenario(BASE).weights == pytest.approx(
        {"lookout": 3 / 7, "maid": 1 / 7, "mole": 1 / 7, "strike": 2 / 7})


def test_design_example_file_is_the_design_example() -> None:
    """examples/two-sites.yaml is docs/design.md §3's example, verbatim."""
    assert load_scenario(EXAMPLES / "two-sites.yaml") == load_scenario(BASE)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_loads(path: Path) -> None:
    assert load_scenario(path).sites


def test_json_schema_describes_every_top_level_field() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["properties"]) >= {"principal", "sites", "teams", "rules", "adversaries"}
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"principal", "sites", "adversaries"}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_validate_against_the_schema(path: Path) -> None:
    """A real JSON Schema validator accepts every example (what an editor would check)."""
    jsonschema.validate(yaml.safe_load(path.read_text()), scenario_json_schema())


@pytest.mark.parametrize(
    ("path", "value"),
    [
        pytest.param("sites.0.colour", "red", id="unknown-field"),
        pytest.param("adversaries.0.sees", "phone", id="unknown-sees"),
        pytest.param("sites.1.success", [1.2], id="success-above-one"),
        pytest.param("adversaries.0.lead", 2, id="lead-two"),
    ],
)
def test_schema_rejects_what_load_scenario_refuses(path: str, value: Any) -> None:
    data = _with(path, value)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, scenario_json_schema())
    with pytest.raises(InputError):
        load_scenario(data)
