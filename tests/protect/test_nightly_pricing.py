"""Unit tests of the nightly solver's exact pricing (:mod:`escolta.protect.nightly.pricing`).

The posture block value is checked against a hand computation and against the small LP it
solves (built independently here); the compiled ``h_a(n)`` against brute force over every
placement of the insider teams.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.lp import LinearProgram, Status, solve
from escolta.protect.nightly.pricing import (
    _block_value,
    _h_separable,
    _h_values,
    _posture_bounds,
    _posture_bounds_parallel,
    _posture_bounds_separable,
    _posture_bounds_separable_parallel,
    all_postures_fast,
)


def _block_lp(h: np.ndarray, c: np.ndarray, weight: float) -> float:
    """``min_{x ∈ Δ} W t + h·x`` s.t. ``c_a x_a ≤ t``: variables (x, t)."""
    n = len(h)
    cost = np.append(h, weight)
    A_ub = np.hstack([np.diag(c), -np.ones((n, 1))])
    A_eq = np.append(np.ones(n), 0.0)[None, :]
    result = solve(LinearProgram.from_blocks(cost, A_ub=A_ub, b_ub=np.zeros(n), A_eq=A_eq,
                                             b_eq=np.ones(1)))
    assert result.status is Status.OPTIMAL
    assert result.objective is not None
    return result.objective


def test_block_value_by_hand() -> None:
    # W = 1, h = (0.1, 0.2), c = (0.5, 0.25). Prefix {a0}: (1 + 0.1/0.5) / (1/0.5) = 0.6.
    # Prefix {a0, a1}: (1 + 0.2 + 0.8) / (2 + 4) = 1/3. The block value is 1/3.
    h, c = np.array([0.1, 0.2]), np.array([0.5, 0.25])
    assert _block_value(h.copy(), c.copy(), 2, 1.0) == pytest.approx(1 / 3)
    # a site where the watcher's success is 0 hides the principal for free: value h there
    assert _block_value(np.array([0.3, 0.1]), np.array([0.0, 0.5]), 2, 1.0) == \
        pytest.approx(0.3)
    # no watcher: the cheapest site
    assert _block_value(np.array([0.3, 0.1]), np.array([0.2, 0.5]), 2, 0.0) == \
        pytest.approx(0.1)


# c is a success probability over a number of rooms: 0, or far above HiGHS's feasibility
# tolerance (1e-7), which would otherwise blur the reference LP; h lies on a grid of 1e-4
# for the same reason: two sites whose h differ by 1e-7 (1e-7 against 8e-30, found by
# Hypothesis) are one to HiGHS's dual tolerance, and its optimum may take either
@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-10_000, 10_000).map(lambda k: k / 10_000),
                          st.one_of(st.just(0.0), st.floats(1e-3, 1))),
                min_size=1, max_size=6),
       st.floats(0.01, 2))
def test_block_value_solves_its_lp(pairs: list[tuple[float, float]], weight: float) -> None:
    h = np.array([p[0] for p in pairs])
    c = np.array([p[1] for p in pairs])
    assert _block_value(h.copy(), c.copy(), len(h), weight) == \
        pytest.approx(_block_lp(h, c, weight), abs=1e-8)


def _brute_h(posture, table, min_teams, n_insiders):
    """``h_a(n) = min over placements consistent with n of D(a, n_a, p)``, by brute force."""
    n_sites = len(posture)
    out = {}
    for a in range(n_sites):
        if posture[a] < min_teams:
            continue
        best = np.inf
        for posts in itertools.product(range(n_sites), repeat=n_insiders):
            if all(sum(1 for q in posts if q == site) <= posture[site]
                   for site in range(n_sites)):
                best = min(best, table(a, posture[a], posts))
        if best < np.inf:
            out[a] = best
    return out


def _random_case(seed: int):
    rng = np.random.default_rng(seed)
    n_sites = int(rng.integers(2, 6))
    n_teams = int(rng.integers(1, 5))
    n_insiders = int(rng.integers(0, min(n_teams, 3) + 1))
    cuts = np.sort(rng.integers(0, n_teams + 1, n_sites - 1))
    posture = np.diff(np.concatenate([[0], cuts, [n_teams]])).astype(np.int16)
    min_teams = int(rng.integers(0, 2))
    c_table = rng.random((n_sites, n_teams + 1))
    return rng, n_sites, n_teams, n_insiders, posture, min_teams, c_table


@pytest.mark.parametrize("seed", range(30), ids=lambda s: f"seed{s}")
def test_separable_h_matches_brute_force(seed: int) -> None:
    rng, n_sites, n_teams, n_ins, posture, min_teams, c_table = _random_case(seed)
    base = rng.normal(size=(n_sites, n_teams + 1))
    moved = rng.normal(size=(n_ins, n_sites, n_teams + 1, n_sites))
    order = np.argsort(moved, axis=3, kind="stable")
    width = max(n_ins, 1)
    h, c = np.empty(n_sites), np.empty(n_sites)
    sites, posts = np.empty(n_sites, dtype=np.int64), np.empty((n_sites, width), dtype=np.int64)
    nv = _h_separable(posture, base, moved, order, min_teams, c_table, h, c, sites, posts,
                      np.empty((width, width), dtype=np.int64), np.empty((width, width)),
                      np.empty(width, dtype=np.int64), np.empty(width, dtype=np.int64),
                      np.zeros(n_sites, dtype=np.int64))

    def table(a, k, p):
        return base[a, k] + sum(moved[i, a, k, p[i]] for i in range(n_ins))

    expected = _brute_h(tuple(int(v) for v in posture), table, min_teams, n_ins)
    got = {int(sites[r]): float(h[r]) for r in range(nv)}
    assert got.keys() == expected.keys()
    for a, value in expected.items():
        assert got[a] == pytest.approx(value)
        # the placement returned attains it
        chosen = tuple(int(q) for q in posts[list(sites[:nv]).index(a), :n_ins])
        assert table(a, int(posture[a]), chosen) == pytest.approx(value)


@pytest.mark.parametrize("seed", range(30), ids=lambda s: f"seed{s}")
def test_general_h_matches_brute_force(seed: int) -> None:
    rng, n_sites, n_teams, n_ins, posture, min_teams, c_table = _random_case(seed)
    placements = list(itertools.product(range(n_sites), repeat=n_ins))
    d = rng.normal(size=(n_sites, n_teams + 1, len(placements)))
    d[rng.random(d.shape) < 0.2] = np.inf  # some types are invalid
    order = np.argsort(d, axis=2, kind="stable")
    post_sites = np.array(placements, dtype=np.int64).reshape(len(placements), n_ins)
    h, c = np.empty(n_sites), np.empty(n_sites)
    best = np.empty(n_sites, dtype=np.int64)
    nv = _h_values(posture, d, order, post_sites, min_teams, h, c, c_table, best,
                   np.zeros(n_sites, dtype=np.int64))

    def table(a, k, p):
        return d[a, k, placements.index(p)]

    expected = _brute_h(tuple(int(v) for v in posture), table, min_teams, n_ins)
    got = {int(best[r]) // len(placements): float(h[r]) for r in range(nv)}
    assert got == pytest.approx(expected)


def test_parallel_kernels_match_serial() -> None:
    # the parallel kernels split the postures in chunks; each posture's value is the same
    rng = np.random.default_rng(5)
    n_sites, n_teams, n_ins = 7, 5, 2
    postures = all_postures_fast(n_sites, n_teams)
    c_table = rng.random((n_sites, n_teams + 1))
    base = rng.normal(size=(n_sites, n_teams + 1))
    moved = rng.normal(size=(n_ins, n_sites, n_teams + 1, n_sites))
    order = np.argsort(moved, axis=3, kind="stable")
    serial, parallel = np.empty(len(postures)), np.empty(len(postures))
    _posture_bounds_separable(postures, base, moved, order, 1, c_table, 0.7, serial)
    _posture_bounds_separable_parallel(postures, base, moved, order, 1, c_table, 0.7, parallel)
    assert np.array_equal(serial, parallel)
    placements = list(itertools.product(range(n_sites), repeat=n_ins))
    d = rng.normal(size=(n_sites, n_teams + 1, len(placements)))
    d_order = np.argsort(d, axis=2, kind="stable")
    post_sites = np.array(placements, dtype=np.int64)
    _posture_bounds(postures, d, d_order, post_sites, 1, c_table, 0.7, serial)
    _posture_bounds_parallel(postures, d, d_order, post_sites, 1, c_table, 0.7, parallel)
    assert np.array_equal(serial, parallel)
