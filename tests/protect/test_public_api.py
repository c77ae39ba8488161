"""The planner's public API (``escolta.protect``): every exported name imports, importing a
submodule does not load the solvers, and the value in the package's doctest is right by
checks independent of the fast solver that the doctest runs."""

from __future__ import annotations

import subprocess
import sys

import pytest
from json_evaluator import check_export, evaluate

import escolta.protect
from escolta.protect import load_scenario, solve_plan

# the scenario of escolta.protect's doctest
DOCTEST_SCENARIO = {
    "principal": "P",
    "sites": [{"name": "palace", "rooms": 2, "success": [0.9, 0.6]},
              {"name": "villa", "success": [0.8, 0.3]}],
    "teams": [{"name": "guard", "chain": "guard"}],
    "adversaries": [{"name": "strike", "weight": 3},
                    {"name": "lookout", "weight": 1, "sees": "site"}],
}


@pytest.mark.parametrize("name", escolta.protect.__all__)
def test_every_public_name_imports(name: str) -> None:
    value = getattr(escolta.protect, name)
    assert value.__module__.startswith("escolta.protect.")
    assert name in dir(escolta.protect)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = escolta.protect.no_such_name  # type: ignore[attr-defined]


def test_importing_the_scenario_does_not_load_the_solvers() -> None:
    code = ("import sys, escolta.protect.scenario; "
            "print(sorted(m for m in ('escolta.protect.solve', 'highspy', 'scipy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def _by_hand(p: float) -> float:
    # the doctest's derivation, for P(palace) = p split evenly over its two rooms, one team
    # always with the principal: strike gets max(0.6 p/2, 0.3 (1 - p)), lookout 0.3
    strike = max(0.6 * p / 2, 0.3 * (1 - p))
    lookout = p * (0.6 / 2) + (1 - p) * 0.3
    return 0.75 * strike + 0.25 * lookout


def test_hand_value_is_the_minimum_over_a_grid() -> None:
    # the grid includes p = 1/2 and nothing on it does better than 0.1875
    grid = [k / 1000 for k in range(1001)]
    assert min(_by_hand(p) for p in grid) == pytest.approx(0.1875, abs=1e-12)
    assert _by_hand(0.5) == pytest.approx(0.1875, abs=1e-12)


@pytest.mark.parametrize("method", ["reference", "fast"])
def test_doctest_value_by_the_reference_lp_and_the_json_evaluator(method: str) -> None:
    plan = solve_plan(load_scenario(DOCTEST_SCENARIO), method=method)
    assert plan.solver.status == "optimal"
    assert plan.risk == pytest.approx(0.1875, abs=1e-9)
    assert dict(plan.adversaries) == pytest.approx({"strike": 0.15, "lookout": 0.3}, abs=1e-9)
    # the independent evaluator reads only the export and the scenario dict
    check_export(plan.to_dict(), DOCTEST_SCENARIO)
    recomputed = evaluate(plan.to_dict(), DOCTEST_SCENARIO)
    assert recomputed["risk"] == pytest.approx(0.1875, abs=1e-9)
