"""Confidence intervals for a success probability estimated from Bernoulli trials.

Wilson's score interval (Wilson 1927, *J. Amer. Statist. Assoc.* 22:209, eq. for the
"score" interval; recommended by Brown, Cai & DasGupta 2001, *Statist. Sci.* 16:101, §4.1)
is the default; the Clopper–Pearson interval (Clopper & Pearson 1934, *Biometrika* 26:404)
is the conservative exact alternative.

Examples
--------
>>> lo, hi = wilson_interval(0, 10)
>>> lo, round(hi, 4)
(0.0, 0.2775)
>>> lo, hi = clopper_pearson_interval(10, 10)
>>> round(lo, 4), hi
(0.6915, 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from escolta.errors import InputError


@dataclass(frozen=True)
class Estimate:
    """A proportion with its confidence interval.

    Attributes
    ----------
    successes, trials
        The counts (``successes`` may be fractional when an effective sample size is used).
    rate
        ``successes / trials`` (0 when there were no trials).
    low, high
        The interval at ``level``.
    level
        Confidence level, e.g. 0.95.
    method
        ``"wilson"`` or ``"clopper-pearson"``.
    """

    successes: float
    trials: float
    rate: float
    low: float
    high: float
    level: float
    method: str

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the interval."""
        return bool(self.low <= value <= self.high)


def _check(successes: float, trials: float, level: float) -> None:
    if trials < 0:
        raise InputError("trials", trials, "must be 0 or more")
    if not 0 <= successes <= trials:
        raise InputError("successes", successes, f"must lie in [0, trials = {trials}]")
    if not 0 < level < 1:
        raise InputError("level", level, "must lie strictly between 0 and 1")


def wilson_interval(successes: float, trials: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`` with ``p = successes / trials``
    and ``z`` the two-sided normal quantile (Brown, Cai & DasGupta 2001, eq. 4).

    Parameters
    ----------
    successes, trials
        Counts; ``trials = 0`` gives ``(0, 1)``.
    level
        Confidence level.
    """
    _check(successes, trials, level)
    if trials == 0:
        return 0.0, 1.0
    from scipy.stats import norm  # scipy.stats is slow to import; only intervals need it

    z = float(norm.ppf(0.5 + level / 2))
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    low = 0.0 if successes <= 0 else max(0.0, centre - half)  # exact ends, not rounding
    high = 1.0 if successes >= trials else min(1.0, centre + half)
    return low, high


def clopper_pearson_interval(
    successes: int, trials: int, level: float = 0.95
) -> tuple[float, float]:
    """Clopper–Pearson ("exact") interval from Beta quantiles.

    ``low = B(α/2; x, n - x + 1)``, ``high = B(1 - α/2; x + 1, n - x)``, with the ends 0 and 1
    when ``x = 0`` or ``x = n``.
    """
    _check(successes, trials, level)
    if trials == 0:
        return 0.0, 1.0
    from scipy.stats import beta  # scipy.stats is slow to import; only intervals need it

    alpha = 1 - level
    low = 0.0 if successes == 0 else float(beta.ppf(alpha / 2, successes,
                                                    trials - successes + 1))
    high = 1.0 if successes == trials else float(beta.ppf(1 - alpha / 2, successes + 1,
                                                          trials - successes))
    return low, high


def estimate(
    successes: float, trials: float, level: float = 0.95, method: str = "wilson"
) -> Estimate:
    """The rate and its interval by ``method`` (``"wilson"`` or ``"clopper-pearson"``)."""
    if method == "wilson":
        low, high = wilson_interval(successes, trials, level)
    elif method == "clopper-pearson":
        low, high = clopper_pearson_interval(round(successes), round(trials), level)
    else:
        raise InputError("method", method, "must be 'wilson' or 'clopper-pearson'")
    rate = successes / trials if trials else 0.0
    return Estimate(float(successes), float(trials), float(rate), float(low), float(high),
                    level, method)


def batch_estimate(
    total: float,
    count: int,
    batch_moments: tuple[float, float] | np.ndarray,
    batches: int,
    level: float = 0.95,
    night_variance: float | None = None,
) -> Estimate:
    """Wilson's interval for a mean over correlated nights, by batch means.

    Nights drawn from a Markov chain are not independent trials. The variance of the mean is
    estimated from ``batches`` means of consecutive nights (``batch_moments`` = their sum and
    sum of squares; the batch-means method, e.g. Asmussen & Glynn, *Stochastic Simulation*,
    2007, §IV.5), turned into an effective sample size ``n_eff = m(1 - m) / Var(mean)``, and
    Wilson's interval is taken with ``n_eff`` trials. ``n_eff`` never exceeds the independent
    figure (``count``, or ``count · m(1 - m) / night_variance`` for values in [0, 1] that are
    not Bernoulli), so the interval is never narrower than the one for independent nights.

    Parameters
    ----------
    total, count
        Sum of the values and the number of nights.
    batch_moments, batches
        ``(Σ m_b, Σ m_b²)`` over the batch means, and how many batches.
    level
        Confidence level.
    night_variance
        Variance of a single night's value, when the values are not 0/1.
    """
    if count <= 0:
        return Estimate(0.0, 0.0, 0.0, 0.0, 1.0, level, "wilson")
    mean = total / count
    spread = mean * (1 - mean)
    if spread <= 0.0:
        low, high = wilson_interval(min(max(mean, 0.0), 1.0) * count, count, level)
        return Estimate(float(total), float(count), float(mean), low, high, level, "wilson")
    n_eff = float(count)
    if night_variance is not None and night_variance > 0:
        n_eff = count * spread / night_variance
    first, second = float(batch_moments[0]), float(batch_moments[1])
    if batches >= 2:
        centre = first / batches
        variance_of_means = max(second / batches - centre * centre, 0.0) * batches / (batches - 1)
        if variance_of_means > 0:
            n_eff = min(n_eff, spread * batches / variance_of_means)
    low, high = wilson_interval(mean * n_eff, n_eff, level)
    return Estimate(float(mean * n_eff), float(n_eff), float(mean), float(low), float(high),
                    level, "wilson")


def mean_estimate(
    total: float, total_sq: float, count: int, level: float = 0.95
) -> Estimate:
    """An interval for the mean of values in ``[0, 1]`` (e.g. a weighted mix of Bernoullis).

    Uses Wilson's interval with the effective sample size ``n_eff = n·m(1 - m) / s²``
    (``m`` the mean, ``s²`` the variance of the values) and ``n_eff · m`` successes, so
    that a plain Bernoulli sample gives back Wilson's interval exactly.
    """
    if count <= 0:
        return Estimate(0.0, 0.0, 0.0, 0.0, 1.0, level, "wilson")
    mean = total / count
    variance = max(total_sq / count - mean * mean, 0.0)
    if variance <= 0.0 or mean <= 0.0 or mean >= 1.0:
        n_eff = float(count)
    else:
        n_eff = count * mean * (1 - mean) / variance
    low, high = wilson_interval(min(mean, 1.0) * n_eff, n_eff, level)
    return Estimate(float(mean * n_eff), float(n_eff), float(mean), float(low), float(high),
                    level, "wilson")
