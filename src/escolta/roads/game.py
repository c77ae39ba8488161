"""The convoy's route game for given trips, exact by column generation (docs/design.md §12).

For each trip (a, b) of probability q_ab the plan draws a route r from R_ab, the routes from
a's road node to b's within ``max_detour`` times the fastest; x_{ab,r} = P(trip ab, route r).
An ambusher who ``sees: nothing`` picks one segment e in advance and succeeds with
s_e · P(the convoy passes e); one who ``sees: trip`` picks its segment knowing the day's
trip. The zero-sum LP (Washburn & Wood 1995; Jain et al., RUGGED, AAMAS 2011):

    minimize   Σ_θ w_θ v_θ  +  Σ_θ' w_θ' Σ_ab u_θ'ab
    subject to Σ_r x_{ab,r} = q_ab                                  (dual π_ab, free)
               v_θ   ≥ s_θe Σ_ab Σ_{r ∋ e} x_{ab,r}      for each e  (dual y_θe ≥ 0)
               u_θ'ab ≥ s_θ'e Σ_{r ∋ e, r ∈ R_ab} x_{ab,r} for each ab, e (dual z ≥ 0)
               x ≥ 0

Routes are columns. A route r of trip ab prices out at
Σ_{e ∈ r} Σ_θ s_θe (y_θe + z_θabe) − π_ab; the cheapest route within the detour bound under
those segment prices (:func:`escolta.roads.paths.cheapest_route`, exact) is added while that is
negative, so the master's optimum is the optimum over every route in the bound. A segment's
rows are added with the first route through it (a segment on no route only says v ≥ 0).
Lower bound at every round: master value + Σ_ab q_ab · min(0, min reduced cost of ab).

With ``checkpoints`` k > 0 a column is a route with a set C of at most k guarded segments
on it, an ambush on a guarded segment succeeding with ``COVERED`` (half) its success: the
coefficient of x_{ab,(r,C)} in a segment row is s_e, or COVERED · s_e when e ∈ C, and the
pricing is the exact MILP of :func:`escolta.roads.checkpoints.best_guarded_route`. This is
the double oracle of RUGGED (Jain et al., AAMAS 2011): the defender's oracle is that MILP,
the ambushers' is exact because every segment a column passes has its rows, and the gap
(master value − the bound above) is proven at every round.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError, SolverError
from escolta.lp.highs import LinearProgram, Status, solve
from escolta.roads.checkpoints import COVERED, best_guarded_route
from escolta.roads.paths import (
    Segment,
    cheapest_route,
    directed_prices,
    fastest_route,
    prices_on_to,
    segment,
)

#: Most route columns one solve may add (a stated limit: the answer is then the best found,
#: with its proven bound).
MAX_ROUTES = 20_000
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Ambusher:
    """A road adversary: its weight (already normalized with the others), whether it knows
    the day's trip, its success on a segment it holds (``segment_success`` overrides)."""

    name: str
    weight: float
    sees_trip: bool
    success: float
    segment_success: Mapping[Segment, float] | None = None

    def on(self, seg: Segment) -> float:
        if self.segment_success is not None and seg in self.segment_success:
            return self.segment_success[seg]
        return self.success


@dataclass(frozen=True)
class Route:
    nodes: tuple[int, ...]
    seconds: float
    p: float  # P(trip and this route, with these guards)
    #: Segments of the route guarded by an escort vehicle or checkpoint (``checkpoints``).
    guarded: frozenset[Segment] = frozenset()

    def factor(self, seg: Segment) -> float:
        """What is left of an ambush's success on ``seg`` when the convoy drives here."""
        return COVERED if seg in self.guarded else 1.0


@dataclass(frozen=True)
class RouteSolution:
    """Route distributions per trip, each ambusher's success, the risk and its proof."""

    routes: dict[tuple[str, str], tuple[Route, ...]]
    success: dict[str, float]
    risk: float
    lower_bound: float
    status: str
    rounds: int
    seconds: float
    #: A dual-feasible price of each trip (every pair given, zero-probability ones too):
    #: R(q') ≥ Σ_ab trip_duals[ab] · q'_ab for EVERY q' (weak duality), with equality at
    #: the solved q when ``status`` is optimal — the Benders cut of the joint game.
    trip_duals: Mapping[tuple[str, str], float] = field(default_factory=dict)

    def segment_loads(self) -> dict[Segment, float]:
        """P(the convoy passes each segment) over all trips (what an ambusher weighs)."""
        load: dict[Segment, float] = {}
        for routes in self.routes.values():
            for route in routes:
                for u, v in zip(route.nodes, route.nodes[1:], strict=False):
                    key = segment(u, v)
                    load[key] = load.get(key, 0.0) + route.p * route.factor(key)
        return load


#: Per graph (weakly held): each target's travel time to it from every node, and each
#: (source, target)'s fastest route — they do not change between solves on one network.
_GEOMETRY: weakref.WeakKeyDictionary[nx.DiGraph, dict[Any, Any]] = weakref.WeakKeyDictionary()


def _to_target(graph: nx.DiGraph, target: int) -> Mapping[int, float]:
    cache = _GEOMETRY.setdefault(graph, {})
    key = ("to", target)
    if key not in cache:
        cache[key] = nx.single_source_dijkstra_path_length(graph.reverse(copy=False), target,
                                                           weight="seconds")
    return cache[key]


def _fastest(graph: nx.DiGraph, source: int, target: int) -> tuple[tuple[int, ...], float]:
    cache = _GEOMETRY.setdefault(graph, {})
    key = ("fastest", source, target)
    if key not in cache:
        cache[key] = fastest_route(graph, source, target)
    return cache[key]


def _segments(nodes: tuple[int, ...]) -> list[Segment]:
    return [segment(u, v) for u, v in zip(nodes, nodes[1:], strict=False)]


def solve_routes(graph: nx.DiGraph, trips: Mapping[tuple[str, str], float],
                 nodes_of: Mapping[str, int], ambushers: Sequence[Ambusher],
                 max_detour: float, *, time_limit: float | None = None,
                 price_unused: bool = True, checkpoints: int = 0) -> RouteSolution:
    """The optimal route distributions for the trips ``(a, b) -> q_ab`` against ``ambushers``
    (with ``checkpoints`` > 0: routes with their guarded segments, see the module docstring).

    Trips of zero probability are left out; a trip whose sites share a road node needs no
    route (the convoy does not drive).
    """
    if not max_detour >= 1.0:
        raise InputError("roads.max_detour", max_detour, "must be at least 1")
    started = time.perf_counter()
    pairs = [ab for ab, q in trips.items() if q > 0 and nodes_of[ab[0]] != nodes_of[ab[1]]]
    if not pairs:  # nothing drives: R = 0, and every trip's price 0 is dual feasible
        return RouteSolution({}, {a.name: 0.0 for a in ambushers}, 0.0, 0.0, "optimal", 0,
                             time.perf_counter() - started,
                             {ab: 0.0 for ab in trips})
    limit, to_target, columns = {}, {}, []
    for ab in pairs:
        source, target = nodes_of[ab[0]], nodes_of[ab[1]]
        path, fastest = _fastest(graph, source, target)
        limit[ab] = max_detour * fastest
        to_target[ab] = _to_target(graph, target)
        columns.append((ab, path, frozenset()))
    blind = [a for a in ambushers if not a.sees_trip]
    informed = [a for a in ambushers if a.sees_trip]
    seen_segments: dict[Segment, int] = {}
    rounds, status, lower_bound = 0, "optimal", 0.0
    while True:
        rounds += 1
        for _, path, _ in columns:
            for seg in _segments(path):
                seen_segments.setdefault(seg, len(seen_segments))
        master = _master(columns, pairs, trips, blind, informed, seen_segments)
        result = solve(master.lp)
        if result.status != Status.OPTIMAL or result.row_duals is None:
            raise SolverError(f"the route master LP ended {result.status}")
        duals = result.row_duals
        value = float(result.objective)
        reduced_total, added, cheapest = 0.0, [], {}
        shared = None if informed else _SharedPrices(
            graph, _segment_prices(seen_segments, blind, [], duals, master, 0))
        for k, ab in enumerate(pairs):
            source, target = nodes_of[ab[0]], nodes_of[ab[1]]
            guarded: frozenset[Segment] = frozenset()
            if checkpoints > 0:
                price = (_segment_prices(seen_segments, blind, informed, duals, master, k)
                         if shared is None else shared.price)
                path, guarded, cost = best_guarded_route(graph, source, target, limit[ab],
                                                         price, checkpoints)
            elif shared is None:
                price = _segment_prices(seen_segments, blind, informed, duals, master, k)
                path, cost = cheapest_route(graph, source, target, limit[ab], price,
                                            to_target[ab])
            else:
                path, cost = cheapest_route(graph, source, target, limit[ab], shared.price,
                                            to_target[ab], shared.estimate(target))
            reduced = cost - duals[master.trip_row(k)]
            cheapest[ab] = min(cost, float(duals[master.trip_row(k)]))
            reduced_total += trips[ab] * min(0.0, reduced)
            if reduced < -TOLERANCE:
                added.append((ab, path, guarded))
        lower_bound = value + reduced_total
        out_of_time = time_limit is not None and time.perf_counter() - started > time_limit
        if not added or len(columns) + len(added) > MAX_ROUTES or out_of_time:
            if added:
                status = "time_limit" if out_of_time else "route_limit"
            break
        columns += added
    x = result.x
    assert x is not None
    routes: dict[tuple[str, str], list[Route]] = {ab: [] for ab in pairs}
    for (ab, path, guarded), p in zip(columns, x[:len(columns)], strict=True):
        if p > 1e-12:
            routes[ab].append(Route(path, float(sum(graph[u][v]["seconds"]
                                                    for u, v in zip(path, path[1:],
                                                                    strict=False))), float(p),
                                    guarded))
    prices = _trip_prices(graph, trips, nodes_of, pairs, cheapest, blind, seen_segments,
                          duals, master, max_detour, price_unused, checkpoints)
    solution = RouteSolution({ab: tuple(r) for ab, r in routes.items()}, {}, value,
                             min(lower_bound, value), status, rounds,
                             time.perf_counter() - started, prices)
    return _with_success(solution, ambushers, pairs)


def _trip_prices(graph: nx.DiGraph, trips: Mapping[tuple[str, str], float],
                 nodes_of: Mapping[str, int], pairs: Sequence[tuple[str, str]],
                 cheapest: Mapping[tuple[str, str], float], blind: Sequence[Ambusher],
                 segments: Mapping[Segment, int], duals: np.ndarray, master: _Master,
                 max_detour: float, price_unused: bool = True, checkpoints: int = 0
                 ) -> dict[tuple[str, str], float]:
    """π_ab for every trip: the master's dual lowered to the cheapest route's price (so the
    dual constraint of every route holds, priced or not); for a trip outside the LP the
    cheapest route under the blind ambushers' prices alone (its informed duals z = 0 are
    feasible), or 0 when not ``price_unused`` (prices are >= 0, so 0 is feasible too: a
    weaker cut, computed for free); 0 for a trip that does not drive."""
    out: dict[tuple[str, str], float] = {}
    blind_price = _SharedPrices(graph, _segment_prices(segments, blind, [], duals, master, 0))
    for ab in trips:
        source, target = nodes_of[ab[0]], nodes_of[ab[1]]
        if source == target or (ab not in cheapest and not price_unused):
            out[ab] = 0.0
        elif ab in cheapest:
            out[ab] = cheapest[ab]
        elif checkpoints > 0:
            _, fastest = _fastest(graph, source, target)
            _, _, cost = best_guarded_route(graph, source, target, max_detour * fastest,
                                            blind_price.price, checkpoints)
            out[ab] = float(cost)
        else:
            _, fastest = _fastest(graph, source, target)
            _, cost = cheapest_route(graph, source, target, max_detour * fastest,
                                     blind_price.price, _to_target(graph, target),
                                     blind_price.estimate(target))
            out[ab] = float(cost)
    return out


def _segment_prices(segments: Mapping[Segment, int], blind: Sequence[Ambusher],
                    informed: Sequence[Ambusher], duals: np.ndarray, master: _Master,
                    k: int) -> dict[Segment, float]:
    """p_e = Σ_θ s_θe y_θe (+ Σ_θ' s_θ'e z_θ'ke for trip k's informed rows), > 0 only."""
    price: dict[Segment, float] = {}
    for seg, index in segments.items():
        total = 0.0
        for i, adversary in enumerate(blind):
            total += adversary.on(seg) * max(0.0, duals[master.blind_row(i, index)])
        for i, adversary in enumerate(informed):
            total += adversary.on(seg) * max(0.0, duals[master.informed_row(i, k, index)])
        if total > 0.0:
            price[seg] = total
    return price


class _SharedPrices:
    """One set of segment prices priced towards several targets: the directed prices and
    each target's cheapest-price estimate computed once (a Dijkstra per target, not per
    trip)."""

    def __init__(self, graph: nx.DiGraph, price: dict[Segment, float]) -> None:
        self.graph, self.price = graph, price
        self.directed = directed_prices(price)
        self._on_to: dict[int, Mapping[int, float]] = {}

    def estimate(self, target: int) -> tuple[Mapping[tuple[int, int], float],
                                             Mapping[int, float]]:
        if target not in self._on_to:
            self._on_to[target] = prices_on_to(self.graph, target, self.directed)
        return self.directed, self._on_to[target]


def _with_success(solution: RouteSolution, ambushers: Sequence[Ambusher],
                  pairs: Sequence[tuple[str, str]]) -> RouteSolution:
    """Each ambusher's success recomputed from the routes themselves (not the LP's v)."""
    success = {}
    total_load = solution.segment_loads()
    for adversary in ambushers:
        if not adversary.sees_trip:
            success[adversary.name] = max((adversary.on(s) * p for s, p in total_load.items()),
                                          default=0.0)
            continue
        value = 0.0
        for ab in pairs:
            load: dict[Segment, float] = {}
            for route in solution.routes[ab]:
                for seg in _segments(route.nodes):
                    load[seg] = load.get(seg, 0.0) + route.p * route.factor(seg)
            value += max((adversary.on(s) * p for s, p in load.items()), default=0.0)
        success[adversary.name] = value
    risk = sum(a.weight * success[a.name] for a in ambushers)
    return RouteSolution(solution.routes, success, risk, min(solution.lower_bound, risk),
                         solution.status, solution.rounds, solution.seconds,
                         solution.trip_duals)


@dataclass(frozen=True)
class _Master:
    lp: LinearProgram
    pairs: int
    segments: int
    blind: int

    def trip_row(self, k: int) -> int:
        return k

    def blind_row(self, i: int, seg: int) -> int:
        return self.pairs + i * self.segments + seg

    def informed_row(self, i: int, k: int, seg: int) -> int:
        return (self.pairs + self.blind * self.segments
                + (i * self.pairs + k) * self.segments + seg)


def _master(columns: Sequence[tuple[tuple[str, str], tuple[int, ...], frozenset[Segment]]],
            pairs: Sequence[tuple[str, str]], trips: Mapping[tuple[str, str], float],
            blind: Sequence[Ambusher], informed: Sequence[Ambusher],
            segments: Mapping[Segment, int]) -> _Master:
    """Columns: the routes, then v per blind ambusher, then u per informed ambusher and trip.
    Rows: trip masses, then (blind ambusher, segment), then (informed ambusher, trip, segment).
    """
    n_routes, n_pairs, n_seg = len(columns), len(pairs), len(segments)
    n_blind, n_informed = len(blind), len(informed)
    pair_index = {ab: k for k, ab in enumerate(pairs)}
    n_rows = n_pairs + n_blind * n_seg + n_informed * n_pairs * n_seg
    n_cols = n_routes + n_blind + n_informed * n_pairs
    rows, cols, vals = [], [], []
    for j, (ab, path, guarded) in enumerate(columns):
        k = pair_index[ab]
        rows.append(k)
        cols.append(j)
        vals.append(1.0)
        for seg in _segments(path):
            e = segments[seg]
            factor = COVERED if seg in guarded else 1.0
            for i, adversary in enumerate(blind):
                rows.append(n_pairs + i * n_seg + e)
                cols.append(j)
                vals.append(-adversary.on(seg) * factor)
            for i, adversary in enumerate(informed):
                rows.append(n_pairs + n_blind * n_seg + (i * n_pairs + k) * n_seg + e)
                cols.append(j)
                vals.append(-adversary.on(seg) * factor)
    for i in range(n_blind):
        for e in range(n_seg):
            rows.append(n_pairs + i * n_seg + e)
            cols.append(n_routes + i)
            vals.append(1.0)
    for i in range(n_informed):
        for k in range(n_pairs):
            for e in range(n_seg):
                rows.append(n_pairs + n_blind * n_seg + (i * n_pairs + k) * n_seg + e)
                cols.append(n_routes + n_blind + i * n_pairs + k)
                vals.append(1.0)
    A = sp.csr_matrix((vals, (rows, cols)), shape=(n_rows, n_cols))
    c = np.zeros(n_cols)
    c[n_routes:n_routes + n_blind] = [a.weight for a in blind]
    for i, adversary in enumerate(informed):
        c[n_routes + n_blind + i * n_pairs:n_routes + n_blind + (i + 1) * n_pairs] = \
            adversary.weight
    q = np.array([trips[ab] for ab in pairs])
    row_lower = np.concatenate([q, np.zeros(n_rows - n_pairs)])
    row_upper = np.concatenate([q, np.full(n_rows - n_pairs, np.inf)])
    lp = LinearProgram(c=c, A=A, row_lower=row_lower, row_upper=row_upper,
                       col_lower=np.zeros(n_cols), col_upper=np.full(n_cols, np.inf))
    return _Master(lp, n_pairs, n_seg, n_blind)
