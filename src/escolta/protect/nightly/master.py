"""The reduced LP of the nightly game (the *master* of the column generation).

Columns ``P(s, n, p)`` over reduced nights (:mod:`escolta.protect.nightly.reduce`), plus the
history variables ``J(y, f)`` and the best-response variables ``v``. Rows::

    Σ P = 1                                                        (convexity, dual μ)
    Σ_f J(y, f) − Σ_{c(ω) = y} P(ω) = 0                            (class y; history only)
    Σ_y J(y, f) − Σ_{f(ω) = f} P(ω) = 0                            (feature f; history only)
    v_θσ − Σ_{σ_θ(ω) = σ, s = a} P(ω) loss_θ(a, ω) ≥ 0             (lead 0, target site a)
    v_θσ − Σ_{σ_θ(y) = σ, s(f) = a} J(y, f) loss_θ(a, f) ≥ 0       (lead 1, target site a)

A lead-0 posture watcher's success is ``Σ_n max_a c_a(n_a) P(a, n)``. The master's
variables are *blocks* (docs/nightly.md §3f, Lemma 9): nights of one posture n with shares
``d_a`` summing to 1, whose posture-watcher cost ``W max_a c_a(n_a) d_a`` is in the
objective, so that the posture needs no rows; a plain night is a block of one. The
enumeration strategy (every night at once, for a lead-1 posture watcher) keeps the rows

    v_n − Σ_{posture n, s = a} P(ω) c_a(n_a) ≥ 0                   (posture n; rows added with
                                                                    the first column of n)

and blocks of one night.

``J(y, f)`` is absent when ``f`` repeats ``y``'s site under ``no_repeat``. Linear adversaries
(``site``, ``room`` with lead 0, and an insider who sees the principal with its team) enter
the objective of ``P`` directly. The objective is ``Σ_θ w_θ Σ_σ v_θσ`` + the linear part.

Why ``J`` over (class, feature) is exact (docs/design.md §4 uses ``J(y, ω)``): any
``Q(y, ω)`` with the right marginals projects to ``J(y, f) = Σ_{f(ω) = f} Q(y, ω)`` with the
same value for every lead-1 adversary (their losses depend on ω only through f), and any
``J`` lifts back to ``Q(y, ω) = J(y, f(ω)) P(ω) / P_f(f(ω))``, whose marginals are right:
``Σ_y Q = P(ω)``, ``Σ_ω Q = Σ_f J(y, f) = P_class(y)``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from escolta.errors import SolverError
from escolta.lp import HighsModel, LinearProgram, LPResult, Status
from escolta.protect.nightly.history import HistoryIndex, HistoryPricing
from escolta.protect.nightly.reduce import (
    Column,
    Feature,
    ReducedGame,
    insider_post_combinations,
)

INF = np.inf

#: A block: nights of one posture and the share of the block's probability each has (they
#: sum to 1), one variable of the master (docs/nightly.md §3f).
Block = tuple[tuple[Column, ...], tuple[float, ...]]


def single(column: Column) -> Block:
    """The block of one night."""
    return ((column,), (1.0,))


def _block_key(block: Block) -> tuple[tuple[Column, float], ...]:
    """What tells two blocks apart: their nights with their shares (to 12 digits)."""
    return tuple(sorted(zip(block[0], (round(share, 12) for share in block[1]),
                            strict=True)))

#: From this many rows on, the master is re-solved by HiGHS's interior-point method with
#: crossover (a vertex, as the export needs) instead of the warm dual simplex: at 100 sites x
#: 30 teams (51,000 rows) a warm dual-simplex re-solve takes 1 to 280 s once thousands of J
#: have entered, the interior point 2 to 6 s; at 50 sites x 6 teams (12,700 rows) the dual
#: simplex is twice as fast (docs/nightly.md §4b).
INTERIOR_ROWS = 30_000
#: After the first solve a small objective is scaled by a power of two up to about 2^-7
#: (1/128; HiGHS's ``user_objective_scale``, at most 2^30): HiGHS's tolerances are absolute
#: (1e-7), and at 100 sites x 30 teams the risk is 1.4e-4, where a re-solve called optimal
#: left columns pricing out by more than the 1e-6 gap ("stalled" at 36 s without the lead-1
#: adversaries). Scaled up to 1, the dual simplex at 50 sites x 6 teams (risk 0.009) took
#: 46 s instead of 18 s (docs/nightly.md §3c).
SCALED_OBJECTIVE_EXPONENT = -7
MAX_OBJECTIVE_SCALE = 30


@dataclass(frozen=True)
class MasterSolution:
    """One solve of the master: its value, the P and J values, the duals."""

    status: Status
    objective: float
    columns: tuple[Column, ...]
    p: np.ndarray
    j: np.ndarray  # the J in the model at this solve, in the order of ``j_keys``
    row_duals: np.ndarray
    iterations: int
    j_keys: tuple[tuple[Hashable, Feature], ...] = ()


class Master:
    """The reduced LP, kept alive in HiGHS while columns (reduced nights) are added.

    Parameters
    ----------
    game
        The reduced game.
    classes
        Every class a night of yesterday can have (history only).
    features
        Every feature a night of tonight can have (history only).
    posture_rows
        A posture watcher's success by posture rows, with blocks of one night only (the
        enumeration strategy), instead of in the blocks' cost.
    """

    def __init__(self, game: ReducedGame, classes: Iterable[Hashable],
                 features: Iterable[Feature], *, posture_rows: bool = False) -> None:
        self.game = game
        self.posture_rows = posture_rows and game.posture_weight > 0.0
        self.history = game.history_matters
        self.classes = tuple(dict.fromkeys(classes)) if self.history else ()
        self.features = tuple(dict.fromkeys(features)) if self.history else ()
        self.rows: dict[Hashable, int] = {}
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.columns: list[Column] = []  # every night of the blocks, in order of entry
        self.column_index: dict[Column, int] = {}
        self.blocks: list[Block] = []  # the master's P variables, in order of entry
        self._block_index: dict[tuple[tuple[Column, float], ...], int] = {}
        # (night, block, share) of every block: P(ω) = Σ_b share_b(ω) λ_b
        self._shares: tuple[list[int], list[int], list[float]] = ([], [], [])
        self._entries: dict[Column, tuple[float, list[tuple[int, float]]]] = {}
        # the postures of the nights, each with its v column when there are posture rows
        self.postures: dict[tuple[int, ...], int | None] = {}
        self._build_static()

    # ------------------------------------------------------------------ rows

    def _row(self, key: Hashable, lower: float, upper: float) -> int:
        if key not in self.rows:
            self.rows[key] = len(self.row_lower)
            self.row_lower.append(lower)
            self.row_upper.append(upper)
        return self.rows[key]

    def _build_static(self) -> None:
        """Convexity, class and feature rows, the v columns with their rows, the J matrix."""
        self._row(("conv",), 1.0, 1.0)
        for y in self.classes:
            self._row(("class", y), 0.0, 0.0)
        for f in self.features:
            self._row(("feature", f), 0.0, 0.0)
        cost, entries = self._best_response_columns()
        self.n_v = len(cost)
        # every v column's rows and weight, to make the duals exactly feasible for it
        self._group_rows: list[int] = []
        self._group_coefficients: list[float] = []
        self._group_ids: list[int] = []
        self._group_weights: list[float] = []
        self._group_arrays: tuple[np.ndarray, ...] | None = None
        for weight, column in zip(cost, entries, strict=True):
            self._add_group(weight, column)
        self._build_history()
        triplets = [(r, c, v) for c, column in enumerate(entries) for r, v in column]
        rows_, cols_, vals_ = (zip(*triplets, strict=True) if triplets else ((), (), ()))
        A = sp.csr_matrix((np.array(vals_, dtype=float), (np.array(rows_, dtype=int),
                                                          np.array(cols_, dtype=int))),
                          shape=(len(self.row_lower), len(cost)))
        program = LinearProgram(
            c=np.array(cost, dtype=float), A=A, row_lower=np.array(self.row_lower),
            row_upper=np.array(self.row_upper), col_lower=np.zeros(len(cost)),
            col_upper=np.full(len(cost), INF))
        self.model = HighsModel(program)
        # the dual simplex: 4.6x faster than the primal at 50 sites x 6 teams, with as many
        # rounds (docs/nightly.md §4b)
        self.model.set_option("simplex_strategy", 1)
        self._n_model_rows = len(self.row_lower)
        self.n_static_rows = len(self.row_lower)
        self._p_positions: list[int] = []  # the blocks' model columns
        self.solves = 0
        self.interior = False
        self.scaled = False  # the objective scaled (:meth:`expect`)

    def _add_group(self, weight: float, rows: Iterable[tuple[int, float]]) -> None:
        """Record a v column of cost ``weight`` and its (row, coefficient) entries (the
        groups are numbered in the order the v columns come: the static ones first)."""
        group = len(self._group_weights)
        self._group_weights.append(weight)
        self._group_arrays = None
        for row, coefficient in rows:
            self._join_group(group, row, coefficient)

    def _join_group(self, group: int, row: int, coefficient: float) -> None:
        """One more row of a v column (a row added after the column, as a route cut)."""
        self._group_rows.append(row)
        self._group_coefficients.append(coefficient)
        self._group_ids.append(group)
        self._group_arrays = None

    def feasible_duals(self, row_duals: np.ndarray) -> np.ndarray:
        """``row_duals`` made exactly feasible for every v column: the duals of its rows
        (``≥`` rows) at least 0 and ``Σ coefficient · dual ≤ weight`` (its reduced cost ≥ 0),
        by clipping at 0 and scaling a column's rows down where the sum passes its weight.

        The Lagrangian bound (docs/nightly.md §3) holds for duals feasible for the v columns;
        HiGHS's are feasible only up to its tolerances (1e-7), which over thousands of
        signals could move the bound by more than the 1e-6 gap. The change is of the size
        of those tolerances (``tests/protect/test_knapsack.py``)."""
        if self._group_arrays is None:
            self._group_arrays = (np.array(self._group_rows, dtype=np.int64),
                                  np.array(self._group_coefficients, dtype=float),
                                  np.array(self._group_ids, dtype=np.int64),
                                  np.array(self._group_weights, dtype=float))
        rows, coefficients, groups, weights = self._group_arrays
        out = np.array(row_duals, dtype=float, copy=True)
        values = np.maximum(out[rows], 0.0)
        sums = np.bincount(groups, weights=coefficients * values, minlength=len(weights))
        factor = np.ones(len(weights))
        over = sums > weights
        factor[over] = weights[over] / sums[over]
        out[rows] = values * factor[groups]
        return out

    def _signals(self, adversary_index: int) -> tuple[str, list[Hashable]]:
        """The row tag and the signals of an adversary with a best response to price."""
        game = self.game
        adversary = game.adversaries[adversary_index]
        if adversary.role == "max0":
            if adversary.sees == "nothing":
                return "max0", [()]
            if adversary.sees == "chain":  # the principal with none of its teams
                seen = dict.fromkeys(tuple(p[i] for i in adversary.reached)
                                     for p in insider_post_combinations(game))
                return "max0", [(posts, None) for posts in seen]
            return "max0", [(q, False) for q in range(game.n_sites)]
        if adversary.role == "lead1":
            position = game.lead1.index(adversary)
            return "lead1", list(dict.fromkeys(y[position] for y in self.classes))  # type: ignore[index]
        return "", []

    def _best_response_columns(self) -> tuple[list[float], list[list[tuple[int, float]]]]:
        """One ``v_θσ`` per adversary and signal (weight ``w_θ``), with its rows ``v − Σ ≥ 0``
        over the target sites (an insider told the principal is not with its team does not
        target its team's site)."""
        cost: list[float] = []
        entries: list[list[tuple[int, float]]] = []
        for i, adversary in enumerate(self.game.adversaries):
            if adversary.weight <= 0.0:
                continue  # no rows: its success is measured on the plan afterwards
            tag, signals = self._signals(i)
            for sigma in signals:
                column = []
                for a in range(self.game.n_sites):
                    if tag == "max0" and adversary.sees == "team" and sigma[0] == a:  # type: ignore[index]
                        continue
                    if tag == "max0" and adversary.sees == "chain" and a in sigma[0]:  # type: ignore[index]
                        continue
                    column.append((self._row((tag, i, sigma, a), 0.0, INF), 1.0))
                cost.append(adversary.weight)
                entries.append(column)
        return cost, entries

    def _build_history(self) -> None:
        """The J variables as a formula over (class, feature) (:mod:`.history`); they enter
        the model on demand (:meth:`add_history`), only those are held."""
        self.history_index = HistoryIndex(self.game, self.classes, self.features, self.rows)
        self.j_keys: list[tuple[Hashable, Feature]] = []  # J in the model, in entry order
        self.j_positions: dict[int, int] = {}  # J flat id -> model column

    # ------------------------------------------------------------------ columns

    def static_entries(self, column: Column) -> tuple[float, list[tuple[Hashable, float]]]:
        """Cost and (row key, coefficient) of a P column, posture rows and convexity aside."""
        game = self.game
        site, posture, posts = column
        k = posture[site]
        cost = 0.0
        out: list[tuple[Hashable, float]] = []
        if self.history:
            out.append((("class", game.night_class(column)), -1.0))
            out.append((("feature", game.feature(column)), -1.0))
        for i, adversary in enumerate(game.adversaries):
            if adversary.weight <= 0.0:
                continue
            if adversary.role == "linear":
                cost += adversary.weight * game.loss(adversary, site, k,
                                                     game.sabotaged(adversary, site, posts))
            elif adversary.role == "max0":
                if adversary.sees == "nothing":
                    loss = game.loss(adversary, site, k, False)
                    if loss > 0.0:
                        out.append((("max0", i, (), site), -loss))
                elif adversary.sees == "chain":
                    sigma = game.signal(adversary, column)
                    if sigma[1] is not None:  # it sees the principal with one of its teams
                        cost += adversary.weight * game.loss(
                            adversary, site, k, game.sabotaged(adversary, site, posts))
                    else:
                        loss = game.loss(adversary, site, k, 0)
                        if loss > 0.0:
                            out.append((("max0", i, sigma, site), -loss))
                else:
                    assert adversary.insider is not None
                    post = posts[adversary.insider]
                    if post == site:  # signal (site, True): it attacks here, linear
                        cost += adversary.weight * game.loss(adversary, site, k, True)
                    else:
                        loss = game.loss(adversary, site, k, False)
                        if loss > 0.0:
                            out.append((("max0", i, (post, False), site), -loss))
        return cost, out

    def posture_rows_for(self, posture: tuple[int, ...]) -> list[int]:
        """The sites with a row for ``posture`` (where the principal may be)."""
        return [a for a in range(self.game.n_sites) if posture[a] >= self.game.min_teams]

    def _add_posture(self, posture: tuple[int, ...]) -> None:
        """A v column and the rows ``v_n − Σ P c ≥ 0`` for a posture not yet in the master."""
        v = self.model.num_columns
        self.model.add_columns(np.array([self.game.posture_weight]), np.zeros(1),
                               np.array([INF]), sp.csc_matrix((self.model.num_rows, 1)))
        sites = self.posture_rows_for(posture)
        for a in sites:
            self._row(("posture", posture, a), 0.0, INF)
        rows = sp.csr_matrix((np.ones(len(sites)), (np.arange(len(sites)), np.full(len(sites), v))),
                             shape=(len(sites), self.model.num_columns))
        self.model.add_rows(np.zeros(len(sites)), np.full(len(sites), INF), rows)
        self._n_model_rows += len(sites)
        self.postures[posture] = v
        self._add_group(self.game.posture_weight,
                        [(self.rows[("posture", posture, a)], 1.0) for a in sites])

    def add_columns(self, columns: Iterable[Column]) -> int:
        """Add reduced nights, each a block of its own, not yet present; returns how many
        were new."""
        return self.add_blocks(single(column) for column in columns)

    def holds(self, block: Block) -> bool:
        """Whether ``block`` is in the master already."""
        return _block_key(block) in self._block_index

    def add_blocks(self, blocks: Iterable[Block]) -> int:
        """Add blocks not yet present (nights of one posture, shares summing to 1); returns
        how many were new."""
        game = self.game
        new: list[Block] = []
        for block in blocks:
            key = _block_key(block)
            if key in self._block_index:
                continue
            nights, shares = block
            if self.posture_rows and len(nights) != 1:
                raise ValueError("a master with posture rows holds blocks of one night")
            if game.posture_weight > 0.0 and len({night[1] for night in nights}) != 1:
                raise ValueError("a block's nights share one posture")
            self._block_index[key] = len(self.blocks) + len(new)
            new.append(block)
        if not new:
            return 0
        for nights, _ in new:
            for night in nights:
                if night[1] not in self.postures:
                    if self.posture_rows:
                        self._add_posture(night[1])
                    else:
                        self.postures[night[1]] = None
                if night not in self.column_index:
                    self.column_index[night] = len(self.columns)
                    self.columns.append(night)
        costs = np.empty(len(new))
        rows_, cols_, vals_ = [], [], []
        night_of, block_of, share_of = self._shares
        convexity = self.rows[("conv",)]
        for b, (nights, shares) in enumerate(new):
            entries: dict[int, float] = {convexity: 1.0}
            cost = self._posture_cost(nights, shares)
            for night, share in zip(nights, shares, strict=True):
                night_cost, night_entries = self._night_entries(night)
                cost += share * night_cost
                for row, value in night_entries:
                    entries[row] = entries.get(row, 0.0) + share * value
                night_of.append(self.column_index[night])
                block_of.append(len(self.blocks) + b)
                share_of.append(share)
            costs[b] = cost
            rows_.extend(entries)
            cols_.extend([b] * len(entries))
            vals_.extend(entries.values())
        matrix = sp.csc_matrix((vals_, (rows_, cols_)), shape=(self._n_model_rows, len(new)))
        self.model.add_columns(costs, np.zeros(len(new)), np.full(len(new), INF), matrix)
        first = self.model.num_columns - len(new)
        self._p_positions.extend(range(first, first + len(new)))
        self.blocks.extend(new)
        return len(new)

    def _posture_cost(self, nights: tuple[Column, ...], shares: tuple[float, ...]) -> float:
        """A block's posture-watcher cost ``W max_a c_a(n_a) d_a``, with ``d_a`` the shares
        of its nights at site a (0 with posture rows, where the rows carry it)."""
        game = self.game
        if game.posture_weight <= 0.0 or self.posture_rows:
            return 0.0
        at: dict[int, float] = {}
        for (site, _, _), share in zip(nights, shares, strict=True):
            at[site] = at.get(site, 0.0) + share
        posture = nights[0][1]
        return game.posture_weight * max(share * game.posture_loss(site, posture[site])
                                         for site, share in at.items())

    def _night_entries(self, night: Column) -> tuple[float, list[tuple[int, float]]]:
        """A night's cost and (row, coefficient) entries, convexity aside (kept: the nights
        of a posture come again in many blocks)."""
        if night not in self._entries:
            cost, entries = self.static_entries(night)
            out = [(self.rows[key], value) for key, value in entries]
            if self.posture_rows:
                site, posture, _ = night
                out.append((self.rows[("posture", posture, site)],
                            -self.game.posture_loss(site, posture[site])))
            self._entries[night] = (cost, out)
        return self._entries[night]

    def add_history(self, indices: Iterable[int]) -> int:
        """Add ``J`` columns (by flat id ``y·|F| + f``, :mod:`.history`) not yet in the
        model."""
        new = [j for j in dict.fromkeys(int(j) for j in indices) if j not in self.j_positions]
        if not new:
            return 0
        block = self._history_block(new)
        first = self.model.num_columns
        self.model.add_columns(np.zeros(len(new)), np.zeros(len(new)),
                               np.full(len(new), INF), block)
        for c, j in enumerate(new):
            self.j_positions[j] = first + c
            self.j_keys.append(self.history_index.key(j))
        return len(new)

    def _history_block(self, new: list[int]) -> sp.csc_matrix:
        """The model's rows of the ``J`` columns ``new`` (flat ids): the formula of
        :meth:`.history.HistoryIndex.columns`, pair terms (the route game's cuts) included."""
        return self.history_index.columns(new, self._n_model_rows)

    def night_values(self, block_values: np.ndarray) -> np.ndarray:
        """``P(ω)`` of every night of :attr:`columns` from the blocks' values."""
        night_of, block_of, share_of = self._shares
        spread = sp.csr_matrix((share_of, (night_of, block_of)),
                               shape=(len(self.columns), len(self.blocks)))
        return np.asarray(spread @ np.asarray(block_values, dtype=float)).ravel()

    def dual_vector(self, row_duals: np.ndarray) -> np.ndarray:
        """The duals that price columns: of the static rows (and of a subclass's own rows
        that J enters, after them); posture rows' duals are read by key."""
        return row_duals[:self.n_static_rows]

    def history_for(self, columns: Iterable[Column]) -> list[int]:
        """Every allowed ``J(y, f)`` between the classes and features of ``columns``."""
        columns = list(columns)
        return self.history_index.between([self.game.night_class(c) for c in columns],
                                          [self.game.feature(c) for c in columns])

    def history_cycle(self, columns: Iterable[Column]) -> list[int]:
        """``J(class of column i, feature of column i + 1)``, cyclically: with the nights
        of :func:`escolta.protect.nightly._initial_columns` (one per site), a feasible
        history (never the same site two nights running) with one J per night, so that
        the first master is small whatever the scale; the rest enter by reduced cost."""
        columns = list(columns)
        index, game = self.history_index, self.game
        if not index.classes:
            return []
        n_f = len(index.features)
        out = []
        for i, column in enumerate(columns):
            y = index.class_index[game.night_class(column)]
            f = index.feature_index[game.feature(columns[(i + 1) % len(columns)])]
            if index.allowed(y, f):
                out.append(y * n_f + f)
        return out

    def price_history(self, duals: np.ndarray, tolerance: float, most: int
                      ) -> HistoryPricing:
        """The least reduced cost of any allowed ``J`` (cost 0) at the duals of
        :meth:`dual_vector`, and the entering ones (:meth:`.history.HistoryIndex.price`)."""
        return self.history_index.price(duals, tolerance, most)

    # ------------------------------------------------------------------ solve

    def expect(self, objective: float) -> None:
        """Scale the objective to a value of about ``objective`` (> 0) by a power of two
        (:data:`SCALED_OBJECTIVE_EXPONENT`): after the first solve, or before it when the
        value is known to be at least ``objective`` (the blind relaxation's bound)."""
        # HiGHS reports the objective and the duals unscaled
        exponent = SCALED_OBJECTIVE_EXPONENT - math.floor(math.log2(objective))
        self.model.set_option("user_objective_scale", max(0, min(MAX_OBJECTIVE_SCALE, exponent)))
        self.scaled = True

    def solve(self, time_limit: float | None = None) -> MasterSolution | None:
        """Re-solve warm; ``None`` when ``time_limit`` (seconds) runs out first.

        The first solve is by the dual simplex (its vertex duals give the first bound); a
        master of :data:`INTERIOR_ROWS` rows or more is re-solved after it by the interior
        point with crossover, and every re-solve sees a small objective scaled up
        (:data:`SCALED_OBJECTIVE_EXPONENT`). The duals returned are :meth:`feasible_duals`."""
        if self.solves > 0 and not self.interior and self.model.num_rows >= INTERIOR_ROWS:
            self.model.set_option("solver", "ipm")
            self.model.set_option("run_crossover", "on")
            self.interior = True
        self.solves += 1
        self.model.limit_next_solve(time_limit)
        try:
            result: LPResult = self.model.solve()
        except SolverError:
            # a warm re-solve that loses its way numerically (seen once at 100 sites x 30
            # teams, risk ~1e-4): start again from no basis
            self.model.clear_solver()
            result = self.model.solve()
        if result.status is Status.TIME_LIMIT and time_limit is not None:
            return None
        if result.status is not Status.OPTIMAL:
            raise SolverError(f"the reduced LP ended {result.status.value}; it is feasible "
                              "and bounded once it has a column per site, so this is a bug")
        assert result.x is not None and result.row_duals is not None
        assert result.objective is not None
        if not self.scaled and result.objective > 0.0:
            self.expect(float(result.objective))
        x = result.x
        j = x[np.fromiter(self.j_positions.values(), dtype=np.int64,
                          count=len(self.j_positions))]
        return MasterSolution(
            status=result.status, objective=float(result.objective),
            columns=tuple(self.columns), p=self.night_values(x[self._p_positions]),
            j=j, row_duals=self.feasible_duals(result.row_duals),
            iterations=result.iterations, j_keys=tuple(self.j_keys))
