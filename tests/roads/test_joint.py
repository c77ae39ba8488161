"""Nights and routes minimized together (docs/design.md §12) against brute force.

The brute force writes the whole joint LP at once: the reference LP of docs/design.md §4 (its
P and J columns), plus a column x_{ab,r} for EVERY simple route within the detour bound
(enumerated), the rows Σ_r x_{ab,r} = Σ_{J carries ab} J, and the ambush rows written from
the definition; one LP solved by SciPy's linprog. The Benders solver must reach its optimum
and prove it (lower bound = risk)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from scipy.optimize import linprog
from test_route_game import grid, hops

from escolta.errors import InputError
from escolta.protect.reference import build_reference_lp, solve_reference
from escolta.protect.road_trips import plan_trips
from escolta.protect.roads_joint import solve_joint_reference
from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan
from escolta.roads.network import RoadNetwork
from escolta.roads.paths import all_routes, fastest_route, segment

SIDE = 3


def scenario(ambushers: list[dict], *, no_repeat: bool = True, sites: int = 3,
             nightly: str = "site", at_nodes=(0, 8, 2)) -> dict:
    g = grid(0, SIDE)
    at = [[g.nodes[n]["lat"], g.nodes[n]["lon"]] for n in at_nodes]
    return {
        "principal": "P",
        "roads": {"file": "unused.graphml", "max_detour": 1.4},
        "sites": [{"name": f"s{i}", "success": [0.5 + 0.1 * i, 0.2], "at": at[i]}
                  for i in range(sites)],
        "teams": [{"name": "t", "chain": "g"}],
        "rules": {"no_repeat": no_repeat},
        "adversaries": [{"name": "night", "weight": 1, "sees": nightly},
                        *copy.deepcopy(ambushers)],
    }


def network(seed: int) -> RoadNetwork:
    return RoadNetwork(grid(seed, SIDE), "grid")


def brute_force(s, graph) -> float:
    model = build_reference_lp(s)
    prog = model.program
    n, width = len(model.nights), prog.A.shape[1]
    names = [x.name for x in s.sites]
    nodes = {}
    for x in s.sites:
        lat, lon = x.at
        nodes[x.name] = min(graph.nodes, key=lambda v, lat=lat, lon=lon: (
            graph.nodes[v]["lat"] - lat) ** 2 + (graph.nodes[v]["lon"] - lon) ** 2)
    trips = [(a, b) for a in names for b in names if a != b]
    routes = []
    for ab in trips:
        src, dst = nodes[ab[0]], nodes[ab[1]]
        _, fastest = fastest_route(graph, src, dst)
        routes += [(ab, r) for r in all_routes(graph, src, dst,
                                                s.roads.max_detour * fastest)]
    segs = sorted({segment(u, v) for _, r in routes for u, v in hops(r)}, key=sorted)
    weights = s.weights
    road = [a for a in s.adversaries if a.attacks == "roads"]
    blind = [a for a in road if a.sees == "nothing"]
    informed = [a for a in road if a.sees == "trip"]

    def succ(a, seg):
        for e in a.segments:
            if segment(e.start, e.end) == seg:
                return e.success
        return a.success

    n_r = len(routes)
    extra = n_r + len(blind) + len(informed) * len(trips)
    total = width + extra
    c = np.concatenate([prog.c, np.zeros(extra)])
    for i, a in enumerate(blind):
        c[width + n_r + i] = weights[a.name]
    for i, a in enumerate(informed):
        c[width + n_r + len(blind) + i * len(trips):
          width + n_r + len(blind) + (i + 1) * len(trips)] = weights[a.name]
    A = np.hstack([prog.A.toarray(), np.zeros((prog.A.shape[0], extra))])
    lo, hi = list(prog.row_lower), list(prog.row_upper)
    rows = [A[i] for i in range(A.shape[0])]
    for ab in trips:  # Σ_r x_{ab,r} - q_ab(J) = 0
        row = np.zeros(total)
        for k, (y, j) in enumerate(model.pair_index):
            if (names[model.classes[y][-1]], names[model.nights[j].site]) == ab:
                row[n + k] = -1.0
        for r, (ab2, _) in enumerate(routes):
            if ab2 == ab:
                row[width + r] = 1.0
        rows.append(row)
        lo.append(0.0)
        hi.append(0.0)
    for seg in segs:
        for i, a in enumerate(blind):
            row = np.zeros(total)
            for r, (_, path) in enumerate(routes):
                if seg in {segment(u, v) for u, v in hops(path)}:
                    row[width + r] = -succ(a, seg)
            row[width + n_r + i] = 1.0
            rows.append(row)
            lo.append(0.0)
            hi.append(np.inf)
        for i, a in enumerate(informed):
            for k, ab in enumerate(trips):
                row = np.zeros(total)
                for r, (ab2, path) in enumerate(routes):
                    if ab2 == ab and seg in {segment(u, v) for u, v in hops(path)}:
                        row[width + r] = -succ(a, seg)
                row[width + n_r + len(blind) + i * len(trips) + k] = 1.0
                rows.append(row)
                lo.append(0.0)
                hi.append(np.inf)
    M = np.array(rows)
    lo, hi = np.array(lo), np.array(hi)
    eq = lo == hi
    ub_rows = np.vstack([M[~eq & np.isfinite(hi)], -M[~eq & np.isfinite(lo)]])
    ub = np.concatenate([hi[~eq & np.isfinite(hi)], -lo[~eq & np.isfinite(lo)]])
    result = linprog(c, A_ub=ub_rows, b_ub=ub, A_eq=M[eq], b_eq=lo[eq],
                     bounds=[(0, None)] * total, method="highs")
    assert result.status == 0
    return float(result.fun)


CASES = {
    "blind": [{"name": "amb", "weight": 2, "attacks": "roads", "success": 0.8}],
    "trip": [{"name": "amb", "weight": 1, "attacks": "roads", "sees": "trip",
              "success": 0.6}],
    "both": [{"name": "amb", "weight": 1, "attacks": "roads", "success": 0.9},
             {"name": "informed", "weight": 0.5, "attacks": "roads", "sees": "trip",
              "success": 0.4}],
    "per-segment": [{"name": "amb", "weight": 1.5, "attacks": "roads", "success": 0.3,
                     "segments": [{"from": 0, "to": 1, "success": 1.0},
                                  {"from": 4, "to": 5, "success": 0.9}]}],
}


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("no_repeat", [True, False])
def test_joint_optimum_matches_the_whole_lp_written_out(seed, case, no_repeat) -> None:
    s = load_scenario(scenario(CASES[case], no_repeat=no_repeat))
    plan = solve_joint_reference(s, network=network(seed))
    expected = brute_force(s, grid(seed, SIDE))
    assert plan.solver.status == "optimal"
    assert plan.risk == pytest.approx(expected, abs=1e-6)
    assert plan.solver.lower_bound == pytest.approx(expected, abs=1e-6)


def test_the_export_is_consistent_with_its_risk() -> None:
    """Routes per trip sum to 1, lie within the bound, and each road adversary's success
    recomputed from the exported routes and trips reproduces the plan's figure."""
    s = load_scenario(scenario(CASES["both"]))
    g = grid(1, SIDE)
    plan = solve_joint_reference(s, network=RoadNetwork(g, "grid"))
    trips = plan_trips(s, plan)
    load: dict = {}
    by_trip: dict = {}
    for trip in plan.extra["routes"]:
        assert sum(r["p"] for r in trip["routes"]) == pytest.approx(1.0)
        assert trip["p"] == pytest.approx(trips[(trip["from"], trip["to"])])
        for r in trip["routes"]:
            nodes = r["nodes"]
            assert r["seconds"] <= 1.4 * fastest_route(g, nodes[0], nodes[-1])[1] + 1e-9
            for u, v in hops(nodes):
                share = trip["p"] * r["p"]
                load[segment(u, v)] = load.get(segment(u, v), 0.0) + share
                key = (trip["from"], trip["to"], segment(u, v))
                by_trip[key] = by_trip.get(key, 0.0) + share
    assert plan.adversaries["amb"] == pytest.approx(0.9 * max(load.values()))
    informed = sum(max(p for (a, b, _), p in by_trip.items() if (a, b) == ab)
                   for ab in {(a, b) for a, b, _ in by_trip})
    assert plan.adversaries["informed"] == pytest.approx(0.4 * informed)
    w = s.weights
    night = plan.risk - w["amb"] * plan.adversaries["amb"] \
        - w["informed"] * plan.adversaries["informed"]
    assert night == pytest.approx(w["night"] * plan.adversaries["night"])


def test_without_road_adversaries_the_plan_is_unchanged() -> None:
    """A roads key and sites' coordinates alone change nothing: same plan, same risk."""
    with_roads = load_scenario(scenario([]))
    plain = dict(scenario([]))
    plain.pop("roads")
    plain["sites"] = [{k: v for k, v in x.items() if k != "at"} for x in plain["sites"]]
    a = solve_plan(with_roads, method="reference")
    b = solve_reference(load_scenario(plain))
    assert a.risk == pytest.approx(b.risk, abs=1e-12)
    assert [n.to_dict() for n in a.nights] == [n.to_dict() for n in b.nights]
    assert "routes" not in a.to_dict()


def test_weights_normalize_over_all_adversaries() -> None:
    """A road adversary no road reaches (every site at one node) adds nothing to the risk,
    but still takes its share of the weights: the nightly risk is scaled by 1/(1+w)."""
    base = load_scenario(scenario([], at_nodes=(4, 4, 4)))
    roads = load_scenario(scenario(CASES["blind"], at_nodes=(4, 4, 4)))
    alone = solve_reference(base)
    joint = solve_joint_reference(roads, network=network(0))
    assert joint.risk == pytest.approx(alone.risk / 3, abs=1e-9)
    assert joint.adversaries["amb"] == 0.0


@pytest.mark.parametrize(("patch", "field"), [
    (lambda d: d["adversaries"].append({"name": "z", "weight": 1, "sees": "trip"}),
     "adversaries[2].sees"),
    (lambda d: d["adversaries"][1].update(sees="site"), "adversaries[1].sees"),
    (lambda d: d["adversaries"][1].pop("success"), "adversaries[1].success"),
    (lambda d: d["adversaries"][1].update(success=1.5), "adversaries[1].success"),
    (lambda d: d["adversaries"][1].update(lead=1), "adversaries[1].lead"),
    (lambda d: d.pop("roads"), "adversaries[1].attacks"),
    (lambda d: d["sites"][1].pop("at"), "sites[1].at"),
    (lambda d: d["sites"][0].update(at=[91.0, 0.0]), "sites[0].at"),
    (lambda d: d["sites"][0].update(at=[0.0, 181.0]), "sites[0].at"),
    (lambda d: d["roads"].update(max_detour=0.9), "roads.max_detour"),
    (lambda d: d["adversaries"][0].update(success=0.3), "adversaries[0].success"),
])
def test_bad_road_input_is_one_line_naming_the_field(patch, field) -> None:
    data = scenario(CASES["blind"])
    patch(data)
    with pytest.raises(InputError) as error:
        load_scenario(data)
    assert error.value.field == field


def test_a_site_no_road_reaches_is_refused_naming_it() -> None:
    g = grid(0, SIDE)
    for v in list(g.predecessors(8)):
        g.remove_edge(v, 8)
    s = load_scenario(scenario(CASES["blind"]))
    with pytest.raises(InputError) as error:
        solve_joint_reference(s, network=RoadNetwork(g, "grid"))
    assert error.value.field == "sites[1].at"
    assert "no road leads there" in str(error.value)


def test_a_missing_road_file_is_one_line(tmp_path) -> None:
    data = scenario(CASES["blind"])
    path = tmp_path / "s.yaml"
    import yaml

    path.write_text(yaml.safe_dump(data))
    s = load_scenario(path)
    assert s.roads.file == str(tmp_path / "unused.graphml")
    with pytest.raises(InputError) as error:
        solve_plan(s)
    assert error.value.field == "roads.file"


@pytest.mark.parametrize("case", list(CASES))
def test_the_independent_json_evaluator_agrees(case) -> None:
    """The export's risk and every adversary's success, recomputed by the evaluator that
    imports nothing from escolta (tests/protect/json_evaluator.py)."""
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "protect"))
    from json_evaluator import check_export

    data = scenario(CASES[case])
    plan = solve_joint_reference(load_scenario(data), network=network(1))
    check_export(json.loads(json.dumps(plan.to_dict())), data)


@pytest.mark.parametrize("nightly", ["site", "posture", "nothing"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_fast_solvers_hook_reaches_the_same_optimum(case, nightly) -> None:
    """Benders on the fast solver's reduced LP (no_repeat) against the whole LP written out."""
    from escolta.protect.roads_joint import solve_joint_fast

    s = load_scenario(scenario(CASES[case], nightly=nightly))
    plan = solve_joint_fast(s, network=network(1))
    expected = brute_force(s, grid(1, SIDE))
    assert plan.solver.status == "optimal"
    assert plan.risk == pytest.approx(expected, abs=1e-6)
    assert plan.solver.lower_bound == pytest.approx(expected, abs=1e-6)


def test_a_road_file_is_read_once_until_it_changes(tmp_path) -> None:
    from escolta.protect.road_trips import _read_once

    path = tmp_path / "roads.graphml"
    path.write_text("one")
    reads: list[str] = []

    def read(p):
        reads.append(p.read_text())
        return object()

    first = _read_once(path, read)
    assert _read_once(path, read) is first and reads == ["one"]
    path.write_text("three")  # another size: read again
    assert _read_once(path, read) is not first and reads == ["one", "three"]


def test_initial_cuts_are_solved_once_per_road_game(monkeypatch) -> None:
    """A team sweep's points share their road game: its 1 + (trips) route solves run once;
    another ambusher weight is another game."""
    from escolta.protect import road_trips

    calls = []
    solve = road_trips.solve_routes_for
    monkeypatch.setattr(road_trips, "solve_routes_for",
                        lambda *a, **k: calls.append(1) or solve(*a, **k))
    s = load_scenario(scenario(CASES["blind"]))
    context = road_trips.road_context(s, network(1))
    keys = road_trips.trip_keys(s)
    first = road_trips.initial_cuts(context, keys)
    assert len(calls) == 1 + len(keys)
    assert road_trips.initial_cuts(road_trips.road_context(s, RoadNetwork(context.graph, "g")),
                                   keys) == first
    assert len(calls) == 1 + len(keys)
    heavier = scenario(CASES["blind"])
    heavier["adversaries"][1]["weight"] = 3
    road_trips.initial_cuts(road_trips.road_context(load_scenario(heavier),
                                                    RoadNetwork(context.graph, "g")), keys)
    assert len(calls) == 2 * (1 + len(keys))
