"""The convoy's drawn route of a date, as GeoJSON and GPX (docs/design.md §12).

The route is the one drawn with the night (:mod:`escolta.protect.route_draws`), from
yesterday's site to tonight's; road nodes' coordinates come from the plan's ``road_nodes``,
so no road file is read. Files are written owner-only through
:func:`escolta.privacy.write_private_bytes`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.operations.nights import plan_in_force
from escolta.orders.duty import RouteStop
from escolta.protect.plan import Plan
from escolta.store.record import drawn_night


@dataclass(frozen=True)
class DrawnRoute:
    """The route of ``date``: to tonight's site, its road nodes and their (lat, lon)."""

    date: dt.date
    site: str
    nodes: tuple[int, ...]
    points: tuple[tuple[float, float], ...]
    seeded: bool

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "to": self.site, "nodes": list(self.nodes),
                "points": [list(p) for p in self.points], "seeded": self.seeded}


def drawn_route(session: Session, date: dt.date) -> DrawnRoute:
    """The route drawn for ``date``; an InputError when none was drawn (or no drive)."""
    in_force = plan_in_force(session)
    night = drawn_night(session, date, plan_id=in_force.plan_id)
    if night is None:
        raise InputError("--date", date.isoformat(), "no night is drawn for this date: run "
                         "`escolta tonight --date` first")
    if night.night.route is None:
        raise InputError("--date", date.isoformat(),
                         "the convoy does not drive that day (no route drawn)")
    stops = route_stops(in_force.plan, night.night.route)
    assert stops is not None  # the route is not None
    return DrawnRoute(date, night.night.site, night.night.route,
                      tuple((stop.lat, stop.lon) for stop in stops), night.seeded)


def route_stops(plan: Plan, route: tuple[int, ...] | None) -> tuple[RouteStop, ...] | None:
    """The road nodes of a drawn ``route`` with their (lat, lon) from the plan's
    ``road_nodes``; ``None`` when no route was drawn."""
    if route is None:
        return None
    where = plan.extra.get("road_nodes", {})
    return tuple(RouteStop(int(n), float(where[str(n)][0]), float(where[str(n)][1]))
                 for n in route)


def geojson_text(route: DrawnRoute) -> str:
    """A FeatureCollection: the route as a LineString ([lon, lat], RFC 7946)."""
    line = [[lon, lat] for lat, lon in route.points]
    return json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "LineString", "coordinates": line},
        "properties": {"date": route.date.isoformat(), "to": route.site,
                       "nodes": list(route.nodes), "seeded": route.seeded}}]}, indent=1)


def gpx_text(route: DrawnRoute) -> str:
    """A GPX 1.1 track of the route."""
    points = "\n".join(f'      <trkpt lat="{lat:.7f}" lon="{lon:.7f}"/>'
                       for lat, lon in route.points)
    name = escape(f"{route.date.isoformat()} to {route.site}")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gpx version="1.1" creator="escolta" xmlns="http://www.topografix.com/GPX/1/1">\n'
            f"  <trk>\n    <name>{name}</name>\n    <trkseg>\n{points}\n"
            "    </trkseg>\n  </trk>\n</gpx>\n")
