"""The fast solver's hook for the convoy's route game (docs/design.md §12).

The Benders decomposition of :mod:`escolta.protect.roads_joint` on the reduced LP: the
master is the reduced LP of :mod:`.master` plus one column t (cost 1, like a best-response
variable: always in the master) and a static row per cut, t − Σ_ab π^k_ab q_ab(J) ≥ 0, where
q_ab(J) sums the J(y, f) whose class y is at site a (the class holds yesterday's site under
``no_repeat``) and whose feature f is at site b ≠ a. Cut rows are static rows and the cut
entries are part of every J column (:meth:`Master._pair_terms`), so pricing, J reduced costs and
the Lagrangian bound of :func:`.generate.column_generation` hold unchanged: t is always in
the master, so a convex combination of duals feasible for it stays feasible (as for the v
columns). Each Benders round builds the master with the cuts so far, seeded with the
previous round's nights, and runs column generation to its proven bound.

Only under ``no_repeat`` (the reduced class then holds the site); elsewhere the reference
path solves the joint game.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from escolta.protect.nightly.history import PairTerm
from escolta.protect.nightly.master import INF, Master, MasterSolution
from escolta.protect.nightly.reduce import Feature, ReducedGame

Progress = Callable[[str, float | None], None]
Trip = tuple[int, int]


class RoadMaster(Master):
    """The reduced LP with the column t and the Benders cuts (``cuts[k][(a, b)] = π``)."""

    def __init__(self, game: ReducedGame, classes: Iterable[Hashable],
                 features: Iterable[Feature], cuts: Sequence[Mapping[Trip, float]]) -> None:
        self.cuts = tuple(cuts)
        super().__init__(game, classes, features)

    def _best_response_columns(self) -> tuple[list[float], list[list[tuple[int, float]]]]:
        cost, entries = super()._best_response_columns()
        rows = [(self._row(("cut", k), 0.0, INF), 1.0) for k in range(len(self.cuts))]
        cost.append(1.0)  # t
        entries.append(rows)
        return cost, entries

    def _pair_terms(self) -> list[PairTerm]:
        """Cut k gives every J(y, f) the entry −π^k(site of y, site of f) (0 when equal)."""
        S = self.game.n_sites
        terms: list[PairTerm] = []
        for k, cut in enumerate(self.cuts):
            coefficient = np.zeros((S, S))
            for (a, b), price in cut.items():
                if a != b:
                    coefficient[a, b] = price
            terms.append((self.rows[("cut", k)], coefficient))
        return terms

    @staticmethod
    def trips(solution: MasterSolution) -> dict[Trip, float]:
        """q_ab(J) from a solution's J values."""
        out: dict[Trip, float] = {}
        for value, (y, f) in zip(solution.j, solution.j_keys, strict=True):
            a, b = int(y[-1]), int(f[0])  # type: ignore[index, call-overload]
            if a != b and value > 0.0:
                out[(a, b)] = out.get((a, b), 0.0) + float(value)
        return out


def solve_joint_fast(scenario: Any, context: Any, *, time_limit: float | None = None,
                     progress: Progress | None = None, max_rounds: int = 200,
                     gap: float = 1e-7, price_unused: bool = True
                     ) -> tuple[Any, float, str, int]:
    """Benders on the reduced LP: (the best nightly plan, the proven lower bound on the joint
    risk, the status, the rounds). ``context``: :class:`escolta.protect.road_trips.RoadContext`.
    """
    from escolta.protect.nightly import NightlyStats, _initial_columns, _plan
    from escolta.protect.nightly.generate import column_generation
    from escolta.protect.nightly.pricing import (
        PosturePricer,
        build_type_table,
        count_postures,
        is_separable,
        table_types,
    )
    from escolta.protect.nightly.reduce import reduce_scenario, valid_types
    from escolta.protect.nightly.type_arrays import type_column
    from escolta.protect.road_trips import initial_cuts, solve_routes_for, trip_keys

    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    game = reduce_scenario(scenario)
    names = [site.name for site in scenario.sites]
    representatives = [(s, game.canonical_posture(s, k, p), p) for s, k, p in valid_types(game)]
    if is_separable(game):
        representatives += [type_column(game, s, k, p) for s, k, p in table_types(game)]
    index = {name: i for i, name in enumerate(names)}
    keys = trip_keys(scenario)
    cuts: list[dict[Trip, float]] = [
        {(index[a], index[b]): float(p) for (a, b), p in duals.items() if p != 0.0}
        for duals in initial_cuts(context, keys)]
    seeds = _initial_columns(game)
    best: Any = None
    best_upper, lower = np.inf, 0.0
    rounds, status = 0, "optimal"
    while True:
        rounds += 1
        master = RoadMaster(game, (game.night_class(c) for c in representatives),
                            (game.feature(c) for c in representatives), cuts)
        table = build_type_table(master)
        pricer = (PosturePricer(game, table, master.n_static_rows)
                  if game.posture_weight > 0.0 else None)
        master.add_columns(seeds)
        master.add_history(master.history_for(seeds))
        result = column_generation(master, table, pricer, deadline, None)
        lower = max(lower, result.lower_bound)
        stats = NightlyStats("generate", result.rounds, result.pricings, len(master.columns),
                             len(master.postures), count_postures(game.n_sites, game.n_teams),
                             table.separable)
        q_index = master.trips(result.solution)
        q = {(a, b): q_index.get((index[a], index[b]), 0.0) for a, b in keys}
        routes = solve_routes_for(context, q, price_unused=price_unused)
        # the master's value less t (t sits on its largest cut) is the nightly risk of (P, J)
        t = max((sum(p * q_index.get(ab, 0.0) for ab, p in cut.items()) for cut in cuts),
                default=0.0)
        upper = result.solution.objective - t + routes.risk
        if upper < best_upper:
            best, best_upper = (master, result, stats), upper
        if progress is not None:
            progress(f"round {rounds}: risk {best_upper:.6f}, bound {lower:.6f}", None)
        if result.status != "optimal":
            status = result.status
            break
        if best_upper - lower <= gap:
            break
        if rounds >= max_rounds or (deadline is not None and time.perf_counter() > deadline):
            status = "time_limit" if rounds < max_rounds else "round_limit"
            break
        cuts.append({(index[a], index[b]): float(p) for (a, b), p in routes.trip_duals.items()
                     if p != 0.0})
        seeds = list(dict.fromkeys([*seeds, *master.columns]))
    assert best is not None
    master, result, stats = best
    plan = _plan(scenario, game, master, result.solution, 0.0, result.status, started, stats)
    return plan, lower, status, rounds
