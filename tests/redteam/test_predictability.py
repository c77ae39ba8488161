"""Conditional entropy of site sequences: i.i.d. uniform ≈ log2 S, a fixed rotation ≈ 0."""

import math

import numpy as np
import pytest

from escolta.protect.scenario import load_scenario
from escolta.redteam.baselines import routine_plan, uniform_plan
from escolta.redteam.predictability import conditional_entropy, exact_site_entropy
from escolta.redteam.tables import plan_tables


def _scenario(n_sites, no_repeat=False):
    return load_scenario({
        "principal": "P",
        "sites": [{"name": f"s{i}", "success": [0.5]} for i in range(n_sites)],
        "rules": {"no_repeat": no_repeat},
        "adversaries": [{"name": "x", "weight": 1}]})


@pytest.mark.parametrize("n_sites", [2, 3, 5], ids=lambda s: f"{s}-sites")
@pytest.mark.parametrize("order", [0, 1, 2])
def test_iid_uniform_has_entropy_log2_s(n_sites, order):
    # Independent uniform draws: H(X_t | anything before) = log2 S (Cover & Thomas eq. 2.61).
    # The plug-in bias, about S^k (S - 1) / (2 n ln 2) < 0.01 bits here, is corrected anyway.
    sequence = np.random.default_rng(5).integers(0, n_sites, size=100_000)
    assert conditional_entropy(sequence, n_sites, order) == pytest.approx(math.log2(n_sites),
                                                                          abs=0.01)


@pytest.mark.parametrize("n_sites", [2, 3, 7], ids=lambda s: f"{s}-sites")
def test_fixed_rotation_has_zero_entropy_given_yesterday(n_sites):
    sequence = np.tile(np.arange(n_sites), 500)
    assert conditional_entropy(sequence, n_sites, 0) == pytest.approx(math.log2(n_sites),
                                                                      abs=0.01)
    assert conditional_entropy(sequence, n_sites, 1) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(("n_sites", "no_repeat", "expected"), [
    pytest.param(3, False, (math.log2(3), math.log2(3)), id="uniform-iid"),
    # uniform among the other two sites: H(S_t) = log2 3, H(S_t | S_t-1) = 1 bit
    pytest.param(3, True, (math.log2(3), 1.0), id="uniform-no-repeat"),
])
def test_exact_entropy_of_the_uniform_plan(n_sites, no_repeat, expected):
    scenario = _scenario(n_sites, no_repeat)
    plan = uniform_plan(scenario)
    tables = plan_tables(scenario, plan)
    got = exact_site_entropy(tables.site, tables.stationary, plan.transition_matrix(), n_sites)
    assert got == pytest.approx(expected)


def test_exact_entropy_of_a_weekly_routine_on_two_sites():
    # a b a b a b a each week: P(a) = 4/7. After b always a; after a: b 3 times in 4, a once
    # (Sunday -> Monday). H(S_t | S_t-1) = 4/7 * h(1/4), h the binary entropy.
    scenario = _scenario(2)
    plan = routine_plan(scenario)
    tables = plan_tables(scenario, plan)
    h = -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))
    p_a = 4 / 7
    expected = (-(p_a * math.log2(p_a) + (1 - p_a) * math.log2(1 - p_a)), p_a * h)
    got = exact_site_entropy(tables.site, tables.stationary, plan.transition_matrix(), 2)
    assert got == pytest.approx(expected)
