"""The nightly game and the convoy's route game minimized together, exactly (docs/design.md §12).

When the principal sleeps at b after a (a ≠ b) the convoy drives a → b, so the trips'
probabilities are the plan's pairs: q_ab(J) = Σ J(y, ω) over classes y at site a and nights ω
at site b (a road adversary puts yesterday's site into the class, as ``no_repeat`` does).
The total risk is nightly(P, J) + R(q(J)), where R(q) is the optimum of the route LP
(:func:`escolta.roads.game.solve_routes`) for trips q. R is the value of an LP whose
trip masses q are right-hand sides and whose other rows have right-hand side 0, so by LP
duality R(q) = max over the dual-feasible set D (which does not depend on q) of π·q: convex,
piecewise linear and positively homogeneous, and R(q') ≥ π·q' for every π in D.

Benders decomposition: the reference LP (:mod:`escolta.protect.reference`) plus one column
t and the cuts t ≥ π^k · q(J) found so far is a relaxation (every cut is valid), so its
optimum is a lower bound; its solution (P, J) with the route game solved at q(J) is a plan,
whose risk nightly + R(q) is an upper bound. Each round adds the cut of the route LP's dual
at the new q (tight there). D has finitely many vertices and HiGHS returns basic duals, so
the bounds meet after finitely many rounds: the answer is the joint optimum, with the gap
proven at every round.

Weights: a road adversary stays in the scenario the nightly game sees, with no success at
any night (:func:`escolta.protect.nights.night_success` is 0 for it, the one place), so the
weights normalize over ALL adversaries for both games without a second normalization.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from escolta.errors import SolverError
from escolta.lp import LinearProgram, Status, solve
from escolta.protect.plan import Plan, SolverInfo
from escolta.protect.road_trips import (
    PRICE_UNUSED,
    RoadContext,
    Trip,
    initial_cuts,
    plan_trips,
    road_context,
    solve_routes_for,
    trip_keys,
)
from escolta.protect.scenario import Scenario

Progress = Callable[[str, float | None], None]

#: Most Benders rounds before the best plan is returned with its proven gap.
MAX_ROUNDS = 200
#: Gap (absolute, on a risk in [0, 1]) at which the bounds are taken to have met.
GAP = 1e-7
def routes_export(context: RoadContext, solution: Any, trips: Mapping[Trip, float]
                  ) -> list[dict[str, Any]]:
    """The plan's ``routes``: per trip its probability and P(route | trip), nodes, seconds."""
    out = []
    for (a, b), routes in sorted(solution.routes.items()):
        q = trips[(a, b)]
        if q <= 0 or not routes:
            continue
        total = sum(r.p for r in routes)
        out.append({"from": a, "to": b, "p": float(q), "routes": [
            {"p": float(r.p / total), "nodes": [int(n) for n in r.nodes],
             "seconds": float(r.seconds),
             **({"checkpoints": sorted(sorted(int(n) for n in s) for s in r.guarded)}
                if r.guarded else {})}
            for r in sorted(routes, key=lambda r: -r.p)]})
    return out


def checkpoints_export(context: RoadContext, solution: Any) -> dict[str, Any]:
    """The plan's ``checkpoints``: how many guard each route, and each guarded segment's
    P(guarded on a day) over all trips, most guarded first (the checkpoint distribution)."""
    guarded: dict[tuple[int, int], float] = {}
    for routes in solution.routes.values():
        for route in routes:
            for seg in route.guarded:
                u, v = sorted(int(n) for n in seg)
                guarded[(u, v)] = guarded.get((u, v), 0.0) + float(route.p)
    return {"per_route": context.checkpoints,
            "segments": [{"from": u, "to": v, "p": p}
                         for (u, v), p in sorted(guarded.items(), key=lambda kv: -kv[1])],
            "route_game": {"status": solution.status, "risk": float(solution.risk),
                           "lower_bound": float(solution.lower_bound),
                           "gap": float(solution.risk - solution.lower_bound),
                           "rounds": int(solution.rounds)}}


def with_routes(scenario: Scenario, plan: Plan, context: RoadContext, lower_bound: float,
                status: str, started: float, rounds: int) -> Plan:
    """The nightly plan with its trips routed: road adversaries' success, the total risk,
    ``routes`` in the export."""
    trips = plan_trips(scenario, plan)
    solution = solve_routes_for(context, trips)
    adversaries = dict(plan.adversaries)
    adversaries.update(solution.success)
    risk = plan.risk + solution.risk
    extra = dict(plan.extra)
    extra["routes"] = routes_export(context, solution, trips)
    if context.checkpoints > 0:
        extra["checkpoints"] = checkpoints_export(context, solution)
    used = sorted({n for trip in extra["routes"] for r in trip["routes"] for n in r["nodes"]})
    # where each route's node lies, so a drawn route exports without the road file
    extra["road_nodes"] = {str(n): [float(context.graph.nodes[n]["lat"]),
                                    float(context.graph.nodes[n]["lon"])] for n in used}
    if solution.status != "optimal":
        status = solution.status
    return replace(plan, risk=risk, adversaries=adversaries, extra=extra,
                   solver=SolverInfo(status=status, seconds=time.perf_counter() - started,
                                     lower_bound=min(lower_bound, risk),
                                     method=plan.solver.method or "reference",
                                     iterations=rounds))


def _with_cuts(program: LinearProgram, cuts: list[np.ndarray]) -> LinearProgram:
    """The reference LP plus the column t (cost 1) and the rows t − π^k·q(J) ≥ 0."""
    n_rows, n_cols = program.A.shape
    A = sp.hstack([program.A, sp.csr_matrix((n_rows, 1))], format="csr")
    if cuts:
        rows = sp.csr_matrix(np.vstack([np.append(-cut, 1.0) for cut in cuts]))
        A = sp.vstack([A, rows], format="csr")
    return LinearProgram(
        c=np.append(program.c, 1.0), A=A,
        row_lower=np.concatenate([program.row_lower, np.zeros(len(cuts))]),
        row_upper=np.concatenate([program.row_upper, np.full(len(cuts), np.inf)]),
        col_lower=np.append(program.col_lower, 0.0),
        col_upper=np.append(program.col_upper, np.inf))


def solve_joint_fast(scenario: Scenario, *, time_limit: float | None = None,
                     progress: Progress | None = None, network: Any = None) -> Plan:
    """The joint optimum on the fast solver's reduced LP (``no_repeat`` only; see
    :mod:`escolta.protect.nightly.roads_hook`)."""
    from escolta.protect.nightly.roads_hook import solve_joint_fast as benders

    started = time.perf_counter()
    context = road_context(scenario, network)
    plan, lower, status, rounds = benders(scenario, context, time_limit=time_limit,
                                          progress=progress, max_rounds=MAX_ROUNDS, gap=GAP,
                                          price_unused=PRICE_UNUSED)
    joint = with_routes(scenario, plan, context, lower, status, started, rounds)
    return replace(joint, solver=replace(joint.solver, method="nightly"))


def solve_joint_reference(scenario: Scenario, *, time_limit: float | None = None,
                          progress: Progress | None = None, network: Any = None) -> Plan:
    """The joint optimum of nights and routes: the reference LP with Benders cuts.

    Returns
    -------
    Plan
        ``risk`` = nightly risk + Σ_road w·success, ``adversaries`` with the road
        adversaries' success, ``routes`` in ``extra``; ``solver.lower_bound`` the Benders
        master's value (a proven bound), ``solver.iterations`` the rounds.
    """
    from escolta.protect.reference import build_reference_lp, plan_from_solution

    started = time.perf_counter()
    context = road_context(scenario, network)
    if progress:
        progress("building the reference LP with the trips", None)
    model = build_reference_lp(scenario)
    n = len(model.nights)
    width = model.program.A.shape[1]
    keys = trip_keys(scenario)
    names = [s.name for s in scenario.sites]
    # which trip each J column carries (-1: none, the principal stays)
    carries = np.full(width, -1)
    key_index = {ab: i for i, ab in enumerate(keys)}
    for k, (y, j) in enumerate(model.pair_index):
        a, b = names[model.classes[y][-1]], names[model.nights[j].site]
        if a != b:
            carries[n + k] = key_index[(a, b)]
    on_trip = carries >= 0

    def q_of(x: np.ndarray) -> dict[Trip, float]:
        q = np.bincount(carries[on_trip], weights=np.clip(x[:width][on_trip], 0, None),
                        minlength=len(keys))
        return {ab: float(q[i]) for i, ab in enumerate(keys)}

    cuts: list[np.ndarray] = []
    for duals in initial_cuts(context, keys):
        cut = np.zeros(width)
        cut[on_trip] = [duals[keys[i]] for i in carries[on_trip]]
        cuts.append(cut)
    best_x, best_upper, lower = None, np.inf, 0.0
    rounds, status = 0, "optimal"
    while True:
        rounds += 1
        result = solve(_with_cuts(model.program, cuts))
        if result.status is not Status.OPTIMAL or result.x is None:
            raise SolverError(f"the joint master LP ended {result.status.value}")
        assert result.objective is not None
        x, lower = result.x, max(lower, float(result.objective))
        trips = q_of(x)
        routes = solve_routes_for(context, trips)
        upper = float(model.program.c @ x[:width]) + routes.risk
        if upper < best_upper:
            best_x, best_upper = x, upper
        if progress:
            progress(f"round {rounds}: risk {best_upper:.6f}, bound {lower:.6f}", None)
        out_of_time = time_limit is not None and time.perf_counter() - started > time_limit
        if best_upper - lower <= GAP:
            break
        if rounds >= MAX_ROUNDS or out_of_time:
            status = "time_limit" if out_of_time else "round_limit"
            break
        cut = np.zeros(width)
        cut[on_trip] = [routes.trip_duals[keys[i]] for i in carries[on_trip]]
        cuts.append(cut)
    assert best_x is not None
    plan = plan_from_solution(scenario, model, best_x, status, lower, started)
    return with_routes(scenario, plan, context, lower, status, started, rounds)


def segment_exposure(plan: Plan) -> list[tuple[int, int, float]]:
    """P(the convoy passes each segment on a day), from the plan's ``routes``, most exposed
    first: Σ over trips of q_ab · P(route | trip) over the routes through the segment."""
    load: dict[tuple[int, int], float] = {}
    for trip in plan.extra.get("routes", []):
        for route in trip["routes"]:
            nodes = route["nodes"]
            for u, v in zip(nodes, nodes[1:], strict=False):
                key = (min(u, v), max(u, v))
                load[key] = load.get(key, 0.0) + trip["p"] * route["p"]
    return sorted(((u, v, p) for (u, v), p in load.items()), key=lambda e: (-e[2], e[:2]))
