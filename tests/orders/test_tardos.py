"""The code: biases, symbols, the symmetric score and the proven threshold.

Reference values are worked out independently: the score's moments by summing over the two
symbols by hand, the threshold against Bernstein's closed form (Bennett's is never looser)
and against the exact tail of an innocent score enumerated over all 2^m codewords.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.errors import InputError
from escolta.orders.tardos import (
    code_parameters,
    draw_biases,
    draw_symbols,
    innocent_tail_bound,
    ldw_length,
    score_terms,
    scores,
    threshold,
)
from escolta.redteam.intervals import clopper_pearson_interval


@pytest.mark.parametrize(("c", "n", "eps", "length"), [
    # (pi^2/2) c^2 ln(n/eps): 4.9348 * 1 * ln(6e4) = 4.9348 * 11.0021 = 54.29 -> 55
    pytest.param(1, 60, 1e-3, 55, id="c1"),
    # 4.9348 * 4 * 11.0021 = 217.17 -> 218
    pytest.param(2, 60, 1e-3, 218, id="c2"),
    # 4.9348 * 9 * 11.0021 = 488.64 -> 489
    pytest.param(3, 60, 1e-3, 489, id="c3"),
    # 4.9348 * 400 * ln(1e8) = 1973.92 * 18.4207 = 36360.9 -> 36361
    pytest.param(20, 100, 1e-6, 36361, id="c20"),
])
def test_laarhoven_de_weger_length(c: int, n: int, eps: float, length: int) -> None:
    assert ldw_length(c, n, eps) == length


@pytest.mark.parametrize("p", [0.01, 0.2, 0.5, 0.77, 0.99])
@pytest.mark.parametrize("y", [0, 1])
def test_an_innocent_term_has_mean_zero_variance_one_and_stays_below_the_bound(
        p: float, y: int) -> None:
    one, zero = score_terms([p], [y])
    mean = p * one[0] + (1 - p) * zero[0]
    second = p * one[0] ** 2 + (1 - p) * zero[0] ** 2
    assert mean == pytest.approx(0.0, abs=1e-12)
    assert second == pytest.approx(1.0)
    assert max(one[0], zero[0]) == pytest.approx(
        math.sqrt((1 - p) / p) if y == 1 else math.sqrt(p / (1 - p)))


@pytest.mark.parametrize("c", [1, 3, 20])
def test_biases_follow_the_arcsine_law_within_the_cutoff(c: int) -> None:
    params = code_parameters(c, 1e-3)
    t = params.cutoff
    p = draw_biases(20000, t, np.random.default_rng(c))
    assert p.min() >= t and p.max() <= 1 - t
    # the arcsine CDF restricted to [t, 1-t]: F(q) = (asin sqrt q - r_t) / (pi/2 - 2 r_t)
    low = math.asin(math.sqrt(t))
    for q in (0.1, 0.3, 0.5, 0.8):
        exact = (math.asin(math.sqrt(q)) - low) / (math.pi / 2 - 2 * low)
        assert np.mean(p <= q) == pytest.approx(exact, abs=0.015)
    assert max(np.sqrt((1 - p) / p).max(), np.sqrt(p / (1 - p)).max()) <= params.term_bound


def test_operational_biases_and_symbols_come_from_the_os_and_differ_each_time() -> None:
    params = code_parameters(3, 1e-3)
    first, second = draw_biases(26, params.cutoff), draw_biases(26, params.cutoff)
    assert not np.array_equal(first, second)
    assert draw_symbols(first).dtype == np.int8


def test_symbols_are_one_with_the_probability_of_their_bias() -> None:
    p = np.full(40000, 0.3)
    assert draw_symbols(p, np.random.default_rng(1)).mean() == pytest.approx(0.3, abs=0.01)


def test_scores_add_up_the_terms_of_each_position() -> None:
    p, y = [0.2, 0.5, 0.8], [1, 0, 1]
    x = np.array([[1, 0, 0], [0, 0, 1]])
    # by hand: row 0: sqrt(4) + 1 + (-sqrt(0.8/0.2)) = 2 + 1 - 2 = 1
    #          row 1: -sqrt(0.25) + 1 + sqrt(0.25) = 1
    assert scores(x, p, y) == pytest.approx([1.0, 1.0])


def _bernstein(m: int, n: int, eps: float, bound: float) -> float:
    """Bernstein's threshold: Z^2 / (2 (m + M Z / 3)) = ln(n/eps), solved for Z."""
    level = math.log(n / eps)
    return level * bound / 3 + math.sqrt((level * bound / 3) ** 2 + 2 * level * m)


@pytest.mark.parametrize("m", [1, 22, 500, 5000])
@pytest.mark.parametrize("c", [1, 3])
def test_bennetts_threshold_is_never_above_bernsteins_and_meets_eps_over_n(m: int,
                                                                           c: int) -> None:
    params = code_parameters(c, 1e-3)
    z = threshold(m, 60, params)
    assert z <= _bernstein(m, 60, 1e-3, params.term_bound) + 1e-9
    assert innocent_tail_bound(z, m, params) == pytest.approx(1e-3 / 60, rel=1e-6)
    assert threshold(m + 1, 60, params) > z  # more marks, higher bar


def test_no_mark_read_means_no_threshold_can_be_met() -> None:
    assert threshold(0, 60, code_parameters(3, 1e-3)) == math.inf


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 32), eps=st.sampled_from([0.5, 0.2, 0.05]))
def test_the_bound_holds_against_the_exact_tail_of_an_innocent_score(seed: int,
                                                                     eps: float) -> None:
    """All 2^12 codewords of an innocent, weighted by their probability: the exact chance
    of reaching the threshold is at most eps (one recipient)."""
    rng = np.random.default_rng(seed)
    params = code_parameters(1, eps)
    m = 12
    p = draw_biases(m, params.cutoff, rng)
    y = rng.integers(0, 2, m)
    z = threshold(m, 1, params)
    one, zero = score_terms(p, y)
    x = np.array(list(itertools.product((0, 1), repeat=m)))  # every codeword, 4096 x 12
    probability = np.prod(np.where(x == 1, p, 1 - p), axis=1)
    score = np.where(x == 1, one, zero).sum(axis=1)
    assert probability.sum() == pytest.approx(1.0)
    tail = float(probability[score >= z].sum())
    assert tail <= eps


@pytest.mark.parametrize("attack", ["copy", "majority", "flip"])
def test_innocents_in_a_small_monte_carlo_are_accused_no_more_often_than_the_bound(
        attack: str) -> None:
    """20,000 innocents against one leak of 300 marks at eps = 0.2 (so the rate is
    measurable): the Clopper-Pearson interval of the rate lies at or below 0.2."""
    rng = np.random.default_rng({"copy": 1, "majority": 2, "flip": 3}[attack])
    params = code_parameters(3, 0.2)
    m = 300
    p = draw_biases(m, params.cutoff, rng)
    colluders = (rng.random((3, m)) < p).astype(int)
    y = {"copy": colluders[0], "majority": (colluders.sum(0) >= 2).astype(int),
         "flip": 1 - colluders[0]}[attack]
    innocents = (rng.random((20000, m)) < p).astype(np.int8)
    accused = int((scores(innocents, p, y) >= threshold(m, 1, params)).sum())
    low, _ = clopper_pearson_interval(accused, 20000)
    assert low <= 0.2


@pytest.mark.parametrize(("c", "eps"), [(0, 1e-3), (3, 0.0), (3, 1.0)])
def test_parameters_out_of_range_are_refused(c: int, eps: float) -> None:
    with pytest.raises(InputError):
        code_parameters(c, eps)
