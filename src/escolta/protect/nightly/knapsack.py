"""Exact posture pricing without enumerating postures: a knapsack over sites.

The enumeration of :mod:`.pricing` prices every posture, ``C(T+S−1, S−1)`` of them each
round (636 million at 30 sites and 10 teams). It need not (docs/nightly.md §3b). With
``B(n)`` the block value of posture n and λ a number,

    B(n) < λ  ⇔  Φ_λ(n) = W + Σ_a min(0, (h_a(n) − λ) / c_a(n_a)) < 0

(a site with ``c_a = 0`` counts ``−∞`` when ``h_a(n) < λ``), because the minimum of B over
the simplex sits on a set A of sites: ``(W + Σ_A h/c) / Σ_A 1/c < λ ⇔ W + Σ_A (h − λ)/c < 0``.
When ``h_a(n)`` depends on n only through ``n_a`` (no insider teams), ``Φ_λ`` is a sum of
one term per site and ``min_n Φ_λ`` is a knapsack over sites with the teams as capacity:
a dynamic programme in ``O(S·T²)`` (:func:`knapsack_min`). ``min_n B(n)``, the posture part
of the Lagrangian bound, follows by Dinkelbach's iterations λ ← B(n_λ) on the same DP
(Dinkelbach, *On nonlinear fractional programming*, Management Science 13, 1967), which
end, after finitely many steps, at the exact minimum.

Insider teams make ``h_a(n)`` depend on the rest of the posture: an insider team stands
only where teams stand. Relaxing that (each insider team may stand at any site whose
upper bound allows it) gives a separable lower bound ``h̃_a(n_a) ≤ h_a(n)``; a branch and
bound over the sites' team counts restores exactness (:func:`min_phi`): where the relaxed
optimum posts an insider team at a site q with fewer teams than it needs (``m > n_q``), the
postures split into ``n_q ≤ m − 1`` (the insider team's post is capped there) and
``n_q ≥ m``, each relaxed again. A node whose relaxed optimum is consistent with its
posture is solved exactly; the search ends when no open node's relaxed value is below the
best posture found.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass

import numba
import numpy as np

from escolta.protect.nightly.pricing import (
    _NEGLIGIBLE,
    TypeTable,
    _block_value,
    type_costs,
    type_parts,
)
from escolta.protect.nightly.reduce import Column, ReducedGame

#: A site whose posture success is ~0 with h below λ makes Φ_λ this low (it is −∞).
_MINUS_INFINITY = -1e30
#: Most nodes one branch and bound explores before it settles for the relaxed bound.
MAX_NODES = 4000
#: Most Dinkelbach iterations per pricing (each strictly lowers λ; a handful is usual).
MAX_DINKELBACH = 60
#: Most extra postures (the best of each site and count) one pricing evaluates: more below
#: ``SMALL_GAME`` sites × teams, fewer above, where each evaluation and each column in the
#: master cost more. Measured (benchmarks/bench_national.py sizes, one run each, quiet
#: machine): 40 against 200 at 20 × 10 0.71 / 0.90 s, 30 × 10 2.5 / 7.1 s, 50 × 6 11.0 /
#: 18.8 s (0 extra: 1.5, 5.0, 10.9 s); at 100 × 30 200 reaches a smaller gap in 60 s
#: (1.2e-5 against 1.5e-5). Only the speed depends on them: exactness does not (§3c).
ALTERNATIVES = 200
ALTERNATIVES_SMALL = 40
SMALL_GAME = 1000
#: Φ_λ above −this counts as non-negative: B(n) ≥ λ up to about this times c (≤ 1).
PHI_TOLERANCE = 1e-11


# ----------------------------------------------------------------- best insider posts


@numba.njit(cache=True)
def _best_separable(a, k, base, moved, order, cap, n_anon, n_teams, n_sites, cand_q, cand_v,
                    n_cand, choice, counts, posts):  # pragma: no cover
    """``min_p D(a, k, p)`` over placements p of the insider teams with at most ``k`` of
    them at a, at most ``cap[q]`` at q ≠ a, at least ``k − n_anon`` at a and at most
    ``T − k`` elsewhere (type validity). Each insider team's post is a or one of its I best
    other sites with room (the others of the I best are taken by at most I − 1 insider
    teams, so a better free one is left). Writes the placement to ``posts``; inf if none."""
    n_ins = moved.shape[0]
    if n_ins == 0:
        return base[a, k]
    for i in range(n_ins):
        m = 0
        if k >= 1:
            cand_q[i, 0] = a
            cand_v[i, 0] = moved[i, a, k, a]
            m = 1
        found = 0
        for r in range(n_sites):
            q = order[i, a, k, r]
            if q == a or cap[q] < 1:
                continue
            cand_q[i, m] = q
            cand_v[i, m] = moved[i, a, k, q]
            m += 1
            found += 1
            if found == n_ins:
                break
        n_cand[i] = m
        if m == 0:
            return np.inf
        choice[i] = 0
    best = np.inf
    while True:
        total = 0.0
        ok = True
        here = 0
        for i in range(n_ins):
            q = cand_q[i, choice[i]]
            counts[q] += 1
            if q == a:
                here += 1
            elif counts[q] > cap[q]:
                ok = False
            total += cand_v[i, choice[i]]
        for i in range(n_ins):
            counts[cand_q[i, choice[i]]] -= 1
        if here > k or here < k - n_anon or n_ins - here > n_teams - k:
            ok = False
        if ok and total < best:
            best = total
            for i in range(n_ins):
                posts[i] = cand_q[i, choice[i]]
        i = 0
        while i < n_ins:
            choice[i] += 1
            if choice[i] < n_cand[i]:
                break
            choice[i] = 0
            i += 1
        if i == n_ins:
            break
    return base[a, k] + best


@numba.njit(cache=True)
def _best_general(a, k, d, order, post_sites, cap, counts, posts):  # pragma: no cover
    """``min_p D(a, k, p)`` over the placements of a general (non-separable) table with
    at most ``k`` insider teams at a and ``cap[q]`` at q ≠ a (inf marks invalid types)."""
    n_posts = d.shape[2]
    n_ins = post_sites.shape[1]
    for r in range(n_posts):
        pi = order[a, k, r]
        value = d[a, k, pi]
        if value == np.inf:
            return np.inf
        ok = True
        for i in range(n_ins):
            q = post_sites[pi, i]
            counts[q] += 1
            if counts[q] > (k if q == a else cap[q]):
                ok = False
        for i in range(n_ins):
            counts[post_sites[pi, i]] -= 1
        if ok:
            for i in range(n_ins):
                posts[i] = post_sites[pi, i]
            return value
    return np.inf


@numba.njit(cache=True)
def _relaxed_separable(base, moved, order, cap, min_teams, n_anon, h, posts
                       ):  # pragma: no cover
    """``h̃[a, k]`` (and its placement) for every site and team count, insider posts
    capped by ``cap`` (a posture's counts make it exact for that posture)."""
    n_sites, n_k = base.shape
    n_teams = n_k - 1
    width = max(moved.shape[0], 1)
    cand_q = np.empty((width, width + 1), dtype=np.int64)
    cand_v = np.empty((width, width + 1))
    n_cand = np.empty(width, dtype=np.int64)
    choice = np.empty(width, dtype=np.int64)
    counts = np.zeros(n_sites, dtype=np.int64)
    for a in range(n_sites):
        for k in range(n_k):
            if k < min_teams or k > cap[a] or (n_sites == 1 and k != n_teams):
                h[a, k] = np.inf
                continue
            h[a, k] = _best_separable(a, k, base, moved, order, cap, n_anon, n_teams, n_sites,
                                      cand_q, cand_v, n_cand, choice, counts, posts[a, k])


@numba.njit(cache=True)
def _relaxed_general(d, order, post_sites, cap, min_teams, h, posts):  # pragma: no cover
    n_sites, n_k = d.shape[0], d.shape[1]
    counts = np.zeros(n_sites, dtype=np.int64)
    for a in range(n_sites):
        for k in range(n_k):
            if k < min_teams or k > cap[a]:
                h[a, k] = np.inf
                continue
            h[a, k] = _best_general(a, k, d, order, post_sites, cap, counts, posts[a, k])


@numba.njit(cache=True)
def _at_posture_separable(posture, base, moved, order, min_teams, n_anon, h, posts
                          ):  # pragma: no cover
    """``h_a(n)`` for one posture (the caps are the posture's own counts)."""
    n_sites, n_k = base.shape
    n_teams = n_k - 1
    width = max(moved.shape[0], 1)
    cand_q = np.empty((width, width + 1), dtype=np.int64)
    cand_v = np.empty((width, width + 1))
    n_cand = np.empty(width, dtype=np.int64)
    choice = np.empty(width, dtype=np.int64)
    counts = np.zeros(n_sites, dtype=np.int64)
    for a in range(n_sites):
        k = posture[a]
        if k < min_teams or (n_sites == 1 and k != n_teams):
            h[a] = np.inf
            continue
        h[a] = _best_separable(a, k, base, moved, order, posture, n_anon, n_teams, n_sites,
                               cand_q, cand_v, n_cand, choice, counts, posts[a])


@numba.njit(cache=True)
def _at_posture_general(posture, d, order, post_sites, min_teams, h, posts
                        ):  # pragma: no cover
    counts = np.zeros(d.shape[0], dtype=np.int64)
    for a in range(d.shape[0]):
        k = posture[a]
        if k < min_teams:
            h[a] = np.inf
            continue
        h[a] = _best_general(a, k, d, order, post_sites, posture, counts, posts[a])


# ----------------------------------------------------------------- the knapsack


@numba.njit(cache=True)
def _term(h, c, lam):  # pragma: no cover
    if h == np.inf:
        return 0.0
    if c <= _NEGLIGIBLE:
        return _MINUS_INFINITY if h < lam else 0.0
    value = (h - lam) / c
    return value if value < 0.0 else 0.0


@numba.njit(cache=True)
def knapsack_min(h, c, lo, hi, weight, lam, posture):  # pragma: no cover
    """``min_n W + Σ_a min(0, (h[a, n_a] − λ)/c[a, n_a])`` over postures n with
    ``lo ≤ n ≤ hi`` and ``Σ n = T`` (T = ``h.shape[1] − 1``), by dynamic programming over
    sites (``f_j(t)``: the best of the first j sites holding t teams). Writes the argmin to
    ``posture``; returns ``inf`` when no posture fits the bounds."""
    n_sites, n_k = h.shape
    n_teams = n_k - 1
    f = np.full(n_k, np.inf)
    g = np.empty(n_k)
    take = np.zeros((n_sites, n_k), dtype=np.int64)
    f[0] = 0.0
    for a in range(n_sites):
        g[:] = np.inf
        for t in range(n_k):
            for k in range(lo[a], min(hi[a], t) + 1):
                prev = f[t - k]
                if prev == np.inf:
                    continue
                value = prev + _term(h[a, k], c[a, k], lam)
                if value < g[t]:
                    g[t] = value
                    take[a, t] = k
        f[:] = g
    if f[n_teams] == np.inf:
        return np.inf
    t = n_teams
    for a in range(n_sites - 1, -1, -1):
        posture[a] = take[a, t]
        t -= take[a, t]
    return weight + f[n_teams]


@numba.njit(cache=True)
def _dp_table(h, c, lo, hi, lam, order, f_out, take):  # pragma: no cover
    """The knapsack of :func:`knapsack_min` over the sites in ``order``: ``f_out[j, t]``
    is the best of the first j sites of ``order`` holding t teams, ``take`` the choices."""
    n_k = h.shape[1]
    f_out[0, :] = np.inf
    f_out[0, 0] = 0.0
    for j in range(order.shape[0]):
        a = order[j]
        for t in range(n_k):
            best = np.inf
            for k in range(lo[a], min(hi[a], t) + 1):
                prev = f_out[j, t - k]
                if prev == np.inf:
                    continue
                value = prev + _term(h[a, k], c[a, k], lam)
                if value < best:
                    best = value
                    take[j, t] = k
            f_out[j + 1, t] = best


@numba.njit(cache=True)
def knapsack_alternatives(h, c, lo, hi, weight, lam, most, postures):  # pragma: no cover
    """For every site a and count k, the least Φ_λ over postures with ``n_a = k`` (a DP
    from each end: prefix and suffix tables), and the postures of the ``most`` least of
    them that are below 0, written to ``postures`` (rows; returns how many). These are
    extra entering candidates: each is checked at its true block value before it enters."""
    n_sites, n_k = h.shape
    n_teams = n_k - 1
    forward = np.arange(n_sites)
    backward = forward[::-1].copy()
    f = np.empty((n_sites + 1, n_k))
    g = np.empty((n_sites + 1, n_k))
    take_f = np.zeros((n_sites, n_k), dtype=np.int64)
    take_g = np.zeros((n_sites, n_k), dtype=np.int64)
    _dp_table(h, c, lo, hi, lam, forward, f, take_f)
    _dp_table(h, c, lo, hi, lam, backward, g, take_g)
    value = np.full((n_sites, n_k), np.inf)
    split = np.zeros((n_sites, n_k), dtype=np.int64)
    for a in range(n_sites):
        for k in range(lo[a], hi[a] + 1):
            term = _term(h[a, k], c[a, k], lam)
            for t in range(n_teams - k + 1):
                left = f[a, t]  # sites 0..a-1 hold t
                right = g[n_sites - 1 - a, n_teams - k - t]  # sites a+1.. hold the rest
                if left == np.inf or right == np.inf:
                    continue
                v = weight + left + term + right
                if v < value[a, k]:
                    value[a, k] = v
                    split[a, k] = t
    flat = value.ravel()
    ranked = np.argsort(flat)
    n = 0
    for r in range(min(most, ranked.shape[0])):
        i = ranked[r]
        if not flat[i] < 0.0:
            break
        a, k = i // n_k, i % n_k
        t = split[a, k]
        postures[n, a] = k
        for j in range(a - 1, -1, -1):  # prefix sites, from the table of sites 0..j
            postures[n, j] = take_f[j, t]
            t -= take_f[j, t]
        t = n_teams - k - split[a, k]
        for j in range(n_sites - 1 - a - 1, -1, -1):  # suffix: backward position j
            postures[n, backward[j]] = take_g[j, t]
            t -= take_g[j, t]
        n += 1
    return n


# ----------------------------------------------------------------- the pricer


@dataclass(frozen=True)
class KnapsackPricing:
    """One pricing: a proven lower bound on ``min_n B(n)`` (exact when ``exact``), and the
    postures met on the way with their block values (best first)."""

    bound: float
    exact: bool
    postures: tuple[tuple[int, ...], ...]
    values: tuple[float, ...]
    nodes: int
    iterations: int


class KnapsackPricer:
    """Prices postures against the duals by a knapsack over sites (no enumeration).

    Call :meth:`prepare` with duals, then :meth:`price` and :meth:`block`; the interface of
    :class:`escolta.protect.nightly.pricing.PosturePricer`, with postures as keys.
    """

    def __init__(self, game: ReducedGame, table: TypeTable, n_static_rows: int) -> None:
        self.game = game
        self.table = table
        self.n_static_rows = n_static_rows
        S, K = game.n_sites, game.n_teams + 1
        self.c_table = np.array([[game.posture_loss(a, k) for k in range(K)]
                                 for a in range(S)])
        self.n_ins = game.n_insider_teams
        self._tables: tuple[np.ndarray, ...] = ()
        self.nodes = 0

    # -------------------------------------------------------------- per duals

    def prepare(self, row_duals: np.ndarray) -> None:
        """Price against ``row_duals`` (for the bound, duals whose class and feature parts
        are moved: docs/nightly.md §3c, Lemma 6)."""
        if self.table.separable:
            base, moved = type_parts(self.table, row_duals, self.n_static_rows)
            order = np.argsort(moved, axis=3, kind="stable") if moved.size else \
                np.zeros(moved.shape, dtype=np.int64)
            self._tables = (np.ascontiguousarray(base), np.ascontiguousarray(moved), order)
        else:
            d = type_costs(self.table, row_duals, self.n_static_rows)
            self._tables = (d, np.argsort(d, axis=2, kind="stable"))

    def _relaxed(self, cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        game = self.game
        S, K = game.n_sites, game.n_teams + 1
        h = np.empty((S, K))
        posts = np.zeros((S, K, max(self.n_ins, 1)), dtype=np.int64)
        cap = cap.astype(np.int64)
        if self.table.separable:
            base, moved, order = self._tables
            _relaxed_separable(base, moved, order, cap, game.min_teams, game.n_anonymous, h,
                               posts)
        else:
            d, order = self._tables
            _relaxed_general(d, order, self.table.post_sites, cap, game.min_teams, h, posts)
        return h, posts

    def _true_h(self, posture: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``h_a(n)`` (inf where the principal may not be) and the best placement."""
        game = self.game
        S = game.n_sites
        h = np.empty(S)
        posts = np.zeros((S, max(self.n_ins, 1)), dtype=np.int64)
        posture = posture.astype(np.int64)
        if self.table.separable:
            base, moved, order = self._tables
            _at_posture_separable(posture, base, moved, order, game.min_teams,
                                  game.n_anonymous, h, posts)
        else:
            d, order = self._tables
            _at_posture_general(posture, d, order, self.table.post_sites, game.min_teams, h,
                                posts)
        return h, posts

    def site_values(self) -> np.ndarray:
        """``W·c_a(k) + h̃_a(k)`` for every site a and k = 0..T teams there, at the prepared
        duals (h̃ of the root relaxation, no cap on any site: a lower bound on what a night
        with the principal at a and k teams there costs); ``inf`` where the principal may
        not be (:mod:`.spread` orders sites by it)."""
        game = self.game
        h, _ = self._relaxed(np.full(game.n_sites, game.n_teams))
        return game.posture_weight * self.c_table + h

    def block_value(self, posture: np.ndarray) -> float:
        h, _ = self._true_h(posture)
        c = self.c_table[np.arange(len(posture)), posture]
        keep = np.isfinite(h)
        hv, cv = h[keep].copy(), c[keep].copy()
        return float(_block_value(hv, cv, len(hv), self.game.posture_weight))

    def _phi(self, h_row: np.ndarray, c_row: np.ndarray, lam: float) -> float:
        total = self.game.posture_weight
        for hv, cv in zip(h_row, c_row, strict=True):
            if not math.isfinite(hv):
                continue
            if cv <= _NEGLIGIBLE:
                if hv < lam:
                    return _MINUS_INFINITY
                continue
            total += min(0.0, (hv - lam) / cv)
        return total

    # -------------------------------------------------------------- branch and bound

    def min_phi(self, lam: float, met: dict[tuple[int, ...], float]
                ) -> tuple[float, np.ndarray | None, bool]:
        """``min_n Φ_λ(n)`` by branch and bound: the best posture's value, the posture, and
        whether the search finished (else the value is only an upper bound). Every posture
        evaluated exactly on the way goes into ``met`` with its block value."""
        game = self.game
        S, T = game.n_sites, game.n_teams
        W = game.posture_weight
        sites = np.arange(S)
        best_value, best_posture = math.inf, None
        heap: list[tuple[float, int, np.ndarray, np.ndarray]] = []
        evaluated = 0
        tiebreak = itertools.count()  # never compare the arrays of two equal nodes

        def evaluate(lo: np.ndarray, hi: np.ndarray) -> None:
            nonlocal best_value, best_posture, evaluated
            evaluated += 1
            self.nodes += 1
            h, posts = self._relaxed(hi)
            posture = np.zeros(S, dtype=np.int64)
            value = knapsack_min(h, self.c_table, lo, hi, W, lam, posture)
            if not math.isfinite(value) or value >= best_value - PHI_TOLERANCE:
                return
            true_h, _ = self._true_h(posture)
            c_row = self.c_table[sites, posture]
            true_value = self._phi(true_h, c_row, lam)
            key = tuple(int(v) for v in posture)
            if key not in met:
                finite = np.isfinite(true_h)
                met[key] = float(_block_value(true_h[finite].copy(), c_row[finite].copy(),
                                              int(finite.sum()), W))
            if true_value < best_value:
                best_value, best_posture = true_value, posture
            if true_value <= value + PHI_TOLERANCE:
                return  # the relaxation is exact at this node's optimum: node solved
            # branch at a site of A whose relaxed placement needs more teams at q than n_q
            relaxed_h = h[sites, posture]
            in_a = [a for a in range(S) if relaxed_h[a] < true_h[a] - 1e-14
                    and _term(relaxed_h[a], c_row[a], lam) < 0.0]
            for a in in_a:
                need = np.bincount(posts[a, posture[a], :self.n_ins], minlength=S)
                need[a] = 0
                over = np.flatnonzero(need > posture)
                if len(over) == 0:
                    continue
                q = int(over[0])
                m = int(need[q])
                hi1 = hi.copy()
                hi1[q] = m - 1  # at most m - 1 teams at q: the placement is capped there
                lo2 = lo.copy()
                lo2[q] = m  # at least m teams at q
                for child_lo, child_hi in ((lo, hi1), (lo2, hi)):
                    if np.all(child_lo <= child_hi):
                        heapq.heappush(heap, (value, next(tiebreak), child_lo, child_hi))
                return

        evaluate(np.zeros(S, dtype=np.int64), np.full(S, T, dtype=np.int64))
        while heap and heap[0][0] < best_value - PHI_TOLERANCE:
            if evaluated >= MAX_NODES:
                return best_value, best_posture, False
            _, _, lo, hi = heapq.heappop(heap)
            evaluate(lo, hi)
        return best_value, best_posture, True

    # -------------------------------------------------------------- Dinkelbach

    def price(self, start: float) -> KnapsackPricing:
        """``min_n B(n)`` by Dinkelbach's iterations from λ = ``start`` (the convexity
        dual: the test ``B(n) < μ`` first), and the postures met on the way."""
        met: dict[tuple[int, ...], float] = {}
        lam = start
        exact = False
        bound = -math.inf
        iterations = 0
        nodes_before = self.nodes
        climbed = False
        while iterations < MAX_DINKELBACH:
            iterations += 1
            value, posture, proven = self.min_phi(lam, met)
            if posture is None:
                break  # no posture at all (cannot happen: all teams at one site is one)
            b = met[tuple(int(v) for v in posture)]
            if value < -PHI_TOLERANCE:  # B(posture) < λ: lower λ to it
                if not b < lam:
                    break  # numerical: no progress
                lam = b
                continue
            if not proven:
                break
            # every posture has Φ_λ ≥ 0, so every B(n) ≥ λ
            if not climbed and b > lam:
                # λ (the start) is below every block value: climb to the best met, then
                # come down again to the exact minimum
                bound = lam
                climbed = True
                lam = b
                continue
            bound, exact = lam, True
            break
        if not exact:
            bound = max(bound, self._relaxed_bound())
        self._alternatives(start, met)
        ranked = sorted(met.items(), key=lambda item: item[1])
        if ranked:
            bound = min(bound, ranked[0][1])
        return KnapsackPricing(bound, exact, tuple(p for p, _ in ranked),
                               tuple(v for _, v in ranked), self.nodes - nodes_before,
                               iterations)

    def _alternatives(self, lam: float, met: dict[tuple[int, ...], float]) -> None:
        """Add to ``met`` the best posture of each (site, count) of the root relaxation
        below λ (:func:`knapsack_alternatives`), at their true block values: more entering
        postures per pricing than the one a DP reads back."""
        game = self.game
        S, T = game.n_sites, game.n_teams
        h, _ = self._relaxed(np.full(S, T, dtype=np.int64))
        most = ALTERNATIVES_SMALL if S * T < SMALL_GAME else ALTERNATIVES
        postures = np.zeros((most, S), dtype=np.int64)
        n = knapsack_alternatives(h, self.c_table, np.zeros(S, dtype=np.int64),
                                  np.full(S, T, dtype=np.int64), game.posture_weight, lam,
                                  most, postures)
        for row in postures[:n]:
            key = tuple(int(v) for v in row)
            if key not in met:
                met[key] = self.block_value(row)

    def _relaxed_bound(self) -> float:
        """``min_n B̃(n)`` for the relaxation (insider teams anywhere): a proven lower bound
        on ``min_n B(n)``, by Dinkelbach on the separable knapsack alone."""
        game = self.game
        S, T = game.n_sites, game.n_teams
        h, _ = self._relaxed(np.full(S, T, dtype=np.int64))
        lo = np.zeros(S, dtype=np.int64)
        hi = np.full(S, T, dtype=np.int64)
        posture = np.zeros(S, dtype=np.int64)
        sites = np.arange(S)
        lam = math.inf
        # start from the best single posture: all teams at the cheapest site
        knapsack_min(h, self.c_table, lo, hi, game.posture_weight, 1e300, posture)
        for _ in range(MAX_DINKELBACH):
            hv = h[sites, posture]
            keep = np.isfinite(hv)
            new_lam = float(_block_value(hv[keep].copy(), self.c_table[sites, posture][keep].copy(),
                                         int(keep.sum()), game.posture_weight))
            if not new_lam < lam:
                break
            lam = new_lam
            value = knapsack_min(h, self.c_table, lo, hi, game.posture_weight, lam, posture)
            if value >= -PHI_TOLERANCE:
                break
        return lam if math.isfinite(lam) else -math.inf

    # -------------------------------------------------------------- columns

    def block(self, posture: tuple[int, ...]
              ) -> tuple[list[int], np.ndarray, np.ndarray, list[Column]]:
        """Posture ``posture`` against the prepared duals: the sites a where the principal
        may be, ``h_a(n)``, ``c_a(n_a)``, and the best reduced night ``(a, n, p)`` of each."""
        n = np.array(posture, dtype=np.int64)
        h, posts = self._true_h(n)
        sites = [a for a in range(len(n)) if math.isfinite(h[a])]
        c = self.c_table[np.arange(len(n)), n]
        columns = [(a, tuple(posture), tuple(int(q) for q in posts[a, :self.n_ins]))
                   for a in sites]
        return sites, h[sites].copy(), c[sites].copy(), columns
