"""Confidence intervals: checked against SciPy's own implementation and by their definition."""

import math

import numpy as np
import pytest
from scipy.stats import binom, binomtest

from escolta.errors import InputError
from escolta.redteam.intervals import (
    clopper_pearson_interval,
    estimate,
    mean_estimate,
    wilson_interval,
)

COUNTS = [
    pytest.param(0, 10, id="none-of-10"),
    pytest.param(3, 10, id="3-of-10"),
    pytest.param(10, 10, id="all-of-10"),
    pytest.param(17, 400, id="17-of-400"),
    pytest.param(5000, 10000, id="half-of-10000"),
]


@pytest.mark.parametrize(("x", "n"), COUNTS)
def test_wilson_matches_scipy(x, n):
    # scipy.stats.binomtest(...).proportion_ci(method="wilson") is an independent implementation.
    reference = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    lo, hi = wilson_interval(x, n)
    assert lo == pytest.approx(reference.low, abs=1e-12)
    assert hi == pytest.approx(reference.high, abs=1e-12)


@pytest.mark.parametrize(("x", "n"), COUNTS)
def test_wilson_ends_solve_the_score_equation(x, n):
    # Wilson's ends are the p with |x/n - p| = z sqrt(p(1-p)/n) (the score test at level 95%).
    z = 1.959963984540054
    for p in wilson_interval(x, n):
        if 1e-6 < p < 1 - 1e-6:  # an end at 0 or 1 (x = 0 or n) is not a root
            assert abs(x / n - p) == pytest.approx(z * math.sqrt(p * (1 - p) / n), rel=1e-9)


@pytest.mark.parametrize(("x", "n"), COUNTS)
def test_clopper_pearson_by_definition(x, n):
    # The exact interval's ends put alpha/2 in each binomial tail (Clopper & Pearson 1934).
    lo, hi = clopper_pearson_interval(x, n)
    if x > 0:
        assert binom.sf(x - 1, n, lo) == pytest.approx(0.025, rel=1e-6)
    else:
        assert lo == 0.0
    if x < n:
        assert binom.cdf(x, n, hi) == pytest.approx(0.025, rel=1e-6)
    else:
        assert hi == 1.0
    reference = binomtest(x, n).proportion_ci(confidence_level=0.95, method="exact")
    assert (lo, hi) == pytest.approx((reference.low, reference.high), abs=1e-9)


@pytest.mark.parametrize("p", [0.02, 0.3], ids=["rare", "common"])
def test_wilson_coverage_near_nominal(p):
    # 4000 seeded binomial samples of n = 300: the 95% interval should cover p about 95% of
    # the time (Brown, Cai & DasGupta 2001, Fig. 5: Wilson stays within a point or two).
    rng = np.random.default_rng(11)
    n, trials = 300, 4000
    covered = sum(estimate(x, n).contains(p) for x in rng.binomial(n, p, size=trials))
    assert 0.92 <= covered / trials <= 0.975


def test_mean_estimate_of_bernoulli_values_is_wilson():
    values = np.array([1.0] * 13 + [0.0] * 87)
    e = mean_estimate(values.sum(), (values ** 2).sum(), len(values))
    assert (e.low, e.high) == pytest.approx(wilson_interval(13, 100))


def test_mean_estimate_narrows_for_less_variable_values():
    # Halves of Bernoulli outcomes: same mean, a quarter of the variance, so a narrower interval.
    values = np.array([0.5] * 26 + [0.0] * 74)
    bernoulli = wilson_interval(13, 100)
    e = mean_estimate(values.sum(), (values ** 2).sum(), len(values))
    assert e.rate == pytest.approx(0.13)
    assert e.high - e.low < bernoulli[1] - bernoulli[0]


@pytest.mark.parametrize(("x", "n", "field"), [
    pytest.param(11, 10, "successes", id="more-successes-than-trials"),
    pytest.param(-1, 10, "successes", id="negative"),
])
def test_bad_counts_are_input_errors(x, n, field):
    with pytest.raises(InputError) as error:
        wilson_interval(x, n)
    assert error.value.field == field
