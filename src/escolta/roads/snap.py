"""Sites on the road network: each at the road node nearest its coordinates.

Distances are great-circle (haversine, mean Earth radius 6,371,008.8 m). A site farther than
``max_metres`` from every road node is refused, naming it: it is not on this network.
"""

from __future__ import annotations

import math

import numpy as np

from escolta.errors import InputError
from escolta.roads.network import RoadNetwork

EARTH_RADIUS_M = 6_371_008.8
#: Farthest a site may lie from its nearest road node, by default.
MAX_SNAP_METRES = 500.0


def haversine_m(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances in metres from one point to many.

    Examples
    --------
    >>> round(float(haversine_m(0.0, 0.0, np.array([0.0]), np.array([1.0]))[0]))
    111195
    """
    phi1, phi2 = math.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlam = np.radians(lon2) - math.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def check_coordinates(at: tuple[float, float], field: str) -> None:
    """A (lat, lon) pair on Earth, else an InputError naming the field."""
    lat, lon = at
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise InputError(field, list(at), "latitude must lie in [-90, 90]")
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise InputError(field, list(at), "longitude must lie in [-180, 180]")


def snap_sites(network: RoadNetwork, sites: dict[str, tuple[float, float]],
               max_metres: float = MAX_SNAP_METRES) -> dict[str, int]:
    """Each site's nearest road node (sites given as name -> (lat, lon))."""
    nodes = np.array(list(network.graph.nodes), dtype=np.int64)
    lat = np.array([network.graph.nodes[n]["lat"] for n in nodes])
    lon = np.array([network.graph.nodes[n]["lon"] for n in nodes])
    out = {}
    for name, at in sites.items():
        check_coordinates(at, f"sites[{name}].at")
        distances = haversine_m(at[0], at[1], lat, lon)
        best = int(np.argmin(distances))
        if distances[best] > max_metres:
            raise InputError(f"sites[{name}].at", list(at),
                             f"lies {distances[best]:,.0f} m from the nearest road of "
                             f"{network.source} (at most {max_metres:,.0f} m)")
        out[name] = int(nodes[best])
    return out
