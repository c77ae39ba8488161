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
from escolta.protect.nightly.reduce import Column, ReducedGame, insider_post_combinations

INF = np.inf


@dataclass(frozen=True)
class TypeTable:
    """Every valid type ``(s, k, p)`` and its part of a column (posture rows aside)."""

    types: tuple[tuple[int, int, tuple[int, ...]], ...]
    posts: tuple[tuple[int, ...], ...]  # every placement of the insider teams
    index: np.ndarray  # (S, T+1, n_posts) -> type number, or -1
    cost: np.ndarray
    matrix: sp.csc_matrix  # static rows x types
    post_sites: np.ndarray  # (n_posts, I) sites of each placement


def build_type_table(master: Master) -> TypeTable:
    game = master.game
    posts = insider_post_combinations(game)
    index = np.full((game.n_sites, game.n_teams + 1, len(posts)), -1, dtype=np.int64)
    types = []
    costs: list[float] = []
    rows_, cols_, vals_ = [], [], []
    for s in range(game.n_sites):
        for k in range(game.n_teams + 1):
            for pi, p in enumerate(posts):
                if not game.type_is_valid(s, k, p):
                    continue
                column = (s, game.canonical_posture(s, k, p), p)
                cost, entries = master.static_entries(column)
                t = len(types)
                index[s, k, pi] = t
                types.append((s, k, p))
                costs.append(cost)
                for key, value in entries:
                    rows_.append(master.rows[key])
                    cols_.append(t)
                    vals_.append(value)
    n_rows = master.n_static_rows
    matrix = sp.csc_matrix((vals_, (rows_, cols_)), shape=(n_rows, len(types)))
    post_sites = np.array(posts, dtype=np.int64).reshape(len(posts), game.n_insider_teams)
    return TypeTable(tuple(types), tuple(posts), index, np.array(costs), matrix, post_sites)


def type_costs(table: TypeTable, row_duals: np.ndarray, n_static_rows: int) -> np.ndarray:
    """``D(s, k, p)`` as an array over (S, T+1, placements); ``inf`` for invalid types."""
    y = row_duals[:n_static_rows].copy()
    y[0] = 0.0  # convexity is μ, kept apart
    d = table.cost - table.matrix.T @ y
    full = np.full(table.index.shape, INF)
    valid = table.index >= 0
    full[valid] = d[table.index[valid]]
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


@numba.njit(cache=True)
def _block_value(h, c, nv, weight):  # pragma: no cover
    if nv == 0:
        return np.inf
    best = np.inf
    if weight <= 0.0:
        for i in range(nv):
            if h[i] < best:
                best = h[i]
        return best
    order = np.argsort(h[:nv])
    inverse = 0.0
    weighted = 0.0
    for r in range(nv):
        i = order[r]
        if c[i] <= 0.0:
            if h[i] < best:
                best = h[i]
            continue
        inverse += 1.0 / c[i]
        weighted += h[i] / c[i]
        value = (weight + weighted) / inverse
        if value < best:
            best = value
    return best


@numba.njit(cache=True)
def _posture_bounds(postures, d, order, post_sites, min_teams, c_table, weight,
                    out):  # pragma: no cover
    n_sites = postures.shape[1]
    h = np.empty(n_sites)
    c = np.empty(n_sites)
    best_post = np.empty(n_sites, dtype=np.int64)
    counts = np.zeros(n_sites, dtype=np.int64)
    for i in range(postures.shape[0]):
        nv = _h_values(postures[i], d, order, post_sites, min_teams, h, c, c_table,
                       best_post, counts)
        out[i] = _block_value(h, c, nv, weight)


@dataclass(frozen=True)
class PostureBlock:
    """The best columns of one posture against the duals."""

    posture: tuple[int, ...]
    value: float  # B(n)
    columns: tuple[Column, ...]  # (a, n, best p) for each site a with h_a(n) < μ
    reduced: tuple[float, ...]  # h_a(n) for those columns


class PosturePricer:
    """Prices every posture against the duals (numba-compiled enumeration)."""

    def __init__(self, game: ReducedGame, table: TypeTable) -> None:
        self.game = game
        self.table = table
        self.postures = all_postures_fast(game.n_sites, game.n_teams)
        self.c_table = np.array([[game.posture_loss(a, k) for k in range(game.n_teams + 1)]
                                 for a in range(game.n_sites)])

    def bounds(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``B(n)`` for every posture, and the sort order of ``d`` used."""
        order = np.argsort(d, axis=2, kind="stable")
        out = np.empty(len(self.postures))
        _posture_bounds(self.postures, d, order, self.table.post_sites, self.game.min_teams,
                        self.c_table, self.game.posture_weight, out)
        return out, order

    def block(self, i: int, d: np.ndarray, order: np.ndarray, mu: float,
              value: float) -> PostureBlock:
        """The columns of posture number ``i`` worth adding (h_a below μ)."""
        posture = self.postures[i]
        n_sites = self.game.n_sites
        h = np.empty(n_sites)
        c = np.empty(n_sites)
        best_post = np.empty(n_sites, dtype=np.int64)
        counts = np.zeros(n_sites, dtype=np.int64)
        nv = _h_values(posture, d, order, self.table.post_sites, self.game.min_teams, h, c,
                       self.c_table, best_post, counts)
        n_posts = d.shape[2]
        key = tuple(int(v) for v in posture)
        columns, reduced = [], []
        for r in range(nv):
            if h[r] < mu:
                a, pi = divmod(int(best_post[r]), n_posts)
                columns.append((a, key, self.table.posts[pi]))
                reduced.append(float(h[r]))
        return PostureBlock(key, float(value), tuple(columns), tuple(reduced))
