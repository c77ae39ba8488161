"""examples/capital.yaml: what issue 4 asks of it, and solved to proven optimality.

(capital20.yaml takes 10-30 s: it is measured by benchmarks/bench_nightly.py, not here.)
"""

from __future__ import annotations

from pathlib import Path

import yaml
from json_evaluator import check_export

from escolta.protect.nightly import solve_nightly
from escolta.protect.scenario import load_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_capital_has_what_issue_4_asks() -> None:
    scenario = load_scenario(EXAMPLES / "capital.yaml")
    assert len(scenario.sites) == 10
    assert {site.rooms for site in scenario.sites} == {1, 2, 3}
    assert len(scenario.teams) == 5
    assert len({team.chain for team in scenario.teams}) == 2
    nightly = [a for a in scenario.adversaries if a.attacks == "nights"]
    assert len(nightly) == 8
    assert [a.attacks for a in scenario.adversaries].count("roads") == 1  # docs/design.md §12
    kinds = {a.sees_kind for a in nightly}
    assert kinds == {"nothing", "posture", "site", "room", "team", "chain"}
    assert {a.lead for a in scenario.adversaries} == {0, 1}
    assert any(a.sabotage for a in scenario.adversaries)
    assert scenario.rules.no_repeat


def test_capital_solves_to_proven_optimality() -> None:
    # the nightly game alone (the joint game with its road ambush: tests/roads/)
    data = yaml.safe_load((EXAMPLES / "capital.yaml").read_text())
    data["adversaries"] = [a for a in data["adversaries"] if a.get("attacks") != "roads"]
    scenario = load_scenario(data)
    plan = solve_nightly(scenario)
    assert plan.solver.status == "optimal"
    assert plan.solver.lower_bound <= plan.risk
    assert plan.risk - plan.solver.lower_bound <= 1e-6
    # the export's figures recompute from its JSON alone
    check_export(plan.to_dict(), data)


def test_capital20_has_twenty_sites_and_eight_teams() -> None:
    scenario = load_scenario(EXAMPLES / "capital20.yaml")
    assert (len(scenario.sites), len(scenario.teams)) == (20, 8)
