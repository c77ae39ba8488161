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


def test_a_full_block_is_read() -> None:
    orders = load_scenario({**BASE, "orders": {"colluders": 5, "false_accusation": 1e-6,
                                                "report_time": "7:05"}}).orders
    assert (orders.colluders, orders.false_accusation, orders.report_time) == (5, 1e-6, "07:05")


@pytest.mark.parametrize(("block", "field"), [
    pytest.param({"colluders": 0}, "orders.colluders", id="no-colluders"),
    pytest.param({"colluders": 21}, "orders.colluders", id="too-many-colluders"),
    pytest.param({"false_accusation": 0}, "orders.false_accusation", id="epsilon-zero"),
    pytest.param({"false_accusation": 1}, "orders.false_accusation", id="epsilon-one"),
    pytest.param({"report_time": "25:00"}, "orders.report_time", id="bad-time"),
    pytest.param({"colors": 3}, "orders.colors", id="unknown-field"),
])
def test_a_bad_orders_block_names_its_field(block: dict, field: str) -> None:
    with pytest.raises(InputError) as error:
        load_scenario({**BASE, "orders": block})
    assert error.value.field == field
