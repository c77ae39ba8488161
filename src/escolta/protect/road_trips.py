"""The trips of a plan on the road network: the context of the route game (the network, each
site's road node, the ambushers), the trips' probabilities, and the route game solved for
them — what both Benders drivers share (:mod:`escolta.protect.roads_joint`, and
:mod:`escolta.protect.nightly.roads_hook` on the fast solver's reduced LP).
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from escolta.errors import InputError
from escolta.protect.plan import Plan
from escolta.protect.roads_settings import road_file
from escolta.protect.scenario import Scenario

#: Whether a cut prices the trips its point leaves out: on capital.yaml 9 Benders rounds
#: with, 141 without (π = 0 for them, valid but weak).
PRICE_UNUSED = True

Trip = tuple[str, str]

#: The road network last read in this process, by its file's path, size and modification
#: time: a plan, its team sweep and the mixes' effect read the file once (a graph is never
#: changed once read).
_NETWORKS: dict[tuple[str, int, int], Any] = {}
#: Per graph (weakly held): the initial cuts of each (sites' nodes, ambushers, detour,
#: checkpoints, trips) — the same for every point of a team sweep, whose teams change the
#: nightly game only.
_CUTS: weakref.WeakKeyDictionary[Any, dict[Hashable, list[dict[Trip, float]]]] = (
    weakref.WeakKeyDictionary())


@dataclass(frozen=True)
class RoadContext:
    """The road network, each site's road node, the ambushers with normalized weights."""

    graph: Any  # networkx.DiGraph
    source: str
    nodes_of: Mapping[str, int]
    ambushers: tuple[Any, ...]  # escolta.roads.game.Ambusher
    max_detour: float
    checkpoints: int = 0  # guarded segments per route (roads.checkpoints)


def road_context(scenario: Scenario, network: Any = None) -> RoadContext:
    """Read the scenario's road network (or take ``network``), snap the sites, and check
    that a road joins every ordered pair of sites (else one line naming the site)."""
    import networkx as nx

    from escolta.roads.game import Ambusher
    from escolta.roads.network import read_network
    from escolta.roads.paths import segment
    from escolta.roads.snap import snap_sites

    settings = scenario.roads
    if settings is None:
        raise InputError("roads", None, "is required when an adversary attacks the roads")
    if network is None:
        network = _read_once(road_file(settings), read_network)
    at = {}
    for site in scenario.sites:
        assert site.at is not None  # checked with the scenario
        at[site.name] = (float(site.at[0]), float(site.at[1]))
    index = {s.name: i for i, s in enumerate(scenario.sites)}
    try:
        nodes_of = snap_sites(network, at, settings.max_snap_metres)
    except InputError as error:  # name the site by its place in the file
        name = error.field.removeprefix("sites[").removesuffix("].at")
        raise InputError(f"sites[{index.get(name, name)}].at", error.value,
                         error.reason) from None
    for a, u in nodes_of.items():
        reach = nx.single_source_dijkstra_path_length(network.graph, u, weight="seconds")
        for b, v in nodes_of.items():
            if v not in reach:
                raise InputError(f"sites[{index[b]}].at", list(at[b]),
                                 f"no road leads there from {a} on {network.source}")
    weights = scenario.weights
    ambushers = tuple(
        Ambusher(a.name, weights[a.name], a.sees == "trip", float(a.success or 0.0),
                 {segment(s.start, s.end): s.success for s in a.segments} or None)
        for a in scenario.adversaries if a.attacks == "roads")
    return RoadContext(network.graph, network.source, nodes_of, ambushers,
                       settings.max_detour, settings.checkpoints)


def _read_once(path: Path, read: Any) -> Any:
    """``read(path)``, or the network read from the same unchanged file before."""
    try:
        stat = path.stat()
    except OSError:
        return read(path)  # the reader names the file in one line
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _NETWORKS:
        _NETWORKS.clear()  # one network held at a time
        _NETWORKS[key] = read(path)
    return _NETWORKS[key]


def trip_keys(scenario: Scenario) -> list[Trip]:
    names = [s.name for s in scenario.sites]
    return [(a, b) for a in names for b in names if a != b]


def plan_trips(scenario: Scenario, plan: Plan) -> dict[Trip, float]:
    """q_ab = P(yesterday at a, tonight at b) from the plan's pairs (every ordered pair)."""
    law = plan.site_pairs([site.name for site in scenario.sites])
    return {trip: law.get(trip, 0.0) for trip in trip_keys(scenario)}


def solve_routes_for(context: RoadContext, trips: Mapping[Trip, float], *,
                     price_unused: bool = True) -> Any:
    from escolta.roads.game import solve_routes

    return solve_routes(context.graph, trips, context.nodes_of, context.ambushers,
                        context.max_detour, price_unused=price_unused,
                        checkpoints=context.checkpoints)


def initial_cuts(context: RoadContext, keys: list[Trip]) -> list[dict[Trip, float]]:
    """Cuts at the route law's simplest points, before any master is solved: every trip
    alone (q = e_ab, where the cut is tight at R(e_ab)) and every trip alike. Valid
    wherever they are taken (weak duality), they start the master near R: on capital.yaml
    9 rounds instead of 16 without them."""
    key = (tuple(sorted(context.nodes_of.items())),
           tuple(_ambusher_key(a) for a in context.ambushers), context.max_detour,
           context.checkpoints, tuple(keys))
    cache = _CUTS.setdefault(context.graph, {})
    if key not in cache:
        points = [{ab: 1.0 / len(keys) for ab in keys}]
        points += [{ab: float(ab == one) for ab in keys} for one in keys]
        cache[key] = [dict(solve_routes_for(context, q, price_unused=PRICE_UNUSED).trip_duals)
                      for q in points]
    return [dict(cut) for cut in cache[key]]


def _ambusher_key(ambusher: Any) -> Hashable:
    own = ambusher.segment_success or {}
    return (ambusher.name, ambusher.weight, ambusher.sees_trip, ambusher.success,
            tuple(sorted((tuple(sorted(seg)), s) for seg, s in own.items())))


