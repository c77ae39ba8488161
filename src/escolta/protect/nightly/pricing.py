"""Exact pricing of reduced nights, and the Lagrangian lower bound.

Given the master's duals (μ on convexity, y on the other rows), a reduced night
``ω = (s, n, p)`` costs ``D(s, n_s, p) = cost(ω) − Σ_r y_r A_rω`` over every row except
convexity and the posture rows: it depends on the posture only through ``n_s`` (when no
lead-1 adversary watches the posture), so ``D`` is a small table over *types* ``(s, k, p)``.

The lead-0 posture watcher (weight W, success ``c_a(k) = success_a[k]/R_a``) is kept out of
the duals and priced exactly, one posture at a time (a Dantzig–Wolfe block per posture): the
best a posture n can do against the duals is

    B(n) = min_{x ∈ Δ} W · max_a c_a(n_a) x_a + Σ_a x_a h_a(n),
    h_a(n) = min_{p consistent with n} D(a, n_a, p),

whose optimum spreads the principal over a prefix A of the sites sorted by ``h`` in
proportions ``∝ 1/c_a``: ``B(n) = min_A (W + Σ_A h_a/c_a) / Σ_A 1/c_a`` (a site with
``c_a = 0`` alone gives ``h_a``). Then

- ``min_n B(n)`` is a valid lower bound on the optimal risk for *any* duals y that are
  feasible for the master's ``v`` and ``J`` columns (Lagrangian relaxation: each
  ``Σ_t y_θσt ≤ w_θ`` and ``loss ≥ 0`` give ``Σ_t y loss ≤ w_θ max_t loss``; the posture
  cost is positively homogeneous per posture, so its minimum over the simplex sits on one
  posture); at the master's optimum over all columns it equals the optimum (LP duality);
- a posture with ``B(n) < μ`` holds a night of negative reduced cost (for a posture already
  in the master, under its current duals; for a new one, for every completion of its duals),
  and when no posture does the master is optimal: this is the stopping test.

This is ASPEN-style column generation (Jain et al., AAAI 2010) with an exact pricing oracle
that enumerates postures in compiled code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
import scipy.sparse as sp

from escolta.protect.nightly.master import Master
from escolta.protect.nightly.reduce import (
    Column,
    ReducedGame,
    insider_post_combinations,
    valid_type_array,
    valid_types,
)
from escolta.protect.nightly.type_arrays import (
    TypeArrays,
    has_fast_entries,
    static_entry_matrix,
    type_arrays,
)

INF = np.inf


def is_separable(game: ReducedGame) -> bool:
    """Whether ``D(s, k, p) = F(s, k) + Σ_i G_i(s, k, p_i)``: no row or cost of the master
    depends on the posts of two insider teams at once. Yesterday's class (and tonight's
    feature) couples every lead-1 adversary's teams; a hostile chain couples the teams it
    sees or holds."""
    lead1: set[int] = set()
    for adversary in game.adversaries:
        teams = game.dependencies(adversary)
        if adversary.role == "lead1":
            lead1 |= teams
        elif len(teams) > 1:
            return False
    return len(lead1) <= 1


@dataclass(frozen=True)
class TypeTable:
    """The part of a column that depends on its type ``(s, k, p)`` (posture rows aside).

    Non-separable: one type per ``(s, k, placement)``, ``index[s, k, placement]``.
    Separable: the base types ``(s, k, (0, …, 0))`` (``index[s, k]``) and the types that
    move one insider ``i`` to site q (``single[i, s, k, q]``).
    """

    separable: bool
    posts: tuple[tuple[int, ...], ...]  # every placement of the insider teams
    post_sites: np.ndarray  # (n_posts, n_ins) sites of each placement
    valid: np.ndarray  # (S, T+1, n_posts): some legal night has this type
    index: np.ndarray
    single: np.ndarray
    cost: np.ndarray
    matrix: sp.csc_matrix  # static rows x types


def table_types(game: ReducedGame) -> list[tuple[int, int, tuple[int, ...]]]:
    """The types whose columns the table holds: every valid type, or (separable) the base
    placement ``(0, …, 0)`` and every one-insider move from it, valid or not. Written plainly,
    as the reference that :func:`.type_arrays.type_arrays` (what the solvers build) is
    checked against in tests/protect/test_type_arrays.py."""
    S, K, n_ins = game.n_sites, game.n_teams + 1, game.n_insider_teams
    if not is_separable(game):
        return valid_types(game)
    base = tuple(0 for _ in range(n_ins))
    out = []
    for s in range(S):
        for k in range(K):
            out.append((s, k, base))
            for i in range(n_ins):
                out.extend((s, k, base[:i] + (q,) + base[i + 1:]) for q in range(1, S))
    return out


def build_type_table(master: Master, types: TypeArrays | None = None) -> TypeTable:
    """The table of :class:`TypeTable` for the master's static rows; ``types`` (the
    master's classes and features were made from them) saves building them again."""
    game = master.game
    S, K, n_ins = game.n_sites, game.n_teams + 1, game.n_insider_teams
    posts = insider_post_combinations(game)
    post_sites = np.array(posts, dtype=np.int64).reshape(len(posts), n_ins)
    separable = is_separable(game)
    # a separable table with a posture watcher never spreads D over every placement (and
    # at scale S·(T+1)·S^I would not fit): its validity array stays empty
    valid = (valid_type_array(game) if not separable or game.posture_weight <= 0.0
             else np.zeros((0, 0, 0), dtype=bool))
    if types is None:
        types = type_arrays(game, separable)
    if separable:  # the order of _separable_types: per (s, k) the base, then each move
        block = 1 + n_ins * (S - 1)
        index = (np.arange(S * K, dtype=np.int64) * block).reshape(S, K)
        single = np.empty((n_ins, S, K, S), dtype=np.int64)
        for i in range(n_ins):
            single[i, :, :, 0] = index
            single[i, :, :, 1:] = (index[:, :, None] + 1 + i * (S - 1)
                                   + np.arange(S - 1)[None, None, :])
    else:  # the valid types in C order of the validity array
        index = np.full((S, K, len(posts)), -1, dtype=np.int64)
        index[valid_type_array(game)] = np.arange(len(types))
        single = np.zeros((0,), dtype=np.int64)
    if has_fast_entries(game):
        costs, matrix = static_entry_matrix(game, types, master.rows, master.n_static_rows)
    else:
        costs = np.empty(len(types))
        rows_, cols_, vals_ = [], [], []
        for t in range(len(types)):
            cost, entries = master.static_entries(types.column(game, t))
            costs[t] = cost
            for key, value in entries:
                rows_.append(master.rows[key])
                cols_.append(t)
                vals_.append(value)
        matrix = sp.csc_matrix((vals_, (rows_, cols_)),
                               shape=(master.n_static_rows, len(types)))
    return TypeTable(separable, tuple(posts), post_sites, valid, index, single, costs, matrix)


def _type_values(table: TypeTable, row_duals: np.ndarray, n_static_rows: int) -> np.ndarray:
    """``D`` of every type (the bound's class and feature moves are in ``row_duals``
    already: docs/nightly.md §3c)."""
    y = row_duals[:n_static_rows].copy()
    y[0] = 0.0  # convexity is μ, kept apart
    return table.cost - table.matrix.T @ y


def type_parts(table: TypeTable, row_duals: np.ndarray, n_static_rows: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """Separable tables: ``F[s, k]`` and ``G[i, s, k, q]`` with ``D = F + Σ_i G_i``."""
    d = _type_values(table, row_duals, n_static_rows)
    base = d[table.index]
    if table.single.size:
        moved = d[table.single] - base[None, :, :, None]
    else:
        moved = np.zeros((0,) + base.shape + (base.shape[0],))
    return base, moved


def type_costs(table: TypeTable, row_duals: np.ndarray, n_static_rows: int) -> np.ndarray:
    """``D(s, k, p)`` as an array over (S, T+1, placements); ``inf`` for invalid types."""
    if table.separable:
        base, moved = type_parts(table, row_duals, n_static_rows)
        full = np.repeat(base[:, :, None], len(table.posts), axis=2)
        for i in range(moved.shape[0]):
            full += moved[i][:, :, table.post_sites[:, i]]
    else:
        d = _type_values(table, row_duals, n_static_rows)
        full = np.zeros(table.index.shape)
        full[table.valid] = d[table.index[table.valid]]
    full[~table.valid] = INF
    return full


# ---------------------------------------------------------------------- posture enumeration


def count_postures(n_sites: int, n_teams: int) -> int:
    return math.comb(n_teams + n_sites - 1, n_sites - 1)


@numba.njit(cache=True)
def _fill_postures(n_sites: int, n_teams: int, out: np.ndarray) -> None:  # pragma: no cover
    n = np.zeros(n_sites, dtype=np.int16)
    n[n_sites - 1] = n_teams
    i = 0
    while True:
        out[i, :] = n
        i += 1
        j = n_sites - 2
        suffix = n[n_sites - 1]
        while j >= 0 and suffix == 0:
            suffix += n[j]
            j -= 1
        # now j is the rightmost index < S-1 with a positive sum after it, or -1
        if j < 0:
            return
        n[j] += 1
        remaining = suffix - 1
        for q in range(j + 1, n_sites):
            n[q] = 0
        n[n_sites - 1] = remaining


def all_postures_fast(n_sites: int, n_teams: int) -> np.ndarray:
    """Every posture, one row each (lexicographic order), built in compiled code."""
    out = np.zeros((count_postures(n_sites, n_teams), n_sites), dtype=np.int16)
    if n_sites == 1:
        out[0, 0] = n_teams
        return out
    _fill_postures(n_sites, n_teams, out)
    return out


@numba.njit(cache=True)
def _h_values(posture, d, order, post_sites, min_teams, h, c_out, c_table, best_post,
              counts):  # pragma: no cover
    n_sites = posture.shape[0]
    n_posts = d.shape[2]
    n_insiders = post_sites.shape[1]
    nv = 0
    for a in range(n_sites):
        k = posture[a]
        if k < min_teams:
            continue
        for r in range(n_posts):
            pi = order[a, k, r]
            value = d[a, k, pi]
            if value == np.inf:
                break
            ok = True
            for t in range(n_insiders):
                q = post_sites[pi, t]
                counts[q] += 1
                if counts[q] > posture[q]:
                    ok = False
            for t in range(n_insiders):
                counts[post_sites[pi, t]] -= 1
            if ok:
                h[nv] = value
                c_out[nv] = c_table[a, k]
                best_post[nv] = a * n_posts + pi
                nv += 1
                break
    return nv


#: A posture watcher's success below this counts as 0 (keeps 1/c finite; the bound only
#: drops by at most W times this, so it stays valid).
_NEGLIGIBLE = 1e-15


@numba.njit(cache=True)
def _block_value(h, c, nv, weight):  # pragma: no cover
    """``B(n)`` from the ``nv`` pairs ``(h_a, c_a)``; sorts ``h`` and ``c`` in place."""
    if nv == 0:
        return np.inf
    for i in range(1, nv):  # insertion sort by h (nv is at most the number of sites)
        hi, ci = h[i], c[i]
        j = i - 1
        while j >= 0 and h[j] > hi:
            h[j + 1] = h[j]
            c[j + 1] = c[j]
            j -= 1
        h[j + 1] = hi
        c[j + 1] = ci
    if weight <= 0.0:
        return h[0]
    best = np.inf
    inverse = 0.0
    weighted = 0.0
    for i in range(nv):
        if c[i] <= _NEGLIGIBLE:  # success ~0: hides the principal at cost h alone
            if h[i] < best:
                best = h[i]
            continue
        inverse += 1.0 / c[i]
        weighted += h[i] / c[i]
        value = (weight + weighted) / inverse
        if value < best:
            best = value
    return best


#: Postures are priced in this many chunks, spread over the cores.
_CHUNKS = 16


def _posture_bounds_py(postures, d, order, post_sites, min_teams, c_table, weight,
                    out):  # pragma: no cover
    n_sites = postures.shape[1]
    n = postures.shape[0]
    for chunk in numba.prange(_CHUNKS):
        h = np.empty(n_sites)
        c = np.empty(n_sites)
        best_post = np.empty(n_sites, dtype=np.int64)
        counts = np.zeros(n_sites, dtype=np.int64)
        for i in range(chunk * n // _CHUNKS, (chunk + 1) * n // _CHUNKS):
            nv = _h_values(postures[i], d, order, post_sites, min_teams, h, c, c_table,
                           best_post, counts)
            out[i] = _block_value(h, c, nv, weight)


@numba.njit(cache=True)
def _h_separable(posture, base, moved, order, min_teams, c_table, h, c_out, site_out,
                 post_out, cand_q, cand_v, n_cand, choice, counts):  # pragma: no cover
    """h_a(n) for a separable table: each insider among its I best occupied sites (an
    insider's optimum is among them: the others block at most I - 1 sites)."""
    n_sites = posture.shape[0]
    n_insiders = moved.shape[0]
    nv = 0
    for a in range(n_sites):
        k = posture[a]
        if k < min_teams:
            continue
        feasible = True
        for i in range(n_insiders):
            m = 0
            for r in range(n_sites):
                q = order[i, a, k, r]
                if posture[q] >= 1:
                    cand_q[i, m] = q
                    cand_v[i, m] = moved[i, a, k, q]
                    m += 1
                    if m == n_insiders:
                        break
            n_cand[i] = m
            if m == 0:
                feasible = False
        if not feasible:
            continue
        best = np.inf
        for i in range(n_insiders):
            choice[i] = 0
        while True:
            total = 0.0
            ok = True
            for i in range(n_insiders):
                q = cand_q[i, choice[i]]
                counts[q] += 1
                if counts[q] > posture[q]:
                    ok = False
                total += cand_v[i, choice[i]]
            for i in range(n_insiders):
                counts[cand_q[i, choice[i]]] -= 1
            if ok and total < best:
                best = total
                for i in range(n_insiders):
                    post_out[nv, i] = cand_q[i, choice[i]]
            i = 0
            while i < n_insiders:
                choice[i] += 1
                if choice[i] < n_cand[i]:
                    break
                choice[i] = 0
                i += 1
            if i == n_insiders:
                break
        if best < np.inf:
            h[nv] = base[a, k] + best
            c_out[nv] = c_table[a, k]
            site_out[nv] = a
            nv += 1
    return nv


def _posture_bounds_separable_py(postures, base, moved, order, min_teams, c_table, weight,
                              out):  # pragma: no cover
    n_sites = postures.shape[1]
    n = postures.shape[0]
    width = max(moved.shape[0], 1)
    for chunk in numba.prange(_CHUNKS):
        h = np.empty(n_sites)
        c = np.empty(n_sites)
        site_out = np.empty(n_sites, dtype=np.int64)
        post_out = np.empty((n_sites, width), dtype=np.int64)
        cand_q = np.empty((width, width), dtype=np.int64)
        cand_v = np.empty((width, width))
        n_cand = np.empty(width, dtype=np.int64)
        choice = np.empty(width, dtype=np.int64)
        counts = np.zeros(n_sites, dtype=np.int64)
        for i in range(chunk * n // _CHUNKS, (chunk + 1) * n // _CHUNKS):
            nv = _h_separable(postures[i], base, moved, order, min_teams, c_table, h, c,
                              site_out, post_out, cand_q, cand_v, n_cand, choice, counts)
            out[i] = _block_value(h, c, nv, weight)


# Each kernel twice: serial (quick to compile) and parallel over the cores (slower to
# compile, worth it when there are many postures: docs/nightly.md has the figures).
# ``prange`` is ``range`` when serial.
_posture_bounds = numba.njit(cache=True)(_posture_bounds_py)
_posture_bounds_parallel = numba.njit(cache=True, parallel=True)(_posture_bounds_py)
_posture_bounds_separable = numba.njit(cache=True)(_posture_bounds_separable_py)
_posture_bounds_separable_parallel = numba.njit(cache=True, parallel=True)(
    _posture_bounds_separable_py)

#: Above this many postures the pricing runs in parallel.
PARALLEL_POSTURES = 200_000


class PosturePricer:
    """Prices every posture against the duals (numba-compiled enumeration).

    Call :meth:`prepare` with duals, then :meth:`bounds` and :meth:`block`.
    """

    def __init__(self, game: ReducedGame, table: TypeTable, n_static_rows: int) -> None:
        self.game = game
        self.table = table
        self.n_static_rows = n_static_rows
        self.postures = all_postures_fast(game.n_sites, game.n_teams)
        self.c_table = np.array([[game.posture_loss(a, k) for k in range(game.n_teams + 1)]
                                 for a in range(game.n_sites)])
        self._tables: tuple[np.ndarray, ...] = ()

    def prepare(self, row_duals: np.ndarray) -> None:
        """Price against ``row_duals`` (for the bound, duals whose class and feature parts
        are moved: docs/nightly.md §3c, Lemma 6)."""
        if self.table.separable:
            base, moved = type_parts(self.table, row_duals, self.n_static_rows)
            order = np.argsort(moved, axis=3, kind="stable")
            self._tables = (base, moved, order)
        else:
            d = type_costs(self.table, row_duals, self.n_static_rows)
            self._tables = (d, np.argsort(d, axis=2, kind="stable"))

    def bounds(self) -> np.ndarray:
        """``B(n)`` for every posture (in the order of :attr:`postures`)."""
        out = np.empty(len(self.postures))
        game = self.game
        parallel = len(self.postures) > PARALLEL_POSTURES
        if self.table.separable:
            base, moved, order = self._tables
            kernel = (_posture_bounds_separable_parallel if parallel
                      else _posture_bounds_separable)
            kernel(self.postures, base, moved, order, game.min_teams, self.c_table,
                   game.posture_weight, out)
        else:
            d, order = self._tables
            kernel = _posture_bounds_parallel if parallel else _posture_bounds
            kernel(self.postures, d, order, self.table.post_sites, game.min_teams,
                   self.c_table, game.posture_weight, out)
        return out

    def block(self, i: int) -> tuple[list[int], np.ndarray, np.ndarray, list[Column]]:
        """Posture number ``i`` against the prepared duals: the sites a where the principal
        may be, ``h_a(n)``, ``c_a(n_a)``, and the best reduced night ``(a, n, p)`` of each."""
        posture = self.postures[i]
        S, n_ins = self.game.n_sites, self.game.n_insider_teams
        h = np.empty(S)
        c = np.empty(S)
        site_posts: list[tuple[int, tuple[int, ...]]] = []
        if self.table.separable:
            base, moved, order = self._tables
            site_out = np.empty(S, dtype=np.int64)
            post_out = np.empty((S, max(n_ins, 1)), dtype=np.int64)
            width = max(n_ins, 1)
            nv = _h_separable(posture, base, moved, order, self.game.min_teams, self.c_table,
                              h, c, site_out, post_out, np.empty((width, width), dtype=np.int64),
                              np.empty((width, width)), np.empty(width, dtype=np.int64),
                              np.empty(width, dtype=np.int64), np.zeros(S, dtype=np.int64))
            site_posts = [(int(site_out[r]), tuple(int(q) for q in post_out[r, :n_ins]))
                          for r in range(nv)]
        else:
            d, order = self._tables
            best_post = np.empty(S, dtype=np.int64)
            nv = _h_values(posture, d, order, self.table.post_sites, self.game.min_teams, h, c,
                           self.c_table, best_post, np.zeros(S, dtype=np.int64))
            n_posts = d.shape[2]
            for r in range(nv):
                a, pi = divmod(int(best_post[r]), n_posts)
                site_posts.append((a, self.table.posts[pi]))
        key = tuple(int(v) for v in posture)
        columns = [(a, key, posts) for a, posts in site_posts]
        return [a for a, _ in site_posts], h[:nv].copy(), c[:nv].copy(), columns
