"""A road network as the convoy sees it: drivable roads, directed, with travel times.

Readers: OpenStreetMap PBF through pyrosm, OpenStreetMap XML through osmnx
(``graph_from_xml``), GraphML as osmnx writes it (``load_graphml``: nodes with ``x`` = lon and
``y`` = lat; edges with ``length`` in metres, ``highway``, ``maxspeed``, and ``travel_time``
in seconds, which is used as is where present). Elsewhere the travel time is the length at
the road's ``maxspeed`` (km/h, or mph when it says so), else at the usual speed of its class
(:data:`CLASS_SPEED_KMH`). Only drivable classes are kept.

Limits, checked before the graph is built: a file of at most :data:`MAX_FILE_BYTES` and a
network of at most :data:`MAX_NODES` nodes.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from escolta.errors import InputError

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_NODES = 200_000
#: Usual speeds (km/h) of OpenStreetMap road classes, for roads without a ``maxspeed``.
CLASS_SPEED_KMH: Mapping[str, float] = {
    "motorway": 100, "motorway_link": 60, "trunk": 80, "trunk_link": 50,
    "primary": 60, "primary_link": 40, "secondary": 50, "secondary_link": 40,
    "tertiary": 40, "tertiary_link": 30, "unclassified": 30, "residential": 30,
    "living_street": 10, "service": 20, "road": 30,
}
_SPEED = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class RoadNetwork:
    """Drivable roads: a directed graph whose edges carry ``length`` (m) and ``seconds``,
    whose nodes carry ``lon`` and ``lat``; ``source`` says which file it came from."""

    graph: nx.DiGraph
    source: str

    def position(self, node: int) -> tuple[float, float]:
        """(lat, lon) of a road node."""
        data = self.graph.nodes[node]
        return float(data["lat"]), float(data["lon"])


def road_class(value: Any) -> str | None:
    """An edge's ``highway`` (osmnx gives a list where ways were merged: the first)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return None if value is None or (isinstance(value, float) and math.isnan(value)) \
        else str(value)


def speed_kmh(maxspeed: Any, highway: str | None) -> float | None:
    """The speed a convoy drives a road at: its ``maxspeed``, else its class's usual one.

    Examples
    --------
    >>> speed_kmh("50", "residential"), speed_kmh("30 mph", None), speed_kmh(None, "primary")
    (50.0, 48.28032, 60)
    >>> speed_kmh("walk", "footway") is None
    True
    """
    for candidate in (maxspeed if isinstance(maxspeed, list | tuple) else [maxspeed]):
        if isinstance(candidate, str):
            match = _SPEED.match(candidate.split(";")[0])
            if match and float(match.group(1)) > 0:
                factor = 1.609344 if (match.group(2) or "").lower() == "mph" else 1.0
                return float(match.group(1)) * factor
        elif isinstance(candidate, int | float) and math.isfinite(candidate) and candidate > 0:
            return float(candidate)
    return None if highway is None else CLASS_SPEED_KMH.get(highway)


def _check_file(path: Path, option: str) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(option, str(path), "file not found") from None
    except OSError as error:
        raise InputError(option, str(path), f"cannot be read: {error.strerror}") from None
    if not path.is_file():
        raise InputError(option, str(path), "is not a file")
    if size > MAX_FILE_BYTES:
        raise InputError(option, str(path), f"is {size:,} bytes; at most {MAX_FILE_BYTES:,}")
    if not os.access(path, os.R_OK):
        raise InputError(option, str(path), "cannot be read")


def _from_multigraph(graph: nx.MultiDiGraph, source: str, option: str) -> RoadNetwork:
    """The drivable simple digraph of an osmnx/pyrosm multigraph: the fastest edge between
    two nodes, travel times from ``travel_time`` or length and speed."""
    if graph.number_of_nodes() > MAX_NODES:
        raise InputError(option, source, f"has {graph.number_of_nodes():,} road nodes; at most "
                         f"{MAX_NODES:,}")
    roads = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        try:
            lon, lat = float(data["x"]), float(data["y"])
        except (KeyError, TypeError, ValueError):
            raise InputError(option, source, f"node {node} has no x/y coordinates") from None
        roads.add_node(int(node), lon=lon, lat=lat)
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        highway = road_class(data.get("highway"))
        if highway is not None and highway not in CLASS_SPEED_KMH:
            continue  # a footway, a cycleway, a track: not for a convoy
        length = float(data.get("length", float("nan")))
        if not (math.isfinite(length) and length >= 0):
            continue
        seconds = data.get("travel_time")
        if seconds is None or not math.isfinite(float(seconds)):
            speed = speed_kmh(data.get("maxspeed"), highway)
            if highway not in CLASS_SPEED_KMH or speed is None:
                continue  # not a drivable road
            seconds = length / (speed / 3.6)
        seconds = float(seconds)
        current = roads.get_edge_data(int(u), int(v))
        if current is None or seconds < current["seconds"]:
            roads.add_edge(int(u), int(v), length=length, seconds=seconds,
                           highway=highway or "")
    roads.remove_nodes_from([n for n in list(roads) if roads.degree(n) == 0])
    if roads.number_of_edges() == 0:
        raise InputError(option, source, "holds no drivable road")
    return RoadNetwork(roads, source)


def read_network(path: str | os.PathLike[str], option: str = "roads.file") -> RoadNetwork:
    """Read a road network file by its suffix: ``.osm.pbf``/``.pbf``, ``.osm``, ``.graphml``."""
    file = Path(path)
    _check_file(file, option)
    name = file.name.lower()
    try:
        if name.endswith(".pbf"):
            import pyrosm

            osm = pyrosm.OSM(str(file))
            nodes, edges = osm.get_network(network_type="driving", nodes=True)
            if nodes is None or edges is None or len(edges) == 0:
                raise InputError(option, str(file), "holds no drivable road")
            graph = osm.to_graph(nodes, edges, graph_type="networkx")
        elif name.endswith(".osm") or name.endswith(".xml"):
            import osmnx

            # unsimplified: merging ways of different classes would blur which road is which
            graph = osmnx.graph_from_xml(file, simplify=False, retain_all=True)
        elif name.endswith(".graphml"):
            import osmnx

            graph = osmnx.load_graphml(file)
        else:
            raise InputError(option, str(file), "must be .osm.pbf, .osm or .graphml")
    except InputError:
        raise
    except Exception as error:  # a damaged file: each reader raises its own kind
        raise InputError(option, str(file), f"is not a readable road network "
                         f"({type(error).__name__}: {str(error)[:120]})") from None
    return _from_multigraph(graph, str(file), option)
