"""Bad appearance sections are refused with one line naming the field and the value."""

from __future__ import annotations

import pytest

from escolta.errors import InputError
from escolta.protect.scenario import load_scenario


def _scenario(appearances: dict) -> dict:
    return {"principal": "P", "sites": [{"name": "a", "success": [0.5]}],
            "adversaries": [{"name": "x", "weight": 1}], "appearances": appearances}


def _slot(day: str = "mon", start: str = "10:00", venue: str = "plaza") -> dict:
    return {"venue": venue, "day": day, "start": start, "success": 0.3}


@pytest.mark.parametrize(
    ("appearances", "field", "value"),
    [
        pytest.param({"per_week": 1, "slots": [_slot(day="funday")]},
                     "appearances.slots[0].day", "'funday'", id="unknown-day"),
        # three slots on one Monday cannot hold two appearances 24 h apart
        pytest.param({"per_week": 2, "min_gap_hours": 24,
                      "slots": [_slot(start="09:00"), _slot(start="12:00"),
                                _slot(start="18:00")]},
                     "appearances.per_week", "2", id="per-week-beyond-gap"),
        pytest.param({"per_week": 3, "slots": [_slot(), _slot(day="tue")]},
                     "appearances.per_week", "3", id="per-week-beyond-slots"),
        pytest.param({"per_week": 1, "slots": [_slot(), _slot()]},
                     "appearances.slots[1]", "'plaza mon 10:00'", id="duplicate-slot"),
        pytest.param({"per_week": 1, "slots": [_slot(start="25:00")]},
                     "appearances.slots[0].start", "'25:00'", id="bad-clock"),
        pytest.param({"per_week": 1, "slots": [{**_slot(), "success": 1.2}]},
                     "appearances.slots[0].success", "1.2", id="success-above-one"),
        pytest.param({"per_week": 1, "slots": [_slot()],
                      "adversaries": [{"name": "s", "weight": 1, "prep_hours": -1}]},
                     "appearances.adversaries[0].prep_hours", "-1", id="negative-prep"),
    ],
)
def test_refused_naming_field_and_value(appearances: dict, field: str, value: str) -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(_scenario(appearances))
    message = str(caught.value)
    assert message.startswith(f"{field}:"), message
    assert f"(got {value})" in message and "\n" not in message
