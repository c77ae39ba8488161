"""Sampling daily assignments with exactly the optimal marginals.

Checks: every draw is feasible; the comb's explicit decomposition reproduces the coverage
exactly (arithmetic, no randomness); many seeded draws fit the coverage (binomial test per
target) and the mixed strategy (chi-square); unseeded draws use the OS CSPRNG (``secrets``).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from escolta.errors import InputError
from escolta.games import sampling
from escolta.games.model import Solution
from escolta.games.random_games import kiekintveld_game
from escolta.games.sampling import (
    comb_decomposition,
    comb_sample,
    comb_sample_many,
    sample_mixed,
    sample_solution,
)


@st.composite
def coverages(draw):
    n = draw(st.integers(1, 12))
    m = draw(st.integers(1, n))
    raw = np.array(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    if raw.sum() > m:
        raw = raw * (m / raw.sum())
    return np.clip(raw, 0, 1), m


@settings(max_examples=60, deadline=None)
@given(coverages(), st.integers(0, 2**32 - 1))
def test_every_comb_draw_is_feasible(case, seed) -> None:
    coverage, m = case
    draw = comb_sample(coverage, resources=m, seed=seed)
    assert len(draw.targets) <= m
    assert len(set(draw.targets)) == len(draw.targets)
    assert all(coverage[t] > 0 for t in draw.targets)
    assert all(t in draw.targets for t in np.flatnonzero(coverage >= 1.0 - 1e-12))


@settings(max_examples=60, deadline=None)
@given(coverages())
def test_comb_decomposition_has_exact_marginals(case) -> None:
    coverage, m = case
    mixed = comb_decomposition(coverage, resources=m)
    assert sum(p for p, _ in mixed) == pytest.approx(1.0, abs=1e-12)
    marginals = np.zeros(len(coverage))
    for p, targets in mixed:
        assert len(targets) <= m
        marginals[list(targets)] += p
    np.testing.assert_allclose(marginals, coverage, atol=1e-9)


@pytest.mark.parametrize(
    "coverage, m",
    [pytest.param([0.3, 0.7, 0.5, 0.5], 2, id="sum-2"),
     pytest.param([0.25, 0.1, 0.9, 0.0, 1.0], 3, id="slack-and-certain"),
     pytest.param([1 / 3] * 6, 2, id="uniform-thirds")],
)
def test_many_seeded_draws_fit_the_coverage(coverage, m) -> None:
    draws = comb_sample_many(coverage, 20_000, resources=m, seed=7)
    assert all(d.seeded for d in draws)
    hits = np.zeros(len(coverage))
    for d in draws:
        hits[list(d.targets)] += 1
    for t, c in enumerate(coverage):
        if c in (0.0, 1.0):
            assert hits[t] == c * len(draws)
        else:  # exact binomial test per target, Bonferroni over targets
            p = stats.binomtest(int(hits[t]), len(draws), c).pvalue
            assert p > 1e-3 / len(coverage)


def test_mixed_strategy_draws_fit_their_probabilities() -> None:
    mixed = ((0.5, (0, 1)), (0.3, (1, 2)), (0.2, (0, 2)))
    schedules = ((0,), (1, 2), (3,))
    counts = {assignment: 0 for _, assignment in mixed}
    rng_seed = 11
    for k in range(6000):
        draw = sample_mixed(mixed, schedules=schedules, seed=rng_seed + k)
        counts[draw.schedules] += 1
        assert set(draw.targets) == {t for s in draw.schedules for t in schedules[s]}
    observed = np.array([counts[a] for _, a in mixed])
    expected = np.array([p for p, _ in mixed]) * observed.sum()
    assert stats.chisquare(observed, expected).pvalue > 1e-3


def test_unseeded_draws_use_the_os_csprng(monkeypatch) -> None:
    calls = []
    real = sampling._SYSTEM_RANDOM.random

    def counted() -> float:
        calls.append(1)
        return real()

    monkeypatch.setattr(sampling._SYSTEM_RANDOM, "random", counted)
    draw = comb_sample([0.5, 0.5], resources=1)
    assert not draw.seeded and len(calls) == 1
    assert not sample_mixed(((1.0, (0,)),)).seeded and len(calls) == 2
    assert isinstance(sampling._SYSTEM_RANDOM, __import__("secrets").SystemRandom)


def test_sample_solution_picks_mix_or_comb() -> None:
    game = kiekintveld_game(3, 1, 1, seed=0)
    by_coverage = Solution(0.0, {}, "x", 0.0, coverage=np.array([0.0, 1.0, 0.0]))
    assert sample_solution(game, by_coverage, seed=1).targets == (1,)
    scheduled = kiekintveld_game(3, 1, 1, seed=0, schedules=((0, 2), (1,)))
    by_mix = Solution(0.0, {}, "aspen", 0.0, mixed_strategy=((1.0, (0,)),))
    draw = sample_solution(scheduled, by_mix, seed=1)
    assert draw.targets == (0, 2) and draw.schedules == (0,)
    with pytest.raises(InputError, match="mixed strategy"):
        sample_solution(scheduled, by_coverage)


@pytest.mark.parametrize(
    "coverage, m, match",
    [pytest.param([0.5, 1.2], 2, "coverage", id="above-one"),
     pytest.param([0.9, 0.9], 1, "resources=1", id="over-budget"),
     pytest.param([], 1, "non-empty", id="empty")],
)
def test_bad_coverage_is_an_input_error(coverage, m, match) -> None:
    with pytest.raises(InputError, match=match):
        comb_sample(coverage, resources=m)
