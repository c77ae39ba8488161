"""The phone exposure model of docs/design.md §4b, against values worked out by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escolta.errors import InputError
from escolta.protect.phones import (
    cycle_length,
    day_exposure,
    exposure,
    phone_exposure,
    tracker_adversaries,
)
from escolta.protect.scenario import Phones, load_scenario


@pytest.mark.parametrize(
    ("q", "days", "expected"),
    [
        # q=0.02, D=2: e = 1 - (0.98 + 0.9604)/2 = 1 - 0.9702 = 0.0298
        pytest.param(0.02, 2, 0.0298, id="q0.02-D2"),
        # q=0.1, D=3: (0.9 + 0.81 + 0.729)/3 = 2.439/3 = 0.813, e = 0.187
        pytest.param(0.1, 3, 0.187, id="q0.1-D3"),
        # q=0.2, D=4: (0.8 + 0.64 + 0.512 + 0.4096)/4 = 2.3616/4 = 0.5904, e = 0.4096
        pytest.param(0.2, 4, 0.4096, id="q0.2-D4"),
        # q=0.5, D=1: one day in use, e = 1 - 0.5 = 0.5
        pytest.param(0.5, 1, 0.5, id="q0.5-D1"),
        # q=0.5, D=2: (0.5 + 0.25)/2 = 0.375, e = 0.625
        pytest.param(0.5, 2, 0.625, id="q0.5-D2"),
        # q=0: the number never leaks
        pytest.param(0.0, 7, 0.0, id="never-leaks"),
        # q=1: known from the first day
        pytest.param(1.0, 3, 1.0, id="always-leaks"),
    ],
)
def test_exposure_matches_hand_arithmetic(q: float, days: int, expected: float) -> None:
    assert exposure(q, days) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("per_month", "max_days", "expected"),
    [
        pytest.param(15, None, 2, id="15-a-month"),     # 30/15 = 2
        pytest.param(7, None, 5, id="7-a-month"),       # 30/7 = 4.29 -> 5
        pytest.param(30, None, 1, id="30-a-month"),     # 30/30 = 1
        pytest.param(31, None, 1, id="31-a-month"),     # 30/31 < 1 -> 1
        pytest.param(4, None, 8, id="4-a-month"),       # 30/4 = 7.5 -> 8
        pytest.param(1, None, 30, id="1-a-month"),
        pytest.param(15, 2, 2, id="max-days-at-limit"),
        pytest.param(15, 9, 9, id="max-days-longer"),
    ],
)
def test_cycle_length(per_month: int, max_days: int | None, expected: int) -> None:
    assert cycle_length(per_month, max_days) == expected


def test_max_days_shorter_than_per_month_allows_is_refused() -> None:
    # a 1-day cycle needs 30 handsets per 30 days; per_month = 15 allows only 15
    with pytest.raises(InputError, match=r"phones\.max_days.*got 1"):
        cycle_length(15, 1)


def test_day_exposure_is_one_minus_kept_to_the_day() -> None:
    # day 3 at q = 0.1: 1 - 0.9**3 = 1 - 0.729 = 0.271
    assert day_exposure(0.1, 3) == pytest.approx(0.271)


def test_phone_exposure_of_design_example() -> None:
    # docs/design.md §4b: leak 0.02, per_month 15, max_days 2 -> D = 2, e = 0.0298
    found = phone_exposure(Phones(leak_per_day=0.02, per_month=15, max_days=2, tracker_weight=2))
    assert found.to_dict() == {"cycle_days": 2, "exposure": pytest.approx(0.0298)}


def test_tracker_adversaries_split_the_weight() -> None:
    known, unknown = tracker_adversaries(2.0, 0.0298)
    # 2 * 0.0298 = 0.0596 sees the site tonight; 2 * 0.9702 = 1.9404 sees nothing
    assert (known.weight, known.sees, known.lead) == (pytest.approx(0.0596), "site", 0)
    assert (unknown.weight, unknown.sees) == (pytest.approx(1.9404), "nothing")


@given(st.floats(0.0, 1.0), st.integers(1, 60))
def test_exposure_lies_between_first_and_last_day(q: float, days: int) -> None:
    # the average over days 1..D of 1 - (1-q)^a lies between day 1 (q) and day D
    e = exposure(q, days)
    assert q - 1e-12 <= e <= 1 - (1 - q) ** days + 1e-12


@given(st.floats(0.0, 1.0), st.integers(1, 60))
def test_exposure_grows_with_the_cycle(q: float, days: int) -> None:
    assert exposure(q, days) <= exposure(q, days + 1) + 1e-12


@given(st.floats(0.0, 1.0), st.integers(1, 40))
def test_closed_form_matches_the_sum(q: float, days: int) -> None:
    # an independent evaluation of the defining sum, term by term
    direct = 1 - math.fsum((1 - q) ** a for a in range(1, days + 1)) / days
    assert exposure(q, days) == pytest.approx(direct, abs=1e-9)


@pytest.mark.parametrize("q", [-0.1, 1.5, float("nan")], ids=["negative", "above-one", "nan"])
def test_leak_outside_unit_interval_is_refused_by_the_library(q: float) -> None:
    with pytest.raises(InputError, match=r"phones\.leak_per_day"):
        exposure(q, 2)


def _scenario(phones: dict) -> dict:
    return {"principal": "P", "sites": [{"name": "a", "success": [0.5]},
                                        {"name": "b", "success": [0.4]}],
            "adversaries": [{"name": "x", "weight": 1, "sees": "nothing"}], "phones": phones}


@pytest.mark.parametrize(
    ("phones", "field", "value"),
    [
        pytest.param({"leak_per_day": 1.5, "per_month": 15}, "phones.leak_per_day", "1.5",
                     id="leak-above-one"),
        pytest.param({"leak_per_day": -0.2, "per_month": 15}, "phones.leak_per_day", "-0.2",
                     id="leak-negative"),
        pytest.param({"leak_per_day": 0.1, "per_month": 15, "max_days": 1}, "phones.max_days",
                     "1", id="cycle-beyond-per-month"),
        pytest.param({"leak_per_day": 0.1, "per_month": 0}, "phones.per_month", "0",
                     id="no-handsets"),
    ],
)
def test_bad_phones_section_is_refused_naming_field_and_value(
    phones: dict, field: str, value: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(_scenario(phones))
    message = str(caught.value)
    assert message.startswith(field) and f"got {value}" in message and "\n" not in message
