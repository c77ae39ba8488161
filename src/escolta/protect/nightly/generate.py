"""Column generation over reduced nights, with dual smoothing and a proven lower bound.

Each round solves the master (:mod:`.master`), prices every posture exactly
(:mod:`.pricing`) and adds the best postures' blocks (§3f). The reduced LP is highly degenerate
(many dual solutions), and pricing at the master's own duals makes slow progress on the bound
("tailing off"); so pricing uses Wentges' smoothed duals ``α y_best + (1 − α) y_master``,
where ``y_best`` gave the best Lagrangian bound so far (Wentges, *Weighted Dantzig–Wolfe
decomposition for linear mixed-integer programming*, ITOR 1997; Pessoa et al., INFORMS JoC
2018). Every bound computed is valid: a convex combination of duals feasible for the master's
``v`` and ``J`` columns is feasible for them too. Columns enter only when their reduced cost
at the master's duals is negative; when smoothing finds none ("mispricing") the round is
priced again at the master's duals, and when those find none either the master is optimal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from escolta.errors import SolverError
from escolta.protect.nightly.history import HistoryPricing
from escolta.protect.nightly.knapsack import KnapsackPricer
from escolta.protect.nightly.master import Block, Master, MasterSolution, single
from escolta.protect.nightly.pricing import _NEGLIGIBLE, PosturePricer, TypeTable, type_costs
from escolta.protect.nightly.reduce import Column
from escolta.protect.nightly.spread import spread_bound

Progress = Callable[[str, float | None], None]

#: Stop when the master's value is within this of the lower bound.
GAP_TOLERANCE = 1e-9
#: A column enters when its reduced cost is below ``-PRICING_TOLERANCE``.
PRICING_TOLERANCE = 1e-10
#: Postures (or types, without a posture watcher) examined for entry per round.
POSTURES_PER_ROUND = 300
#: Wentges smoothing weight on the best-bound duals.
SMOOTHING = 0.5
#: Above this gap, a round that adds nothing ends with status ``stalled`` (numerical trouble),
#: not ``optimal``.
STALL_TOLERANCE = 1e-6
#: Most history variables J(y, f) entering per round.
HISTORY_PER_ROUND = 4000
#: Most blocks entering per round (of the examined postures' prefixes, best first).
BLOCKS_PER_ROUND = 3000


@dataclass(frozen=True)
class GenerationResult:
    """The last master solution, the best proven lower bound, and counters."""

    solution: MasterSolution
    lower_bound: float
    status: str
    rounds: int
    pricings: int


def prefix_blocks(h: np.ndarray, c: np.ndarray, columns: list[Column], weight: float
                  ) -> list[tuple[float, Block]]:
    """The blocks of one posture that the pricing offers (docs/nightly.md §3f), each with
    its value ``Σ_A d_a h_a + W max_a c_a d_a``: for every prefix A of the nights by ``h``,
    the block over A with shares ``d_a ∝ 1/c_a`` (value ``(W + Σ_A h/c) / Σ_A 1/c``), and a
    night whose posture loss is negligible alone (value ``h``). Their least value is the
    posture's block value B(n) (:mod:`.pricing`). Without a posture watcher (``weight`` 0)
    every night alone."""
    if weight <= 0.0:
        return [(float(value), single(column)) for value, column in zip(h, columns,
                                                                         strict=True)]
    out: list[tuple[float, Block]] = []
    chosen: list[int] = []
    inverse = weighted = 0.0
    for r in np.argsort(h, kind="stable"):
        if c[r] <= _NEGLIGIBLE:
            out.append((float(h[r]), single(columns[r])))
            continue
        chosen.append(int(r))
        inverse += 1.0 / c[r]
        weighted += h[r] / c[r]
        shares = tuple(float(1.0 / (c[i] * inverse)) for i in chosen)
        out.append(((weight + weighted) / inverse,
                    (tuple(columns[i] for i in chosen), shares)))
    return out


def _price_postures(pricer: PosturePricer | KnapsackPricer, at: np.ndarray
                    ) -> tuple[float, list[Any]]:
    """``min_n B(n)`` (or a proven lower bound on it) at the prepared duals ``at``, and the
    postures to examine for entry, best first: by enumeration (every posture, the reference
    pricing) or by the knapsack over sites (:mod:`.knapsack`)."""
    if isinstance(pricer, KnapsackPricer):
        pricing = pricer.price(float(at[0]))
        return pricing.bound, list(pricing.postures[:POSTURES_PER_ROUND])
    values = pricer.bounds()
    candidates = np.argpartition(values, min(POSTURES_PER_ROUND,
                                             len(values) - 1))[:POSTURES_PER_ROUND]
    return float(values.min()), [int(i) for i in candidates]


def _posture_blocks(master: Master, pricer: PosturePricer | KnapsackPricer,
                    candidates: list[Any], mu: float) -> list[Block]:
    """The candidate postures' blocks not in the master with negative reduced cost (value
    below the convexity dual ``mu``) at the master's duals, best first, at most
    :data:`BLOCKS_PER_ROUND`."""
    weight = master.game.posture_weight
    priced: list[tuple[float, Block]] = []
    for i in candidates:
        _, h, c, columns = pricer.block(i)
        priced.extend(item for item in prefix_blocks(h, c, columns, weight)
                      if item[0] < mu - PRICING_TOLERANCE and not master.holds(item[1]))
    priced.sort(key=lambda item: item[0])
    return [block for _, block in priced[:BLOCKS_PER_ROUND]]


def _type_columns(master: Master, table: TypeTable, row_duals: np.ndarray, mu: float,
                  history: HistoryPricing | None = None) -> tuple[float, list[Column]]:
    """Without a posture watcher: the bound ``min D + min rc_J`` at the class and feature
    duals moved (the best of :data:`SHIFT_ORDERS`; docs/nightly.md §3c, Lemmas 4 and 6) and
    the best types as columns. ``history``: the J scan at these duals, when the caller has
    it."""
    game = master.game
    d = type_costs(table, row_duals, master.n_static_rows)
    flat = d.ravel()
    if master.history:
        duals = master.dual_vector(row_duals)
        unmoved = (history if history is not None
                   else master.price_history(duals, PRICING_TOLERANCE, 0))
        bound = -np.inf
        for order in SHIFT_ORDERS:
            shifted, least = shifted_duals(master, duals, order, unmoved)
            moved = type_costs(table, shifted, master.n_static_rows)
            bound = max(bound, float(moved.min()) + least)
    else:
        bound = float(flat.min())
    improving = np.flatnonzero(flat < mu - PRICING_TOLERANCE)
    if len(improving) > POSTURES_PER_ROUND:
        improving = improving[np.argpartition(flat[improving], POSTURES_PER_ROUND)
                              [:POSTURES_PER_ROUND]]
    columns = []
    for i in improving:
        s, k, pi = (int(v) for v in np.unravel_index(int(i), d.shape))
        posts = table.posts[pi]
        columns.append((s, game.canonical_posture(s, k, posts), posts))
    return bound, columns


#: The orders of moves tried for the bound's duals (Lemma 6): ``c`` moves every class's
#: dual, ``f`` every feature's; the best bound of the orders is kept.
SHIFT_ORDERS = ("c", "fc")


def shifted_duals(master: Master, duals: np.ndarray, order: str,
                  pricing: HistoryPricing | None = None) -> tuple[np.ndarray, float]:
    """``duals`` with the class and feature rows' duals moved (docs/nightly.md §3c, Lemma 6),
    and the least J reduced cost at the moved duals (the history part of the bound).

    Each move ``c`` adds to every class's dual the least reduced cost of a J leaving it
    (Lemma 4's move), each ``f`` to every feature's the least of a J entering it. After a
    move no J prices below 0, so every later move is by ≥ 0 and only raises the nights' D.
    ``pricing``: the scan at ``duals``, when the caller has it."""
    index = master.history_index
    shifted = np.array(duals, dtype=float, copy=True)
    if pricing is None:
        pricing = master.price_history(shifted, PRICING_TOLERANCE, 0)
    for move in order:
        values, rows = ((pricing.class_least, index.class_rows) if move == "c"
                        else (pricing.feature_least, index.feature_rows))
        finite = np.isfinite(values)
        shifted[rows[finite]] += values[finite]
        pricing = master.price_history(shifted, PRICING_TOLERANCE, 0)
    least = pricing.least if np.isfinite(pricing.least) else 0.0
    return shifted, least


def _posture_bound(master: Master, pricer: PosturePricer | KnapsackPricer, at: np.ndarray,
                   history: HistoryPricing | None = None) -> tuple[float, list[Any]]:
    """The Lagrangian bound at ``at`` with its class and feature duals moved (the best of
    :data:`SHIFT_ORDERS`), and the candidate postures of the best. ``history``: the J scan
    at ``at``, when the caller has it."""
    if not master.history:
        pricer.prepare(at)
        return _price_postures(pricer, at)
    best: tuple[float, list[Any]] = (-np.inf, [])
    # every order starts from the scan at ``at``
    unmoved = history if history is not None else master.price_history(at, PRICING_TOLERANCE, 0)
    for order in SHIFT_ORDERS:
        shifted, least = shifted_duals(master, at, order, unmoved)
        pricer.prepare(shifted)
        bound, candidates = _price_postures(pricer, shifted)
        if bound + least > best[0]:
            best = (bound + least, candidates)
    return best


def column_generation(master: Master, table: TypeTable,
                      pricer: PosturePricer | KnapsackPricer | None,
                      deadline: float | None, progress: Progress | None,
                      floor: float = 0.0) -> GenerationResult:
    """Run column generation on ``master`` until the bound meets the value (or time is up);
    see :class:`ColumnGeneration`."""
    return ColumnGeneration(master, table, pricer, progress, floor).run(deadline)


class ColumnGeneration:
    """Column generation on ``master``, which a caller may stop and go on with.

    The Lagrangian bound at duals y is ``min_n B(n) + min_{y,f} rc_J(y, f)`` (posture
    pricing plus the history variables, of which only some are in the master). ``floor``:
    a lower bound proven otherwise (the blind relaxation's, :mod:`.relax`); a result's
    bound is the best of the two and of the spread bound (§3e), while smoothing follows the
    Lagrangian bound alone. Each :meth:`run` goes on from where the last stopped, with its
    best bound, smoothing centre and counters (the blind relaxation is paused for a look at
    what its lift costs the game, docs/nightly.md §3d).
    """

    def __init__(self, master: Master, table: TypeTable,
                 pricer: PosturePricer | KnapsackPricer | None,
                 progress: Progress | None = None, floor: float = 0.0) -> None:
        self.master, self.table, self.pricer = master, table, pricer
        self.progress, self.floor = progress, floor
        self.lower_bound = 0.0  # the best Lagrangian bound, which smoothing follows
        self.spread = -np.inf  # the best spread bound (§3e), at the end of a run
        self.best_duals: np.ndarray | None = None
        self.first_gap: float | None = None
        self.rounds = self.pricings = 0
        self.previous: MasterSolution | None = None
        if floor > 0.0:
            master.expect(floor)  # its first solve already at the tolerances of its size

    def run(self, deadline: float | None) -> GenerationResult:
        """Rounds until the bound meets the value, or the master is optimal, or
        ``deadline`` (a :func:`time.perf_counter` time) passes; the first master of all is
        solved whatever the time (a plan needs it)."""
        master, pricer, floor = self.master, self.pricer, self.floor
        status = "optimal"
        while True:
            self.rounds += 1
            # later masters stop at the deadline, keeping the last optimum and its bound
            remaining = (None if deadline is None or self.previous is None
                         else deadline - time.perf_counter())
            try:
                solved = master.solve(remaining)
            except SolverError:
                if self.previous is None:
                    raise
                # HiGHS failed even cold on the grown master: keep the last optimum and bound
                solution, status = self.previous, "stalled"
                break
            if solved is None:
                assert self.previous is not None
                solution, status = self.previous, "time_limit"
                break
            solution = self.previous = solved
            mu = float(solution.row_duals[0])
            duals = master.dual_vector(solution.row_duals)
            # one J scan at the master's duals: the entering J, and the bound's start there
            history = (master.price_history(duals, PRICING_TOLERANCE, HISTORY_PER_ROUND)
                       if master.history else None)
            new: list[Block] = []
            if pricer is None:
                self.pricings += 1
                bound, columns = _type_columns(master, self.table, solution.row_duals, mu,
                                               history)
                new = [single(column) for column in columns]
                self.lower_bound = max(self.lower_bound, bound)
            else:
                new = self._price(solution, duals, history, mu, deadline)
            gap = solution.objective - max(floor, self.lower_bound)
            if self.first_gap is None:
                self.first_gap = max(gap, 1e-12)
            if self.progress is not None:
                closed = 1.0 - max(gap, 0.0) / self.first_gap
                self.progress(f"round {self.rounds}: risk {solution.objective:.7g}, "
                              f"bound {max(floor, self.lower_bound, self.spread):.7g}",
                              min(max(closed, 0.0), 1.0))
            if gap <= GAP_TOLERANCE:
                break
            added = master.add_blocks(new)
            if history is not None:
                added += master.add_history(int(j) for j in history.entering)
            if added == 0:
                # nothing prices out at the master's duals: optimal up to the LP's tolerances
                if gap > STALL_TOLERANCE:
                    status = "stalled"
                break
            if deadline is not None and time.perf_counter() > deadline:
                status = "time_limit"
                break
        if (isinstance(pricer, KnapsackPricer)
                and not any(a.weight > 0.0 for a in master.game.lead1)
                and solution.objective - max(floor, self.lower_bound) > GAP_TOLERANCE):
            # every best response is lead 0: spread their duals over the cheap sites (§3e);
            # kept apart, so that a run gone on with follows the same path as one not stopped
            self.spread = max(self.spread, self._spread(pricer, solution))
        bound = max(floor, self.lower_bound, self.spread)
        if status == "stalled" and solution.objective - bound <= STALL_TOLERANCE:
            status = "optimal"  # nothing priced out, and the spread bound closes the gap
        return GenerationResult(solution, bound, status, self.rounds, self.pricings)

    def _price(self, solution: MasterSolution, duals: np.ndarray,
               history: HistoryPricing | None, mu: float, deadline: float | None
               ) -> list[Block]:
        """One round's pricing: the bound at the smoothed duals (raising the best bound and
        its duals), and the entering blocks at the master's, priced again at the master's
        duals when smoothing found none (mispricing)."""
        master, pricer = self.master, self.pricer
        assert pricer is not None
        smoothed = self.best_duals is not None and SMOOTHING > 0.0
        new: list[Block] = []
        while True:
            at = (SMOOTHING * self.best_duals + (1.0 - SMOOTHING) * duals
                  if smoothed and self.best_duals is not None else duals)
            # the bound prices at duals whose class and feature parts are moved so that no
            # J prices below 0 (§3c, Lemmas 4 and 6)
            bound, candidates = _posture_bound(master, pricer, at,
                                               history if at is duals else None)
            self.pricings += 1
            if bound > self.lower_bound:
                self.lower_bound, self.best_duals = bound, at.copy()
            if solution.objective - max(self.floor, self.lower_bound) <= GAP_TOLERANCE:
                break
            pricer.prepare(duals)  # entering: the P columns' own reduced costs
            new = _posture_blocks(master, pricer, candidates, mu)
            if new or not smoothed:
                break
            if deadline is not None and time.perf_counter() > deadline:
                break
            smoothed = False  # mispricing: price again at the master's duals
        return new

    def _spread(self, pricer: KnapsackPricer, solution: MasterSolution) -> float:
        """The spread bound of :mod:`.spread` at ``solution``."""
        master = self.master

        def bound_at(row_duals: np.ndarray) -> float:
            self.pricings += 1
            return _posture_bound(master, pricer, master.dual_vector(row_duals))[0]

        return spread_bound(master, pricer, solution, bound_at)
