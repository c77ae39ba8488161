"""The blind relaxation solved first (:mod:`escolta.protect.nightly.relax`, docs/nightly.md
§3d).

Every expected value comes from an independent computation: the reference LP of
docs/design.md §4 (every night enumerated) on the scenario and on its relaxation, and the
enumeration of every reduced night of the game. Whole solves through the relaxation are
checked against the reference LP in ``test_fast_vs_reference.py``.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from scenarios import random_scenario

from escolta.protect.nightly import _all_columns, _lifted, _relaxation, solve_nightly_report
from escolta.protect.nightly.reduce import reduce_scenario
from escolta.protect.nightly.relax import blind_relaxation
from escolta.protect.reference import solve_reference
from escolta.protect.scenario import load_scenario


def _with_lead1(seed: int, sites: int = 3, teams: int = 2) -> dict[str, Any]:
    """A random small scenario (at most ``sites`` sites and ``teams`` teams) with at least
    one weighted lead-1 adversary that sees something and does not sabotage (the seed's
    stream, with one forced if it has none)."""
    rng = random.Random(seed)
    scenario = random_scenario(rng, max_sites=sites, max_teams=teams, max_adversaries=4)
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
    relaxed scenario), below the game's; every first night is a night of the game, in blocks
    of one posture."""
    scenario = load_scenario(_with_lead1(seed))
    game = reduce_scenario(scenario)
    if game.class_depends_on_posture:
        pytest.skip("a lead-1 posture watcher: the enumerate strategy, no relaxation")
    relaxation = _relaxation(scenario, game, "knapsack", None)
    assert relaxation is not None
    result = relaxation.generation.run(None)
    floor, lifted = result.lower_bound, _lifted(relaxation, game, result)
    relaxed = blind_relaxation(scenario)
    assert relaxed is not None and result.rounds >= 1
    assert floor == pytest.approx(solve_reference(relaxed).risk, abs=1e-7)
    assert floor <= solve_reference(scenario).risk + 1e-9
    every = set(_all_columns(game))
    nights = [night for block, _ in lifted for night in block]
    assert nights and set(nights) <= every
    assert len(set(nights)) == len(nights)
    for block, shares in lifted:  # a probability over nights of one posture
        assert min(shares) > 0.0 and sum(shares) == pytest.approx(1.0, abs=1e-12)
        assert game.posture_weight == 0.0 or len({posture for _, posture, _ in block}) == 1


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


def _one_round_at_a_time(generation: Any) -> Any:
    """Run ``generation`` a round per call (each run's deadline already past) to the end."""
    while True:
        result = generation.run(time.perf_counter())
        if result.status != "time_limit":
            return result


def _risks(risks: list[str]) -> Any:
    """A progress callback that keeps each round's risk."""
    return lambda stage, fraction: risks.append(stage.split("risk ")[1].split(",")[0])


@pytest.mark.parametrize("seed", range(12), ids=lambda s: f"seed{s}")
def test_column_generation_goes_on_where_it_stopped(seed: int) -> None:
    """Stopped after every round and gone on with, the relaxation takes the same rounds, at
    the same risks, to the same optimum as in one run (its bound, smoothing centre and
    counters are kept), and that optimum is the relaxed scenario's reference LP."""
    scenario = load_scenario(_with_lead1(seed, sites=5, teams=3))
    game = reduce_scenario(scenario)
    if game.class_depends_on_posture:
        pytest.skip("a lead-1 posture watcher: the enumerate strategy, no relaxation")
    paths: tuple[list[str], list[str]] = ([], [])
    whole = _relaxation(scenario, game, "knapsack", _risks(paths[0]))
    stepped = _relaxation(scenario, game, "knapsack", _risks(paths[1]))
    assert whole is not None and stepped is not None
    at_once = whole.generation.run(None)
    by_rounds = _one_round_at_a_time(stepped.generation)
    assert by_rounds.rounds == at_once.rounds and paths[0] == paths[1]
    relaxed = blind_relaxation(scenario)
    assert relaxed is not None
    optimum = solve_reference(relaxed).risk
    for result in (at_once, by_rounds):
        assert result.status == "optimal"
        assert result.solution.objective == pytest.approx(optimum, abs=1e-7)
        assert result.lower_bound == pytest.approx(optimum, abs=1e-7)


def test_the_relaxation_goes_on_after_the_look_when_the_lift_is_cheap(monkeypatch) -> None:
    """With no time for the relaxation before the look (its first round only), the solve
    goes on in the relaxation where the lift cost less than the relaxation had left, and
    starts the game again from the new lift; either way the plan is the reference optimum
    and its bound below it. Both ways are taken on these scenarios."""
    import escolta.protect.nightly as nightly

    monkeypatch.setattr(nightly, "RELAXED_SHARE", 0.0)
    ways = {"went on": 0, "did not": 0}
    for seed in range(30):
        scenario = load_scenario(_with_lead1(seed, sites=5, teams=3))
        if reduce_scenario(scenario).class_depends_on_posture:
            continue
        report = solve_nightly_report(scenario, strategy="knapsack", time_limit=600.0)
        reference = solve_reference(scenario).risk
        assert report.plan.solver.status == "optimal"
        assert report.plan.risk == pytest.approx(reference, abs=1e-6)
        assert report.plan.solver.lower_bound <= reference + 1e-7
        if report.stats.relaxed_rounds > 1:
            ways["went on"] += 1
        elif report.stats.relaxed_rounds == 1:
            ways["did not"] += 1
    assert min(ways.values()) >= 2, ways
