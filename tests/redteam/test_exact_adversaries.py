"""Every §4 adversary, played exactly in simulation, succeeds as often as worked out by hand.

Each case of ``redteam_cases.HAND_CASES`` is solved (reference LP); the test checks (1) the
plan's figure equals the hand-derived one, (2) the evaluator's figure too, and (3) the simulated
success's confidence interval covers it. The interval is taken at 99.9% so that the dozen
checks of this file together fail by chance less than 2% of the time (Bonferroni).
"""

import pytest
from redteam_cases import HAND_CASES

from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan
from escolta.redteam.baselines import fortress_plan, routine_plan, uniform_plan
from escolta.redteam.intervals import estimate
from escolta.redteam.report import run_redteam
from escolta.redteam.simulate import Settings

FAMILY_LEVEL = 0.999
SETTINGS = Settings(nights=20000, runs=2, seed=20261127, learners=(), workers=1)


def _simulated(report, name):
    outcome = report.plan.adversaries[name]
    return estimate(outcome.success.successes, outcome.success.trials, FAMILY_LEVEL)


@pytest.mark.parametrize("case", sorted(HAND_CASES))
def test_simulated_success_matches_the_hand_figure(case):
    data, expected = HAND_CASES[case]
    scenario = load_scenario(data)
    plan = solve_plan(scenario, method="reference")
    report = run_redteam(scenario, plan, SETTINGS, baselines=False)
    for name, figure in expected.items():
        assert plan.adversaries[name] == pytest.approx(figure, abs=1e-7), name
        assert report.adversary_exact[name] == pytest.approx(figure, abs=1e-7), name
        simulated = _simulated(report, name)
        assert simulated.contains(figure), (name, simulated, figure)


# The baselines on the "blind" case (sites a: 0.8, b: 0.4, no teams), by hand:
# - routine a b a b a b a each week: P(a) = 4/7, P(b) = 3/7, the blind adversary attacks a:
#   4/7 * 0.8 = 3.2/7;
# - uniform: 1/2 each, attack a: 0.4;
# - fortress: b (the lower success), every night; the adversary attacks b: 0.4.
BASELINE_FIGURES = [
    pytest.param(routine_plan, 3.2 / 7, id="routine"),
    pytest.param(uniform_plan, 0.4, id="uniform"),
    pytest.param(fortress_plan, 0.4, id="fortress"),
]


@pytest.mark.parametrize(("make", "figure"), BASELINE_FIGURES)
def test_baselines_played_exactly(make, figure):
    scenario = load_scenario(HAND_CASES["blind"][0])
    report = run_redteam(scenario, make(scenario), SETTINGS, baselines=False)
    assert report.adversary_exact["blind"] == pytest.approx(figure)
    assert _simulated(report, "blind").contains(figure)


def test_phone_tracker_plays_as_its_two_parts():
    # The "blind" case plus phones with leak 0.5 and a one-day cycle: the phone is known with
    # probability e = 1 - 0.5 = 0.5 (docs/design.md §4b), so the tracker is a `sees: site` part of
    # weight 0.5 and a `sees: nothing` part of weight 0.5; with the blind one (weight 1) the
    # normalized weights are 1/2, 1/4, 1/4. Risk as a function of p = P(a):
    # 3/4 max(0.8 p, 0.4 (1 - p)) + 1/4 (0.8 p + 0.4 (1 - p)), least at p = 1/3: 1/3.
    # There the known part wins 0.8/3 + 0.4 * 2/3 = 8/15; the others 4/15.
    data = dict(HAND_CASES["blind"][0])
    data["phones"] = {"leak_per_day": 0.5, "per_month": 30, "tracker_weight": 1}
    scenario = load_scenario(data)
    plan = solve_plan(scenario, method="reference")
    report = run_redteam(scenario, plan, SETTINGS, baselines=False)
    expected = {"blind": 4 / 15, "phone-tracker (known)": 8 / 15,
                "phone-tracker (unknown)": 4 / 15}
    assert plan.risk == pytest.approx(1 / 3, abs=1e-7)
    assert report.plan.risk.predicted == pytest.approx(1 / 3, abs=1e-7)
    for name, figure in expected.items():
        assert report.adversary_exact[name] == pytest.approx(figure, abs=1e-7)
        assert _simulated(report, name).contains(figure), name
