"""The detail's keys in the scenario: crews, mixes, staff, roster rules (docs/design.md §9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from escolta.errors import InputError
from escolta.protect.detail import MAX_STAFF, team_positions
from escolta.protect.scenario import load_scenario, scenario_json_schema

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def scenario(**extra: Any) -> dict[str, Any]:
    base = {
        "principal": "P",
        "sites": [{"name": "a", "success": [0.5, 0.2]}, {"name": "b", "success": [0.4]}],
        "teams": [{"name": "t", "chain": "guard", "crew": {"lead": 1, "agent": 2},
                   "mix": {"guard": 1, "army": 1}}],
        "adversaries": [{"name": "x", "weight": 1, "sees": "posture"}],
        "staff": [{"name": "ana", "chain": "guard", "roles": ["lead", "agent"]},
                  {"name": "beto", "chain": "army", "roles": ["agent"], "trust": 0.9,
                   "days_off": ["2026-12-24"]}],
        "roster": {"max_nights_in_a_row": 4},
    }
    base.update(extra)
    return base


def test_a_detail_loads() -> None:
    s = load_scenario(scenario())
    assert s.teams[0].crew == {"lead": 1, "agent": 2}
    assert s.staff[1].days_off[0].isoformat() == "2026-12-24"
    assert s.roster.max_nights_in_a_row == 4 and s.roster.max_together_per_28 is None


@pytest.mark.parametrize(("crew", "positions"), [
    ({"lead": 1}, [("lead", "lead")]),
    ({"lead": 1, "agent": 2, "driver": 1},
     [("lead", "lead"), ("agent-1", "agent"), ("agent-2", "agent"), ("driver", "driver")]),
    (None, []),
])
def test_positions_are_named_in_crew_order(crew: dict[str, int] | None,
                                           positions: list[tuple[str, str]]) -> None:
    assert team_positions(crew) == positions


def _person(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "chain": "guard", "roles": ["lead", "agent"], **extra}


REFUSED = [
    pytest.param({"staff": [_person("ana"), _person("ana")]}, "staff[1].name", id="twice"),
    pytest.param({"staff": [_person("ana", days_off=["24/12/2026"])]}, "staff[0].days_off",
                 id="not-a-date"),
    pytest.param({"staff": [_person("ana", trust=1.5)]}, "staff[0].trust", id="trust"),
    pytest.param({"staff": [_person("ana", roles=[])]}, "staff[0].roles", id="no-roles"),
    pytest.param({"teams": [{"name": "t", "chain": "g", "crew": {"pilot": 1}}],
                  "staff": [_person("ana")]}, "teams[0].crew.pilot", id="unknown-role"),
    pytest.param({"teams": [{"name": "t", "chain": "g", "crew": {"lead": 1},
                             "mix": {"navy": 1}}], "staff": [_person("ana")]},
                 "teams[0].mix.navy", id="unknown-chain"),
    pytest.param({"teams": [{"name": "t", "chain": "g", "crew": {"lead": 1},
                             "mix": {"guard": 2}}], "staff": [_person("ana")]},
                 "teams[0].mix", id="mix-exceeds-crew"),
    # with staff the roster must meet a mix, so it needs a crew; without staff a mix only
    # says which chains serve in the team (tests/protect/test_chains.py)
    pytest.param({"teams": [{"name": "t", "chain": "g", "mix": {"guard": 1}}],
                  "staff": [_person("ana")]}, "teams[0].mix", id="mix-without-crew"),
    pytest.param({"teams": [{"name": "t", "chain": "g", "crew": {"lead": 0}}]},
                 "teams[0].crew.lead", id="zero-positions"),
    pytest.param({"teams": [{"name": "t", "chain": "g", "crew": {"lead": 101}}]},
                 "teams[0].crew.lead", id="too-many-positions"),
    pytest.param({"roster": {"min_nights_off_per_7": 8}}, "roster.min_nights_off_per_7",
                 id="off-per-7"),
    pytest.param({"roster": {"max_nights_in_a_row": 0}}, "roster.max_nights_in_a_row",
                 id="in-a-row"),
    pytest.param({"roster": {"max_shifts": 3}}, "roster.max_shifts", id="unknown-rule"),
    pytest.param({"staff": [_person(f"p{i}") for i in range(MAX_STAFF + 1)]}, "staff",
                 id="too-many-staff"),
]


@pytest.mark.parametrize(("extra", "field"), REFUSED)
def test_a_mistake_is_one_line_naming_the_field(extra: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as error:
        load_scenario(scenario(**extra))
    assert error.value.field == field
    assert "\n" not in str(error.value)


def test_the_schema_includes_the_detail() -> None:
    schema = scenario_json_schema()
    assert {"staff", "roster"} <= set(schema["properties"])
    team = schema["$defs"]["Team"]["properties"]
    assert {"crew", "mix"} <= set(team)


def test_capital_has_a_detail_of_about_sixty_from_two_chains() -> None:
    s = load_scenario(EXAMPLES / "capital.yaml")
    assert 55 <= len(s.staff) <= 65
    assert {p.chain for p in s.staff} == {"presidential-guard", "army"}
    assert all(t.crew and t.mix for t in s.teams)
