"""The arrays the simulation plays on encode each adversary's best response exactly.

Invariant (no Monte Carlo): the expected success read off the tables — over the plan's exact
law of (yesterday, tonight), one of the tied targets at random — equals the evaluator's figure,
for random small scenarios (the shared generator of ``tests/protect/scenarios.py``).
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan
from escolta.redteam.tables import plan_tables

_SHARED = Path(__file__).parents[1] / "protect" / "scenarios.py"
_spec = importlib.util.spec_from_file_location("protect_random_scenarios", _SHARED)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)


def expected_success(tables, adversary, joint):
    """Σ P(yesterday i, tonight j) · P(attack hits tonight's room | signal) · success_j."""
    stationary = tables.stationary
    total = 0.0
    for i in range(len(stationary)):
        for j in range(len(stationary)):
            p = stationary[j] if adversary.lead == 0 and i == j else joint[i, j]
            if adversary.lead == 0 and i != j:
                continue
            sigma = adversary.signal[j if adversary.lead == 0 else i]
            ties = adversary.ties[sigma]
            if ties == 0:
                continue
            hit = np.mean(adversary.targets[sigma, :ties] == tables.location[j])
            total += p * hit * adversary.success[j]
    return total


@settings(max_examples=25, deadline=None)
@given(_module.scenario_dicts())
def test_tables_reproduce_the_exact_success(data):
    scenario = load_scenario(data)
    plan = solve_plan(scenario, method="reference")
    tables = plan_tables(scenario, plan)
    joint = tables.stationary[:, None] * plan.transition_matrix()
    for adversary in tables.adversaries:
        assert expected_success(tables, adversary, joint) == pytest.approx(
            adversary.exact, abs=1e-7), adversary.name
