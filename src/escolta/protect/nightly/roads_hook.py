"""The fast solver's hook for the convoy's route game (docs/design.md §12).

The Benders decomposition of :mod:`escolta.protect.roads_joint` on the reduced LP: the
master is the reduced LP of :mod:`.master` plus one column t (cost 1, like a best-response
variable: always in the master) and a static row per cut, t − Σ_ab π^k_ab q_ab(J) ≥ 0, where
q_ab(J) sums the J(y, f) whose class y is at site a (the class holds yesterday's site under
``no_repeat``) and whose feature f is at site b ≠ a. A cut's entries are a term of the J
formula (:meth:`.history.HistoryIndex.add_pair_term`) and its dual joins the pricing duals
(:meth:`RoadMaster.dual_vector`), so pricing, J reduced costs and the Lagrangian bound of
:func:`.generate.column_generation` hold unchanged: t is always in
the master, so a convex combination of duals feasible for it stays feasible (as for the v
columns). One master lives through every Benders round: each round adds its cut as a row
to the live HiGHS model (:meth:`RoadMaster.add_cut`) and runs column generation to its
proven bound from the last basis, with every night and J column found so far.

Only under ``no_repeat`` (the reduced class then holds the site); elsewhere the reference
path solves the joint game.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from escolta.protect.nightly.master import INF, Master, MasterSolution
from escolta.protect.nightly.reduce import Feature, ReducedGame

Progress = Callable[[str, float | None], None]
Trip = tuple[int, int]


class RoadMaster(Master):
    """The reduced LP with the column t and the Benders cuts, kept alive across rounds.

    t (cost 1) is the last best-response column; :meth:`add_cut` appends the row
    t − Σ_ab π_ab q_ab(J) ≥ 0 to the live HiGHS model and to the J formula as a pair term
    (the J columns already in the model get their entries now, later ones with their
    column, :meth:`.history.HistoryIndex.columns`), so the next solve starts from the last
    basis with every column found so far.
    """

    def __init__(self, game: ReducedGame, classes: Iterable[Hashable],
                 features: Iterable[Feature]) -> None:
        self.cuts: list[dict[Trip, float]] = []
        self.cut_positions: list[int] = []  # each cut's row in the model
        super().__init__(game, classes, features)
        self.t_position = self.n_v - 1

    def _best_response_columns(self) -> tuple[list[float], list[list[tuple[int, float]]]]:
        cost, entries = super()._best_response_columns()
        cost.append(1.0)  # t: its rows come with the cuts
        entries.append([])
        return cost, entries

    def add_cut(self, cut: Mapping[Trip, float]) -> None:
        """The cut t ≥ Σ_ab π_ab q_ab(J) (``cut[(a, b)] = π_ab``), one more row in the model."""
        S = self.game.n_sites
        coefficient = np.zeros((S, S))
        for (a, b), price in cut.items():
            if a != b:
                coefficient[a, b] = price
        row = self._row(("cut", len(self.cuts)), 0.0, INF)
        self.history_index.add_pair_term(self.n_static_rows + len(self.cuts), row, coefficient)
        self.cuts.append(dict(cut))
        self.cut_positions.append(row)
        self._join_group(self.t_position, row, 1.0)  # t's group: its column's number
        present = list(self.j_positions.items())
        entries = self.history_index.pair_entries([j for j, _ in present],
                                                  len(self.cuts) - 1)
        cols = [self.t_position] + [present[c][1] for c, _ in entries]
        vals = [1.0] + [value for _, value in entries]
        matrix = sp.csr_matrix((vals, ([0] * len(cols), cols)),
                               shape=(1, self.model.num_columns))
        self.model.add_rows(np.zeros(1), np.full(1, INF), matrix)
        self._n_model_rows += 1

    def dual_vector(self, row_duals: np.ndarray) -> np.ndarray:
        return np.concatenate([row_duals[:self.n_static_rows],
                               row_duals[np.asarray(self.cut_positions, dtype=int)]])

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
    from escolta.protect.nightly import NightlyStats, _initial_columns, _plan, checked_types
    from escolta.protect.nightly.generate import column_generation
    from escolta.protect.nightly.pricing import PosturePricer, build_type_table, count_postures
    from escolta.protect.nightly.reduce import reduce_scenario
    from escolta.protect.road_trips import initial_cuts, solve_routes_for, trip_keys

    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    game = reduce_scenario(scenario)
    types = checked_types(game, "generate")  # its pricer is the enumeration's
    names = [site.name for site in scenario.sites]
    index = {name: i for i, name in enumerate(names)}
    keys = trip_keys(scenario)
    cuts: list[dict[Trip, float]] = [
        {(index[a], index[b]): float(p) for (a, b), p in duals.items() if p != 0.0}
        for duals in initial_cuts(context, keys)]
    master = RoadMaster(game, types.classes, types.features)
    for cut in cuts:
        master.add_cut(cut)
    seeds = _initial_columns(game)
    master.add_columns(seeds)
    master.add_history(master.history_for(seeds))
    table = build_type_table(master, types)
    pricer = (PosturePricer(game, table, master.n_static_rows)
              if game.posture_weight > 0.0 else None)
    best: Any = None
    best_upper, lower = np.inf, 0.0
    rounds, status = 0, "optimal"
    while True:
        rounds += 1
        result = column_generation(master, table, pricer, deadline, None)
        lower = max(lower, result.lower_bound)
        stats = NightlyStats("generate", result.rounds, result.pricings, len(master.columns),
                             len(master.postures), count_postures(game.n_sites, game.n_teams),
                             table.separable)
        q_index = master.trips(result.solution)
        q = {(a, b): q_index.get((index[a], index[b]), 0.0) for a, b in keys}
        routes = solve_routes_for(context, q, price_unused=price_unused)
        # the master's value less t (t sits on its largest cut) is the nightly risk of (P, J)
        t = max((sum(p * q_index.get(ab, 0.0) for ab, p in cut.items()) for cut in master.cuts),
                default=0.0)
        upper = result.solution.objective - t + routes.risk
        if upper < best_upper:
            best, best_upper = (result, stats), upper
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
        master.add_cut({(index[a], index[b]): float(p) for (a, b), p in routes.trip_duals.items()
                        if p != 0.0})
    assert best is not None
    result, stats = best
    plan = _plan(scenario, game, master, result.solution, 0.0, result.status, started, stats)
    return plan, lower, status, rounds
