"""Pricing a night spent against the plan (figures worked out by hand in conftest.py)."""

from __future__ import annotations

import pytest

from escolta.protect.plan import Night, Plan
from escolta.protect.scenario import Scenario
from escolta.reports.overrides import assess_night


@pytest.mark.parametrize(
    ("night", "yesterday", "drawn", "probability", "override", "strike"),
    [
        # the plan's own night, drawn for the date: nothing to price
        pytest.param(Night(0, "b", 1, {"t": "b"}), None, Night(0, "b", 1, {"t": "b"}), 0.3,
                     False, None, id="as-drawn"),
        # b, 1 after a (row of night 0: 0.6 to (b, 1)); drawn was (b, 2): an override that
        # strike, who attacks (b, 1) with the team there, wins with success[1] = 0.4
        pytest.param(Night(0, "b", 1, {"t": "b"}), Night(0, "a", 1, {"t": "a"}),
                     Night(0, "b", 2, {"t": "b"}), 0.6, True, 0.4, id="not-as-drawn"),
        # a after a: no_repeat, so the plan never draws it; strike attacks (b, 1): fails
        pytest.param(Night(0, "a", 1, {"t": "a"}), Night(0, "a", 1, {"t": "a"}), None, 0.0,
                     True, 0.0, id="repeat"),
        # b, 1 with the team away: outside the support; strike meets no team: 0.8
        pytest.param(Night(0, "b", 1, {"t": "a"}), None, None, 0.0, True, 0.8,
                     id="team-away"),
    ],
)
def test_assessment(ops_scenario: Scenario, ops_plan: Plan, night: Night,
                    yesterday: Night | None, drawn: Night | None, probability: float,
                    override: bool, strike: float | None) -> None:
    assessment = assess_night(ops_scenario, ops_plan, night, yesterday=yesterday, drawn=drawn)
    assert assessment.probability == pytest.approx(probability)
    assert assessment.override is override
    if strike is None:
        assert assessment.adversaries is None and not assessment.flagged
    else:
        assert assessment.adversaries == {"strike": pytest.approx(strike)}
        assert assessment.risk == pytest.approx(strike)
    assert assessment.plan_risk == pytest.approx(0.12)
