"""The convoy's route game on the Helsinki drive network with 10 sites (docs/design.md §12).

Trips: the plan of examples/capital.yaml (its ten sites on central Helsinki, no_repeat, its
road ambush), solved jointly on the fast path; q_ab = P(yesterday a, tonight b) from its
pairs; and every ordered pair alike. Road adversaries: a blind ambush cell (success 0.5) and
a trip-aware one (success 0.3), weights 2 and 1. The exact route game (column generation,
proven bound) is measured against two baselines in the same run: the fastest route only, and
uniform over the k = 5 fastest simple routes within the detour bound. Each baseline's road
risk is measured by the same evaluator as the optimum (escolta.roads.game's success from the
routes themselves). With checkpoints (``roads.checkpoints``: k = 1, 2 guarded segments per
route, RUGGED's double oracle with the exact MILP best response) on capital.yaml's trips: time,
proven gap and road risk against the exact game without. Also: the joint nights + routes solve of
examples/convoy.yaml.

``python benchmarks/bench_routes.py`` (or ``make bench``) prints one table.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
K = 5
#: Guarded segments per route in the checkpoint rows.
CHECKPOINTS = (1, 2)


def main() -> None:
    from rich.console import Console

    from escolta.protect.roads_joint import plan_trips, road_context
    from escolta.protect.scenario import load_scenario
    from escolta.protect.solve import solve_plan
    from escolta.roads.game import Ambusher

    started = time.perf_counter()
    capital = load_scenario(ROOT / "examples" / "capital.yaml")
    plan = solve_plan(capital)
    nightly_seconds = time.perf_counter() - started
    context = road_context(capital)
    trips = plan_trips(capital, plan)
    ambushers = [Ambusher("ambush-cell", 2 / 3, False, 0.5),
                 Ambusher("trip-watchers", 1 / 3, True, 0.3)]
    graph, nodes_of, detour = context.graph, context.nodes_of, context.max_detour

    console = Console(width=150)
    uniform = dict.fromkeys(trips, 1.0 / len(trips))
    for label, law, guards in (("capital.yaml's plan", trips, CHECKPOINTS),
                               ("every ordered pair alike", uniform, ())):
        console.print(_table(label, law, graph, nodes_of, ambushers, detour, guards))
    console.print(f"joint plan of capital.yaml (nights and its road ambush): "
                  f"{nightly_seconds:.2f} s, {plan.solver.iterations} Benders rounds, "
                  f"{plan.solver.status}")

    started = time.perf_counter()
    convoy = solve_plan(load_scenario(ROOT / "examples" / "convoy.yaml"))
    console.print(f"joint nights + routes of convoy.yaml ({convoy.solver.method}): "
                  f"{time.perf_counter() - started:.2f} s, {convoy.solver.iterations} rounds, "
                  f"risk {convoy.risk:.6f}, bound {convoy.solver.lower_bound:.6f}, "
                  f"{convoy.solver.status}")


def _table(label, trips, graph, nodes_of, ambushers, detour, guards):
    import networkx as nx
    from rich.table import Table

    from escolta.roads.game import Route, RouteSolution, _with_success, solve_routes
    from escolta.roads.paths import fastest_route, route_seconds

    started = time.perf_counter()
    optimum = solve_routes(graph, trips, nodes_of, ambushers, detour)
    route_seconds_taken = time.perf_counter() - started

    def measured(choice: dict) -> RouteSolution:
        routes = {}
        for ab, paths in choice.items():
            q = trips[ab]
            routes[ab] = tuple(Route(p, route_seconds(graph, p), q / len(paths)) for p in paths)
        solution = RouteSolution(routes, {}, 0.0, 0.0, "baseline", 0, 0.0)
        return _with_success(solution, ambushers, list(choice))

    driven = [ab for ab, q in trips.items() if q > 0 and nodes_of[ab[0]] != nodes_of[ab[1]]]
    fastest = {ab: [fastest_route(graph, nodes_of[ab[0]], nodes_of[ab[1]])[0]]
               for ab in driven}
    k_paths = {}
    for ab in driven:
        s, t = nodes_of[ab[0]], nodes_of[ab[1]]
        limit = detour * fastest_route(graph, s, t)[1]
        paths = itertools.islice(nx.shortest_simple_paths(graph, s, t, weight="seconds"), K)
        k_paths[ab] = [tuple(p) for p in paths if route_seconds(graph, tuple(p)) <= limit
                       * (1 + 1e-12)]

    table = Table(title=f"Trips: {label}. Helsinki ({graph.number_of_nodes()} road nodes), "
                        f"10 sites, {len(driven)} trips, max_detour {detour}")
    for column in ("routes", "seconds", "route columns used", "blind ambush", "trip-aware",
                   "road risk"):
        table.add_column(column, justify="left" if column == "routes" else "right")
    rows = [("fastest only", fastest), (f"uniform {K}-shortest", k_paths)]
    for name, choice in rows:
        solution = measured(choice)
        table.add_row(name, "-", str(sum(len(v) for v in choice.values())),
                      f"{solution.success['ambush-cell']:.4f}",
                      f"{solution.success['trip-watchers']:.4f}", f"{solution.risk:.5f}")
    used = sum(len(v) for v in optimum.routes.values())
    table.add_row(f"exact game ({optimum.status}, bound {optimum.lower_bound:.5f})",
                  f"{route_seconds_taken:.2f}", str(used),
                  f"{optimum.success['ambush-cell']:.4f}",
                  f"{optimum.success['trip-watchers']:.4f}", f"{optimum.risk:.5f}")
    for k in guards:
        started = time.perf_counter()
        guarded = solve_routes(graph, trips, nodes_of, ambushers, detour, checkpoints=k)
        seconds = time.perf_counter() - started
        table.add_row(f"{k} checkpoint{'s' * (k > 1)} ({guarded.status}, gap "
                      f"{guarded.risk - guarded.lower_bound:.1e}, "
                      f"{guarded.risk / optimum.risk:.2f} x the exact game)",
                      f"{seconds:.2f}", str(sum(len(v) for v in guarded.routes.values())),
                      f"{guarded.success['ambush-cell']:.4f}",
                      f"{guarded.success['trip-watchers']:.4f}", f"{guarded.risk:.5f}")
    return table


if __name__ == "__main__":
    main()
