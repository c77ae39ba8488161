"""Drawing a week's set: it follows the plan's distribution; seeded draws are marked."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from appearance_cases import load, random_week
from scipy.stats import chisquare

from escolta.protect.appearances import (
    draw_week,
    draw_weeks,
    slot_start,
    solve_appearances,
    week_monday,
)


@pytest.fixture(scope="module")
def plan():
    found = solve_appearances(load(random_week(12, 3, 12, 11, informed=0)))
    assert len(found.sets) >= 3  # a mixed plan, so the test has something to check
    return found


def test_seeded_draws_follow_the_plan(plan) -> None:
    # Pearson's chi-square goodness of fit of 20,000 seeded draws to the plan's
    # probabilities; at the 0.1% level a correct sampler fails one run in a thousand.
    draws = 20_000
    counts = Counter(draw_weeks(plan, draws, seed=2026))
    observed = np.array([counts.get(i, 0) for i in range(len(plan.sets))])
    expected = np.array([week.p for week in plan.sets]) * draws
    assert chisquare(observed, expected).pvalue > 1e-3


def test_single_seeded_draws_follow_the_plan(plan) -> None:
    # the same test on draw_week with one seed per week, as `--seed` would give
    draws = 5_000
    counts = Counter(draw_week(plan, seed=seed).set_index for seed in range(draws))
    observed = np.array([counts.get(i, 0) for i in range(len(plan.sets))])
    expected = np.array([week.p for week in plan.sets]) * draws
    assert chisquare(observed, expected).pvalue > 1e-3


def test_operational_draw_is_unseeded_and_in_the_support(plan) -> None:
    draw = draw_week(plan)
    assert not draw.seeded and draw.seed is None
    assert draw.slots == plan.sets[draw.set_index].slots


def test_seeded_draw_is_marked_and_repeatable(plan) -> None:
    first, again = draw_week(plan, seed=5), draw_week(plan, seed=5)
    assert first.seeded and first.seed == 5 and first == again


def test_slot_dates() -> None:
    from datetime import date, datetime

    section = random_week(3, 1, 0, 1)
    section["slots"][0].update(day="thu", start="18:30")
    monday = week_monday(date(2026, 12, 3))  # a Thursday
    assert monday == date(2026, 11, 30)
    assert slot_start(load(section).slots[0], monday) == datetime(2026, 12, 3, 18, 30)
