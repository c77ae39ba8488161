"""The route game against brute force: every simple route within the detour bound listed,
and the zero-sum LP over all of them solved independently with SciPy's linprog (HiGHS via
SciPy, built here from the definition of docs/design.md §12, not from escolta.roads.game)."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest
from scipy.optimize import linprog

from escolta.roads.game import Ambusher, solve_routes
from escolta.roads.paths import all_routes, cheapest_route, fastest_route, segment


def grid(seed: int, side: int = 4) -> nx.DiGraph:
    """A side x side street grid, both directions, random travel times."""
    rng = random.Random(seed)
    graph = nx.DiGraph()
    for x, y in itertools.product(range(side), repeat=2):
        graph.add_node(x * side + y, lat=60 + x / 1000, lon=25 + y / 1000)
    for x, y in itertools.product(range(side), repeat=2):
        for dx, dy in ((1, 0), (0, 1)):
            if x + dx < side and y + dy < side:
                u, v = x * side + y, (x + dx) * side + y + dy
                t = rng.uniform(10, 30)
                graph.add_edge(u, v, seconds=t, length=t * 10)
                graph.add_edge(v, u, seconds=t * rng.uniform(0.9, 1.1), length=t * 10)
    return graph


def hops(nodes):
    """Consecutive node pairs of a route."""
    return zip(nodes, nodes[1:], strict=False)


def brute_force(graph, trips, nodes_of, ambushers, detour) -> float:
    pairs = [ab for ab, q in trips.items() if q > 0]
    routes = []
    for ab in pairs:
        s, t = nodes_of[ab[0]], nodes_of[ab[1]]
        _, fastest = fastest_route(graph, s, t)
        routes += [(ab, r) for r in all_routes(graph, s, t, detour * fastest)]
    segments = sorted({segment(u, v) for _, r in routes for u, v in hops(r)},
                      key=sorted)
    n_r = len(routes)
    blind = [a for a in ambushers if not a.sees_trip]
    informed = [a for a in ambushers if a.sees_trip]
    n = n_r + len(blind) + len(informed) * len(pairs)
    c = np.zeros(n)
    for i, a in enumerate(blind):
        c[n_r + i] = a.weight
    for i, a in enumerate(informed):
        for k in range(len(pairs)):
            c[n_r + len(blind) + i * len(pairs) + k] = a.weight
    A_eq = np.zeros((len(pairs), n))
    b_eq = np.array([trips[ab] for ab in pairs])
    for j, (ab, _) in enumerate(routes):
        A_eq[pairs.index(ab), j] = 1.0
    A_ub, b_ub = [], []
    for seg in segments:  # s_e * load_e - v <= 0
        for i, a in enumerate(blind):
            row = np.zeros(n)
            for j, (_, r) in enumerate(routes):
                if seg in {segment(u, v) for u, v in hops(r)}:
                    row[j] = a.on(seg)
            row[n_r + i] = -1.0
            A_ub.append(row)
            b_ub.append(0.0)
        for i, a in enumerate(informed):
            for k, ab in enumerate(pairs):
                row = np.zeros(n)
                for j, (ab2, r) in enumerate(routes):
                    if ab2 == ab and seg in {segment(u, v) for u, v in hops(r)}:
                        row[j] = a.on(seg)
                row[n_r + len(blind) + i * len(pairs) + k] = -1.0
                A_ub.append(row)
                b_ub.append(0.0)
    result = linprog(c, A_ub=np.array(A_ub), b_ub=b_ub, A_eq=A_eq, b_eq=b_eq,
                     bounds=[(0, None)] * n, method="highs")
    assert result.status == 0
    return float(result.fun)


def ambushers_of(kinds: str) -> list[Ambusher]:
    """A blind cell (``blind``), a trip-aware one with two segments of its own (``trip``),
    or both."""
    out = []
    if kinds in ("blind", "both"):
        out.append(Ambusher("ambush", 0.6, False, 0.4))
    if kinds in ("trip", "both"):
        out.append(Ambusher("spotter", 0.4, True, 0.3,
                            {segment(5, 6): 0.9, segment(9, 10): 0.05}))
    return out


CASES = [
    pytest.param(seed, detour, kinds, id=f"seed{seed}-detour{detour}-{kinds}")
    for seed in (1, 2, 3) for detour in (1.0, 1.3, 1.8) for kinds in ("blind", "trip", "both")
]


@pytest.mark.parametrize(("seed", "detour", "kinds"), CASES)
def test_column_generation_matches_all_routes(seed, detour, kinds) -> None:
    graph = grid(seed)
    rng = random.Random(seed)
    nodes_of = {"a": 0, "b": 15, "c": 3, "d": 12}
    trips = {(x, y): rng.random() for x, y in itertools.permutations("abcd", 2)
             if rng.random() < 0.6}
    total = sum(trips.values())
    trips = {ab: q / total for ab, q in trips.items()}
    ambushers = ambushers_of(kinds)
    solution = solve_routes(graph, trips, nodes_of, ambushers, detour)
    assert solution.status == "optimal"
    expected = brute_force(graph, trips, nodes_of, ambushers, detour)
    assert solution.risk == pytest.approx(expected, abs=1e-7)
    assert solution.lower_bound == pytest.approx(expected, abs=1e-7)
    for ab, routes in solution.routes.items():
        assert sum(r.p for r in routes) == pytest.approx(trips[ab], abs=1e-9)
        _, fastest = fastest_route(graph, nodes_of[ab[0]], nodes_of[ab[1]])
        assert all(r.seconds <= detour * fastest * (1 + 1e-9) for r in routes)
        assert all(len(set(r.nodes)) == len(r.nodes) for r in routes)  # simple


@pytest.mark.parametrize("seed", range(6))
def test_pricing_is_the_cheapest_route_in_the_bound(seed) -> None:
    graph = grid(seed)
    rng = random.Random(seed)
    price = {segment(u, v): rng.choice([0.0, rng.random()]) for u, v in graph.edges}
    _, fastest = fastest_route(graph, 0, 15)
    limit = 1.4 * fastest
    path, cost = cheapest_route(graph, 0, 15, limit, price)
    brute = min(sum(price[segment(u, v)] for u, v in hops(r))
                for r in all_routes(graph, 0, 15, limit))
    assert cost == pytest.approx(brute, abs=1e-12)
    assert sum(graph[u][v]["seconds"] for u, v in hops(path)) <= limit * (1 + 1e-9)


def test_with_no_ambusher_the_fastest_route_is_enough() -> None:
    graph = grid(4)
    solution = solve_routes(graph, {("a", "b"): 1.0}, {"a": 0, "b": 15}, [], 1.5)
    assert solution.risk == 0.0 and solution.success == {}
