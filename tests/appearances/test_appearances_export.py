"""The ``appearances`` section of the plan export (docs/design.md §5)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from appearance_cases import brute_force, independent_risk, load, random_week
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.protect.appearances import feasible_sets, solve_appearances
from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan

EXAMPLE = Path(__file__).parents[2] / "examples" / "protected-week.yaml"


def test_plan_export_carries_the_weekly_section_apart_from_the_nightly_risk() -> None:
    data = yaml.safe_load(EXAMPLE.read_text())
    exported = solve_plan(load_scenario(data), method="reference").to_dict()
    without = solve_plan(load_scenario({**data, "appearances": None}),
                         method="reference").to_dict()
    assert exported["risk"] == pytest.approx(without["risk"], abs=1e-9)
    section = exported["appearances"]
    assert set(section) >= {"risk", "adversaries", "sets"}
    assert set(section["adversaries"]) == {"sniper", "crowd"}
    # an independent evaluator recomputes the weekly risk from the sets alone
    week = data["appearances"]
    recomputed = independent_risk(week, [(s["p"], tuple(s["slots"])) for s in section["sets"]])
    assert recomputed == pytest.approx(section["risk"], abs=1e-9)
    assert section["risk"] == pytest.approx(brute_force(week).risk, abs=1e-7)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 2**32 - 1))
def test_no_distribution_over_sets_beats_the_plan(seed: int, mix_seed: int) -> None:
    # any distribution over feasible sets (here a random one) is at least as risky
    section = random_week(9, 2, 12, seed)
    plan = solve_appearances(load(section))
    sets = list(feasible_sets(load(section)))
    weights = np.random.default_rng(mix_seed).dirichlet(np.ones(len(sets)))
    other = independent_risk(section, list(zip(weights, sets, strict=True)))
    assert plan.risk <= other + 1e-9
