"""Monte Carlo against exact: on one scenario per feature of docs/design.md §4 (the shared table of
``tests/protect/scenarios.py``), every adversary's simulated success covers the plan's figure
and the evaluator's. The simulation (drawn nights, signals, tied targets at random, Bernoulli
outcomes) and the evaluator (sums over the plan's exact law) are independent computations.

Intervals at 99.9%: with about 25 figures checked in this file, a chance failure of the family
stays under 3% (Bonferroni).
"""

import importlib.util
from pathlib import Path

import pytest

from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan
from escolta.redteam.intervals import estimate
from escolta.redteam.report import run_redteam
from escolta.redteam.simulate import Settings

_SHARED = Path(__file__).parents[1] / "protect" / "scenarios.py"
_spec = importlib.util.spec_from_file_location("protect_feature_scenarios", _SHARED)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
FEATURE_CASES = _module.FEATURE_CASES

SETTINGS = Settings(nights=10000, runs=2, seed=77, learners=(), workers=1)


@pytest.mark.parametrize("data", FEATURE_CASES)
def test_simulation_covers_the_exact_figures(data):
    scenario = load_scenario(data)
    plan = solve_plan(scenario, method="reference")
    report = run_redteam(scenario, plan, SETTINGS, baselines=False)
    for name, outcome in report.plan.adversaries.items():
        assert report.adversary_exact[name] == pytest.approx(plan.adversaries[name], abs=1e-6)
        interval = estimate(outcome.success.successes, outcome.success.trials, 0.999)
        assert interval.contains(plan.adversaries[name]), (name, interval, plan.adversaries[name])
