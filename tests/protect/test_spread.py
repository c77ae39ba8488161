"""The bound at lead-0 duals spread over the cheapest sites (:mod:`escolta.protect.nightly.
spread`, docs/nightly.md §3e).

Every expected value is the reference LP's optimum (docs/design.md §4, every night
enumerated): the spread bound never passes it, at any duals; and on games whose sites are all
alike, where the uniform duals are optimal by symmetry, it reaches it from duals that hold
nothing on the lead-0 rows.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from escolta.protect.nightly import checked_types
from escolta.protect.nightly.generate import _posture_bound
from escolta.protect.nightly.knapsack import KnapsackPricer
from escolta.protect.nightly.master import Master, MasterSolution
from escolta.protect.nightly.pricing import build_type_table
from escolta.protect.nightly.reduce import reduce_scenario
from escolta.protect.nightly.relax import blind_relaxation
from escolta.protect.nightly.spread import lead0_groups, spread_bound
from escolta.protect.reference import solve_reference
from escolta.protect.scenario import Scenario, load_scenario


def _lead0_only(rng: random.Random) -> Scenario:
    """A small national mix (posture, blind, site, room, a sabotaging insider, insiders that
    see yesterday) with its lead-1 adversaries made blind (docs/nightly.md §3d)."""
    n_sites, n_teams = rng.randint(2, 4), rng.randint(1, 3)
    sites = [{"name": f"s{a}", "rooms": rng.randint(1, 3),
              "success": sorted((rng.randrange(1, 20) / 20 for _ in range(n_teams + 1)),
                                reverse=True)} for a in range(n_sites)]
    teams = [{"name": f"t{t}", "chain": "guard"} for t in range(n_teams)]
    adversaries: list[dict[str, Any]] = [
        {"name": "lookouts", "weight": rng.choice([0, 1, 3]), "sees": "posture"},
        {"name": "cell", "weight": rng.choice([1, 2]), "sees": "nothing"},
        {"name": "phone", "weight": rng.choice([0, 1]), "sees": "site"},
        {"name": "housekeeping", "weight": rng.choice([0, 1]), "sees": "room", "lead": 1},
        {"name": "mole", "weight": 1, "sees": {"team": f"t{rng.randrange(n_teams)}"},
         "sabotage": True},
        {"name": "talker", "weight": 1, "sees": {"team": f"t{rng.randrange(n_teams)}"},
         "lead": 1},
    ]
    rules: dict[str, Any] = {"min_teams_with_principal": rng.randint(0, 1),
                             "no_repeat": rng.random() < 0.5}
    scenario = load_scenario({"principal": "P", "sites": sites, "teams": teams,
                              "rules": rules, "adversaries": adversaries})
    relaxed = blind_relaxation(scenario)
    return scenario if relaxed is None else relaxed


def _first_master(scenario: Scenario) -> tuple[Master, KnapsackPricer, MasterSolution]:
    """The master of one night per site, solved once, its pricer and its solution."""
    from escolta.protect.nightly import _initial_columns, _seed_history

    game = reduce_scenario(scenario)
    types = checked_types(game, "knapsack")
    master = Master(game, types.classes, types.features)
    table = build_type_table(master, types)
    initial = _initial_columns(game)
    master.add_columns(initial)
    master.add_history(_seed_history(master, initial))
    solution = master.solve()
    assert solution is not None
    return master, KnapsackPricer(game, table, master.n_static_rows), solution


def _bound_at(master: Master, pricer: KnapsackPricer):
    return lambda duals: _posture_bound(master, pricer, master.dual_vector(duals))[0]


@pytest.mark.parametrize("seed", range(40), ids=lambda s: f"seed{s}")
def test_the_spread_bound_never_passes_the_optimum(seed: int) -> None:
    """At the first master's duals and at random ones (any duals, every lead-0 row replaced
    by the spread), the bound stays below the reference LP's optimum."""
    rng = random.Random(seed)
    scenario = _lead0_only(rng)
    optimum = solve_reference(scenario).risk
    master, pricer, solution = _first_master(scenario)
    assert lead0_groups(master)  # the blind cell at least
    bound = spread_bound(master, pricer, solution, _bound_at(master, pricer))
    assert np.isfinite(bound) and bound <= optimum + 1e-9
    noise = np.random.default_rng(seed)
    for _ in range(3):
        duals = solution.row_duals + noise.normal(0.0, 0.3, len(solution.row_duals))
        p = noise.dirichlet(np.ones(len(solution.p)))  # other plan sites
        assert spread_bound(master, pricer, replace(solution, row_duals=duals, p=p),
                            _bound_at(master, pricer)) <= optimum + 1e-9


def _alike(n_sites: int, n_teams: int, adversaries: list[dict[str, Any]]) -> Scenario:
    curve = [0.8, 0.5, 0.3, 0.2][: n_teams + 1]
    return load_scenario({
        "principal": "P",
        "sites": [{"name": f"s{a}", "rooms": 2, "success": curve} for a in range(n_sites)],
        "teams": [{"name": f"t{t}", "chain": "guard"} for t in range(n_teams)],
        "adversaries": adversaries})


@pytest.mark.parametrize("n_sites, n_teams, adversaries", [
    (3, 1, [{"name": "cell", "weight": 2, "sees": "nothing"}]),
    (4, 2, [{"name": "cell", "weight": 2, "sees": "nothing"},
            {"name": "lookouts", "weight": 1, "sees": "posture"},
            {"name": "phone", "weight": 1, "sees": "site"}]),
    (3, 3, [{"name": "cell", "weight": 1, "sees": "nothing"},
            {"name": "lookouts", "weight": 3, "sees": "posture"},
            {"name": "mole", "weight": 1, "sees": {"team": "t2"}, "sabotage": True}]),
])
def test_on_sites_all_alike_the_spread_reaches_the_optimum(
        n_sites: int, n_teams: int, adversaries: list[dict[str, Any]]) -> None:
    """Sites alike: averaging an optimal dual over the site permutations keeps it optimal,
    so the duals uniform over each group's targets are optimal, and the Lagrangian bound
    there is the optimum (LP duality). From duals that hold nothing on the lead-0 rows (a
    bound of the linear adversaries alone), the spread finds it."""
    scenario = _alike(n_sites, n_teams, adversaries)
    optimum = solve_reference(scenario).risk
    master, pricer, solution = _first_master(scenario)
    empty = solution.row_duals.copy()
    for group in lead0_groups(master):
        empty[group.rows] = 0.0
    bound_at = _bound_at(master, pricer)
    assert bound_at(empty) < optimum - 1e-3  # the spread has something to find
    assert spread_bound(master, pricer, replace(solution, row_duals=empty),
                        bound_at) == pytest.approx(optimum, abs=1e-9)
