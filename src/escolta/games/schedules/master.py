"""ASPEN's master LP (the disjunctive form of the multiple-LPs method, one block per attacker
type and attacked target) on a live HiGHS model: its columns, their pricing, the bounds of a
branch and bound node, and the defender's mix read back from a solution."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from escolta.games.milp import payoff_scale
from escolta.games.model import SecurityGame
from escolta.games.schedules.space import REDUCED_COST_TOLERANCE, PureStrategies
from escolta.lp import HighsModel, LinearProgram

INF = float("inf")
ARTIFICIAL_COST = 100.0
"""Cost (in payoffs scaled into [-1, 1]) of the artificial column that keeps each type's block
feasible; a node whose converged LP still uses it is infeasible."""


@dataclass
class Column:
    attacker: int
    event: int  # index into the type's allowed targets
    assignment: tuple[int, ...]  # schedule indices; () for the artificial column
    artificial: bool = False


class Master:
    """The master LP of ASPEN (see :mod:`escolta.games.schedules`), on a live HiGHS model."""

    def __init__(self, game: SecurityGame, space: PureStrategies,
                 attackable: list[np.ndarray], events: list[np.ndarray]) -> None:
        self.game, self.space = game, space
        scale = payoff_scale(game)
        self.prior = game.priors
        self.dc = game.stacked("defender_covered") * scale
        self.du = game.stacked("defender_uncovered") * scale
        self.ac = game.stacked("attacker_covered") * scale
        self.au = game.stacked("attacker_uncovered") * scale
        self.scale = scale
        self.attackable = attackable
        self.events = events
        self.union = np.unique(np.concatenate(attackable))
        self.types = len(attackable)
        u = len(self.union)
        # rows: per type [choice, linking over union (u), incentive per (event, other)]
        self.choice_row, self.link_start, self.incentive = [], [], []
        row = 0
        for reach in attackable:
            self.choice_row.append(row)
            row += 1
            self.link_start.append(row)
            row += u
            k = len(reach)
            # row of (event e, other a); only events that may happen get rows; the diagonal
            # rows are empty (0 >= 0), kept for simple indexing
            rows_of = np.full((k, k), -1)
            rows_of[self.events[len(self.incentive)]] = row + np.arange(
                len(self.events[len(self.incentive)]) * k).reshape(-1, k)
            self.incentive.append(rows_of)
            row += len(self.events[len(self.incentive) - 1]) * k
        self.n_rows = row
        lower = np.zeros(row)
        upper = np.zeros(row)
        for th in range(len(attackable)):
            lower[self.choice_row[th]] = upper[self.choice_row[th]] = 1.0
            taken = self.incentive[th].ravel()
            upper[taken[taken >= 0]] = INF
        # columns: c over the union (linking: Σ x P_t - c_t = 0), then the artificials
        link = sp.lil_matrix((row, u))
        for th in range(self.types):
            for i in range(u):
                link[self.link_start[th] + i, i] = -1.0
        empty = LinearProgram(np.zeros(u), link.tocsr(), lower, upper, np.zeros(u),
                              np.ones(u), sense="max")
        self.model = HighsModel(empty)
        self.columns: list[Column] = []
        for th in range(self.types):
            self._add([Column(th, -1, (), artificial=True)])

    def _entries(self, column: Column) -> tuple[float, np.ndarray, np.ndarray]:
        th = column.attacker
        rows = [self.choice_row[th]]
        vals = [1.0]
        if column.artificial:
            return -ARTIFICIAL_COST, np.array(rows), np.array(vals)
        cover = self.space.cover(column.assignment)
        covered_union = np.flatnonzero(cover[self.union] > 0)
        rows += list(self.link_start[th] + covered_union)
        vals += [1.0] * len(covered_union)
        reach = self.attackable[th]
        e = column.event
        j = reach[e]
        slope = self.ac[th] - self.au[th]
        attack_j = self.au[th, j] + slope[j] * cover[j]
        attack_all = self.au[th, reach] + slope[reach] * cover[reach]
        incentive = attack_j - attack_all
        others = np.flatnonzero((np.arange(len(reach)) != e) & (np.abs(incentive) > 0))
        rows += list(self.incentive[th][e, others])
        vals += list(incentive[others])
        cost = self.prior[th] * (self.du[th, j] + (self.dc[th, j] - self.du[th, j]) * cover[j])
        return float(cost), np.array(rows), np.array(vals, dtype=float)

    def _add(self, columns: list[Column]) -> None:
        costs, rows, cols, vals = [], [], [], []
        for i, column in enumerate(columns):
            cost, r, v = self._entries(column)
            costs.append(cost)
            rows.append(r)
            cols.append(np.full(len(r), i))
            vals.append(v)
        matrix = sp.csc_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(self.n_rows, len(columns)),
        )
        self.model.add_columns(np.array(costs), np.zeros(len(columns)),
                               np.full(len(columns), INF), matrix)
        self.columns.extend(columns)

    def price(self, duals: np.ndarray, open_events: list[np.ndarray], exact: bool,
              seen: set[tuple[int, int, tuple[int, ...]]]) -> list[Column]:
        """Columns with positive reduced cost (``rc = cost - a · duals``)."""
        new = []
        n = self.game.n_targets
        for th, reach in enumerate(self.attackable):
            link_duals = duals[self.link_start[th] : self.link_start[th] + len(self.union)]
            slope = self.ac[th] - self.au[th]
            for e in open_events[th]:
                j = reach[e]
                inc = duals[self.incentive[th][e]]
                inc[e] = 0.0
                weights = np.zeros(n)
                weights[self.union] -= link_duals
                weights[j] += self.prior[th] * (self.dc[th, j] - self.du[th, j]) - slope[j] * (
                    inc.sum())
                weights[reach] += inc * slope[reach]
                constant = (self.prior[th] * self.du[th, j] - duals[self.choice_row[th]]
                            - float(inc @ (self.au[th, j] - self.au[th, reach])))
                gain, assignment = (self.space.best_exact if exact
                                    else self.space.best_greedy)(weights)
                key = (th, int(e), assignment)
                if constant + gain > REDUCED_COST_TOLERANCE and key not in seen:
                    seen.add(key)
                    new.append(Column(th, int(e), assignment))
        if new:
            self._add(new)
        return new


def apply_bounds(master: Master, closed: list[np.ndarray]) -> None:
    u = len(master.union)
    upper = np.array([
        INF if col.artificial or not closed[col.attacker][col.event] else 0.0
        for col in master.columns
    ])
    index = u + np.arange(len(master.columns))
    master.model.set_column_bounds(index, np.zeros(len(index)), upper)


def event_weights(master: Master, x: np.ndarray) -> list[np.ndarray]:
    q = [np.zeros(len(a)) for a in master.attackable]
    for value, col in zip(x, master.columns, strict=True):
        if not col.artificial:
            q[col.attacker][col.event] += value
    return q


def strategy(
    master: Master, x: np.ndarray
) -> tuple[np.ndarray, tuple[tuple[float, tuple[int, ...]], ...]]:
    """The defender's mix (type 0's columns, aggregated by assignment) and its coverage."""
    weights: dict[tuple[int, ...], float] = {}
    for value, col in zip(x, master.columns, strict=True):
        if col.attacker == 0 and not col.artificial and value > 1e-12:
            weights[col.assignment] = weights.get(col.assignment, 0.0) + float(value)
    total = sum(weights.values())
    if total <= 0:
        return np.zeros(master.game.n_targets), ((1.0, ()),)
    mixed = tuple((w / total, a) for a, w in weights.items() if w / total > 1e-10)
    norm = sum(p for p, _ in mixed)
    mixed = tuple((p / norm, a) for p, a in mixed)
    coverage = np.zeros(master.game.n_targets)
    for p, assignment in mixed:
        coverage += p * master.space.cover(assignment)
    return np.clip(coverage, 0.0, 1.0), mixed
