"""Checkpoints: the defender's exact best response when k escort vehicles guard the route.

With ``roads: {checkpoints: k}`` the convoy's pure strategy for a trip is a route r within
the detour bound together with a set C of at most k of its segments, each guarded by an
escort vehicle (or a checkpoint); an ambush on a guarded segment succeeds with
:data:`COVERED` times its success (halved). Guarding a segment off the route protects
nothing, so C ⊆ r. Against segment prices p_e ≥ 0 (the ambushers' duals, as in
:mod:`escolta.roads.game`) the best response minimizes

    Σ_{e ∈ r} p_e − (1 − COVERED) Σ_{e ∈ C} p_e,

which :func:`best_guarded_route` solves exactly as a MILP with HiGHS: a 0/1 flow x_uv on
the directed roads from the trip's origin to its destination (in and out degree at most one
at every node, travel time within the bound) and 0/1 guards y_uv ≤ x_uv, Σ y ≤ k. A cycle
apart from the route costs p − (1 − COVERED)·p·y ≥ 0, so dropping it never costs more: the
route read from the origin along x, with the guards on it, is optimal. Roads no route within
the bound can use (fastest to u + the road + fastest from v on > the bound) are left out.

This is the defender's oracle of a double oracle (Jain et al., *A double oracle algorithm
for zero-sum security games on graphs*, AAMAS 2011, RUGGED): the route game's column
generation adds the best guarded route of every trip while it prices out, and the ambushers'
oracle is exact since every segment a column passes has its rows
(:func:`escolta.roads.game.solve_routes`).

Examples
--------
A square 0-1-3 / 0-2-3 whose upper road is dear: one guard halves its dearest segment.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> for u, v in [(0, 1), (1, 3), (0, 2), (2, 3)]:
...     g.add_edge(u, v, seconds=1.0); g.add_edge(v, u, seconds=1.0)
>>> price = {frozenset((0, 1)): 0.6, frozenset((1, 3)): 0.2, frozenset((0, 2)): 0.5,
...          frozenset((2, 3)): 0.5}
>>> nodes, guarded, cost = best_guarded_route(g, 0, 3, 2.0, price, 1)
>>> nodes, sorted(map(sorted, guarded)), round(cost, 9)
((0, 1, 3), [[0, 1]], 0.5)
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError, SolverError
from escolta.lp.highs import LinearProgram, Status, solve
from escolta.roads.paths import Segment, segment

#: What a guard leaves of an ambush's success on its segment.
COVERED = 0.5


def guarded_price(nodes: tuple[int, ...], guarded: frozenset[Segment],
                  price: Mapping[Segment, float]) -> float:
    """Σ_{e ∈ r} p_e, each guarded segment's at :data:`COVERED` of its price."""
    total = 0.0
    for u, v in zip(nodes, nodes[1:], strict=False):
        seg = segment(u, v)
        total += price.get(seg, 0.0) * (COVERED if seg in guarded else 1.0)
    return total


def best_guarded_route(graph: nx.DiGraph, source: int, target: int, limit_seconds: float,
                       price: Mapping[Segment, float], checkpoints: int
                       ) -> tuple[tuple[int, ...], frozenset[Segment], float]:
    """The route within ``limit_seconds`` and at most ``checkpoints`` guarded segments on it
    of least :func:`guarded_price`, and that price (the MILP of the module docstring)."""
    slack = limit_seconds * (1 + 1e-12)
    reverse = graph.reverse(copy=False)
    from_source = nx.single_source_dijkstra_path_length(graph, source, weight="seconds")
    to_target = nx.single_source_dijkstra_path_length(reverse, target, weight="seconds")
    if source not in to_target or to_target[source] > slack:
        raise InputError("roads", f"{source} -> {target}", "no route within the detour bound")
    arcs = [(u, v, float(d["seconds"])) for u, v, d in graph.edges(data=True)
            if u in from_source and v in to_target
            and from_source[u] + d["seconds"] + to_target[v] <= slack and v != source
            and u != target]
    nodes = sorted({u for u, _, _ in arcs} | {v for _, v, _ in arcs} | {source, target})
    at = {node: i for i, node in enumerate(nodes)}
    n_arcs, n_nodes = len(arcs), len(nodes)
    # columns: x per arc, then y per arc; rows: flow balance, out degree, in degree, time,
    # guards, y <= x
    cost = np.array([price.get(segment(u, v), 0.0) for u, v, _ in arcs])
    c = np.concatenate([cost, -(1.0 - COVERED) * cost])
    rows, cols, vals = [], [], []
    for a, (u, v, _) in enumerate(arcs):
        rows += [at[u], at[v], n_nodes + at[u], 2 * n_nodes + at[v]]
        cols += [a, a, a, a]
        vals += [1.0, -1.0, 1.0, 1.0]
    time_row, guard_row, link = 3 * n_nodes, 3 * n_nodes + 1, 3 * n_nodes + 2
    for a, (_, _, seconds) in enumerate(arcs):
        rows += [time_row, guard_row, link + a, link + a]
        cols += [a, n_arcs + a, n_arcs + a, a]
        vals += [seconds, 1.0, 1.0, -1.0]
    n_rows = link + n_arcs
    balance = np.zeros(n_nodes)
    balance[at[source]], balance[at[target]] = 1.0, -1.0
    lower = np.concatenate([balance, np.full(2 * n_nodes, -np.inf), [-np.inf, -np.inf],
                            np.full(n_arcs, -np.inf)])
    upper = np.concatenate([balance, np.ones(2 * n_nodes), [slack, float(checkpoints)],
                            np.zeros(n_arcs)])
    program = LinearProgram(
        c=c, A=sp.csr_matrix((vals, (rows, cols)), shape=(n_rows, 2 * n_arcs)),
        row_lower=lower, row_upper=upper, col_lower=np.zeros(2 * n_arcs),
        col_upper=np.ones(2 * n_arcs), integrality=np.ones(2 * n_arcs, dtype=bool))
    # HiGHS 1.16's MIP presolve calls some of these models infeasible (a feasible 0/1 route
    # exists: the fastest, unguarded; SciPy's HiGHS and HiGHS without presolve agree on the
    # optimum), so it is off here
    result = solve(program, presolve=False)
    if result.status is Status.INFEASIBLE:
        raise InputError("roads", f"{source} -> {target}", "no route within the detour bound")
    if result.status is not Status.OPTIMAL or result.x is None:
        raise SolverError(f"the guarded-route MILP ended {result.status.value}")
    x, y = result.x[:n_arcs] > 0.5, result.x[n_arcs:] > 0.5
    out = {u: (v, a) for a, (u, v, _) in enumerate(arcs) if x[a]}
    route, guarded, node = [source], set(), source
    while node != target:
        node, a = out[node]
        route.append(node)
        if y[a]:
            guarded.add(segment(arcs[a][0], arcs[a][1]))
    nodes_on = tuple(route)
    chosen = frozenset(guarded)
    return nodes_on, chosen, guarded_price(nodes_on, chosen, price)
