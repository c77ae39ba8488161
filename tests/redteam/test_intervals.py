"""Confidence intervals: checked against SciPy's own implementation and by their definition."""

import math

import numpy as np
import pytest
from scipy.stats import binom, binomtest

from escolta.errors import InputError
from escolta.redteam.intervals import (
    batch_estimate,
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


def _sticky_chain(rng, replicates, nights, stay, p):
    """0/1 nights: each night repeats the last with probability ``stay``, else a fresh
    Bernoulli(p). Stationary mean p; lag-k correlation stay**k."""
    values = np.empty((replicates, nights), dtype=bool)
    values[:, 0] = rng.random(replicates) < p
    for t in range(1, nights):
        fresh = rng.random(replicates) < p
        keep = rng.random(replicates) < stay
        values[:, t] = np.where(keep, values[:, t - 1], fresh)
    return values


def _batch_interval(row, batches=20):
    size = len(row) // batches
    means = row[: size * batches].reshape(batches, size).mean(axis=1)
    return batch_estimate(row.sum(), len(row), (means.sum(), (means ** 2).sum()), batches)


def test_batch_means_cover_correlated_nights_where_wilson_does_not():
    # With stay = 0.9 the variance of the mean is (1 + 0.9) / (1 - 0.9) = 19 times the
    # independent one, so Wilson's interval (for independent trials) covers far less than
    # 95%; the batch-means interval (batches of 200 nights >> the correlation time of 10)
    # comes close to nominal (a little under, as batch means with 20 batches do).
    rng = np.random.default_rng(17)
    values = _sticky_chain(rng, replicates=400, nights=4000, stay=0.9, p=0.3)
    naive = np.mean([estimate(row.sum(), len(row)).contains(0.3) for row in values])
    batch = np.mean([_batch_interval(row).contains(0.3) for row in values])
    assert naive < 0.6
    assert 0.88 <= batch <= 0.99


def test_batch_means_never_narrower_than_independent_wilson():
    rng = np.random.default_rng(23)
    row = rng.random(5000) < 0.2  # independent nights
    e = _batch_interval(row)
    lo, hi = wilson_interval(row.sum(), len(row))
    assert e.low <= lo + 1e-12 and e.high >= hi - 1e-12
    assert (e.high - e.low) < 1.6 * (hi - lo)  # and not much wider when nights are independent
