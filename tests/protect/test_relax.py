"""The blind relaxation solved first (:mod:`escolta.protect.nightly.relax`, docs/nightly.md
§3d).

Every expected value comes from an independent computation: the reference LP of
docs/design.md §4 (every night enumerated) on the scenario and on its relaxation, and the
enumeration of every reduced night of the game. Whole solves through the relaxation are
checked against the reference LP in ``test_fast_vs_reference.py``.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from scenarios import random_scenario

from escolta.protect.nightly import _all_columns, _relaxed_start, solve_nightly_report
from escolta.protect.nightly.reduce import reduce_scenario
from escolta.protect.nightly.relax import blind_relaxation
from escolta.protect.reference import solve_reference
from escolta.protect.scenario import load_scenario


def _with_lead1(seed: int) -> dict[str, Any]:
    """A random small scenario with at least one weighted lead-1 adversary that sees
    something and does not sabotage (the seed's stream, with one forced if it has none)."""
    rng = random.Random(seed)
    scenario = random_scenario(rng, max_sites=3, max_teams=2, max_adversaries=4)
    if not any(a.get("lead") == 1 and a["sees"] != "nothing" and not a.get("sabotage")
               for a in scenario["adversaries"]):
        sees: Any = rng.choice(["site", "room"] + (
            [{"team": scenario["teams"][0]["name"]}] if scenario.get("teams") else []))
        scenario["adversaries"].append({"name": "late", "weight": 2, "sees": sees, "lead": 1})
    for adversary in scenario["adversaries"]:
        if adversary.get("lead") == 1:
            adversary["sabotage"] = False
    return scenario


@pytest.mark.parametrize("seed", range(40), ids=lambda s: f"seed{s}")
def test_the_blind_relaxation_is_never_above_the_game(seed: int) -> None:
    scenario = load_scenario(_with_lead1(seed))
    relaxed = blind_relaxation(scenario)
    assert relaxed is not None
    # the same adversaries by name and weight, none of them lead 1 any more
    assert [(a.name, a.weight) for a in relaxed.adversaries] == [
        (a.name, a.weight) for a in scenario.adversaries]
    assert all(a.lead == 0 or a.sees_kind == "nothing" for a in relaxed.adversaries)
    assert relaxed.rules == scenario.rules and relaxed.sites == scenario.sites
    assert solve_reference(relaxed).risk <= solve_reference(scenario).risk + 1e-9


def test_the_relaxation_is_below_the_game_by_what_lead_1_adversaries_learn() -> None:
    """Not a vacuous bound: on some of the scenarios yesterday tells a lead-1 adversary
    something, and the relaxation is strictly below."""
    strict = 0
    for seed in range(40):
        scenario = load_scenario(_with_lead1(seed))
        relaxed = blind_relaxation(scenario)
        assert relaxed is not None
        strict += solve_reference(relaxed).risk < solve_reference(scenario).risk - 1e-6
    assert strict >= 5


def test_no_relaxation_without_a_lead_1_adversary_or_with_a_saboteur() -> None:
    base = {"principal": "P", "sites": [{"name": "a", "success": [0.8, 0.4]},
                                        {"name": "b", "success": [0.6, 0.3]}],
            "teams": [{"name": "t", "chain": "guard"}]}
    none = load_scenario({**base, "adversaries": [
        {"name": "w", "weight": 1, "sees": "posture"},
        {"name": "blind", "weight": 1, "sees": "nothing", "lead": 1}]})
    assert blind_relaxation(none) is None
    saboteur = load_scenario({**base, "adversaries": [
        {"name": "w", "weight": 1, "sees": "posture"},
        {"name": "mole", "weight": 1, "sees": {"team": "t"}, "lead": 1, "sabotage": True}]})
    assert blind_relaxation(saboteur) is None
    weightless = load_scenario({**base, "adversaries": [
        {"name": "w", "weight": 1, "sees": "posture"},
        {"name": "late", "weight": 0, "sees": "room", "lead": 1}]})
    assert blind_relaxation(weightless) is None


@pytest.mark.parametrize("seed", range(25), ids=lambda s: f"seed{s}")
def test_the_relaxed_start_is_the_relaxed_optimum_and_nights_of_the_game(seed: int) -> None:
    """Solved to the end, the relaxation's bound is its optimum (the reference LP of the
    relaxed scenario), below the game's; every first night is a night of the game."""
    scenario = load_scenario(_with_lead1(seed))
    game = reduce_scenario(scenario)
    if game.class_depends_on_posture:
        pytest.skip("a lead-1 posture watcher: the enumerate strategy, no relaxation")
    floor, lifted, rounds = _relaxed_start(scenario, game, "knapsack", None, None)
    relaxed = blind_relaxation(scenario)
    assert relaxed is not None and rounds >= 1
    assert floor == pytest.approx(solve_reference(relaxed).risk, abs=1e-7)
    assert floor <= solve_reference(scenario).risk + 1e-9
    every = set(_all_columns(game))
    assert lifted and set(lifted) <= every
    assert len(set(lifted)) == len(lifted)


def test_a_solve_reports_the_relaxations_rounds() -> None:
    base = {"principal": "P", "sites": [{"name": "a", "rooms": 2, "success": [0.8, 0.4]},
                                        {"name": "b", "success": [0.6, 0.3]},
                                        {"name": "c", "success": [0.7, 0.2]}],
            "teams": [{"name": "t", "chain": "guard"}], "rules": {"no_repeat": True}}
    watcher = {"name": "w", "weight": 1, "sees": "posture"}
    late = load_scenario({**base, "adversaries": [
        watcher, {"name": "late", "weight": 1, "sees": "room", "lead": 1}]})
    assert solve_nightly_report(late, strategy="knapsack").stats.relaxed_rounds >= 1
    without = load_scenario({**base, "adversaries": [watcher]})
    assert solve_nightly_report(without, strategy="knapsack").stats.relaxed_rounds == 0
