"""The engine: results do not depend on how many processes ran them."""

import numpy as np
import pytest

from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan
from escolta.redteam.simulate import Settings, simulate
from escolta.redteam.tables import plan_tables


@pytest.fixture(scope="module")
def contest():
    scenario = load_scenario({
        "principal": "P",
        "sites": [{"name": "a", "rooms": 2, "success": [0.7, 0.3]},
                  {"name": "b", "success": [0.9, 0.4]}],
        "teams": [{"name": "t", "chain": "guard"}],
        "adversaries": [{"name": "w", "weight": 1, "sees": "site", "lead": 1},
                        {"name": "p", "weight": 2, "sees": "posture"}]})
    return plan_tables(scenario, solve_plan(scenario, method="reference"))


def test_one_or_two_processes_give_the_same_tallies(contest):
    one = simulate([contest], Settings(nights=500, runs=3, seed=8, workers=1))["plan"]
    two = simulate([contest], Settings(nights=500, runs=3, seed=8, workers=2))["plan"]
    np.testing.assert_array_equal(one.adversary_successes, two.adversary_successes)
    np.testing.assert_array_equal(one.learner_hits, two.learner_hits)
    np.testing.assert_array_equal(one.bin_successes, two.bin_successes)
    assert one.weighted_sum == two.weighted_sum
    assert one.nights == two.nights == 1500


def test_progress_is_reported_per_run(contest):
    seen = []
    simulate([contest], Settings(nights=100, runs=4, workers=1), advance=seen.append)
    assert seen == [100] * 4


def test_different_seeds_differ(contest):
    a = simulate([contest], Settings(nights=400, runs=1, seed=1, workers=1))["plan"]
    b = simulate([contest], Settings(nights=400, runs=1, seed=2, workers=1))["plan"]
    assert not np.array_equal(a.learner_hits, b.learner_hits)
