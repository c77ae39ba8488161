"""A Tardos code with the symmetric score, and a threshold with a proven false-accusation bound.

The code (Tardos, STOC 2003) gives every mark position i a bias p_i drawn from the arcsine
density on [t, 1 - t] (``p = sin^2 r``, r uniform on [arcsin sqrt t, pi/2 - arcsin sqrt t]),
and every recipient j a symbol x_ji = 1 with probability p_i, independently. A leaked copy
shows a symbol y_i at each mark read. The **symmetric score** of Škorić, Katzenbeisser &
Celik (2008, *Des. Codes Cryptogr.* 46:137) adds, for each mark read,

    sqrt((1 - p)/p)   if x = y = 1        -sqrt(p/(1 - p))  if x = 0, y = 1
    sqrt(p/(1 - p))   if x = y = 0        -sqrt((1 - p)/p)  if x = 1, y = 0

For an innocent recipient, whose symbols the leak's authors never saw, each term has mean 0,
variance 1 and never exceeds ``M = sqrt((1 - t)/t)``, whatever the coalition wrote. Bennett's
inequality (Bennett 1962, *J. Amer. Statist. Assoc.* 57:33; Boucheron, Lugosi &
Massart 2013, *Concentration Inequalities*, Theorem 2.9) then bounds the chance
that an innocent recipient's score over m marks reaches Z by
``exp(-(m / M^2) h(M Z / m))``, ``h(u) = (1 + u) ln(1 + u) - u``; :func:`threshold` picks the
Z that makes this ``epsilon / n`` and a union over the n recipients scored gives a total of
at most epsilon (docs/orders.md, "The threshold"). The bound holds for any attack and any
number of colluders; ``c`` only sets the cutoff ``t`` and the length needed to catch one.

Examples
--------
>>> params = code_parameters(colluders=3, false_accusation=1e-3)
>>> round(params.cutoff, 5), round(params.term_bound, 3)
(0.03333, 5.385)
>>> ldw_length(colluders=3, recipients=60, false_accusation=1e-3)
489
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from escolta.errors import InputError


@dataclass(frozen=True)
class CodeParameters:
    """The parameters of the code for a scenario.

    Attributes
    ----------
    colluders
        ``c``: the largest coalition the code is built to catch.
    false_accusation
        ``epsilon``: the chance of accusing any innocent recipient in one trace, at most.
    cutoff
        ``t``: biases lie in ``[t, 1 - t]``.
    term_bound
        ``M = sqrt((1 - t)/t)``: no score term exceeds it.
    """

    colluders: int
    false_accusation: float
    cutoff: float
    term_bound: float


def cutoff_for(colluders: int) -> float:
    """The bias cutoff ``t = 1/(10 c)``.

    Tardos's ``1/(300 c)`` keeps rare biases that make single terms huge; Škorić et al. and
    Laarhoven & de Weger (2014, *Des. Codes Cryptogr.* 71:83) show that a larger
    cutoff of order ``1/c`` costs the coalition's score little. With Bennett's threshold,
    whose price grows with ``M``, a Monte Carlo of interleaving, majority and minority
    attacks (n = 60, epsilon = 1e-3) over ``1/(300 c)`` ... ``1/(5 c)`` gave the shortest
    worst case over the attacks at c = 3 with ``1/(10 c)`` (``1/(5 c)`` is shorter for
    c <= 2 but loses to the minority attack at c = 3); the table is in docs/orders.md.
    Larger c were not measured.
    """
    if not 1 <= colluders:
        raise InputError("orders.colluders", colluders, "must be at least 1")
    return 1.0 / (10.0 * colluders)


def code_parameters(colluders: int, false_accusation: float) -> CodeParameters:
    """The code's parameters for ``c`` colluders and a false-accusation bound ``epsilon``."""
    if not 0.0 < false_accusation < 1.0:
        raise InputError("orders.false_accusation", false_accusation, "must lie in (0, 1)")
    t = cutoff_for(colluders)
    return CodeParameters(colluders, false_accusation, t, math.sqrt((1.0 - t) / t))


def ldw_length(colluders: int, recipients: int, false_accusation: float) -> int:
    """The code length ``(pi^2 / 2) c^2 ln(n / epsilon)`` of Laarhoven & de Weger.

    The asymptotic length of the optimal symmetric Tardos scheme (Laarhoven & de Weger 2014,
    *Des. Codes Cryptogr.* 71:83: ``l ~ (pi^2/2) c^2 ln(1/epsilon_1)`` as c grows) with the
    per-recipient bound ``epsilon_1 = epsilon / n``; rounded up.
    """
    return math.ceil(math.pi ** 2 / 2 * colluders ** 2 * math.log(recipients / false_accusation))


def _uniforms(count: int, rng: np.random.Generator | None) -> NDArray[np.float64]:
    """``count`` uniforms on [0, 1): from ``rng`` (simulation) or the OS CSPRNG."""
    if rng is not None:
        return rng.random(count)
    raw = np.frombuffer(secrets.token_bytes(8 * count), dtype=np.uint64)
    return (raw >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def draw_biases(count: int, cutoff: float,
                rng: np.random.Generator | None = None) -> NDArray[np.float64]:
    """Biases ``p = sin^2 r``, r uniform on ``[r_t, pi/2 - r_t]``, ``sin^2 r_t = cutoff``.

    ``rng`` is for simulation and tests; without it the OS CSPRNG (``secrets``) is used.
    """
    low = math.asin(math.sqrt(cutoff))
    r = low + (math.pi / 2 - 2 * low) * _uniforms(count, rng)
    return np.clip(np.sin(r) ** 2, cutoff, 1.0 - cutoff)


def draw_symbols(biases: ArrayLike, rng: np.random.Generator | None = None) -> NDArray[np.int8]:
    """One recipient's symbols: 1 with probability ``p_i`` at each position, independently."""
    p = np.asarray(biases, dtype=float)
    return (_uniforms(p.size, rng) < p).astype(np.int8)


def score_terms(biases: ArrayLike, leaked: ArrayLike) -> tuple[NDArray[np.float64],
                                                                NDArray[np.float64]]:
    """The symmetric score's terms at each position: (for symbol 1, for symbol 0).

    Examples
    --------
    >>> one, zero = score_terms([0.2], [1])
    >>> float(one[0]), float(zero[0])
    (2.0, -0.5)
    """
    p = np.asarray(biases, dtype=float)
    y = np.asarray(leaked, dtype=bool)
    odds = np.sqrt((1.0 - p) / p)  # sqrt((1-p)/p)
    one = np.where(y, odds, -odds)
    zero = np.where(y, -1.0 / odds, 1.0 / odds)
    return one, zero


def scores(symbols: ArrayLike, biases: ArrayLike, leaked: ArrayLike) -> NDArray[np.float64]:
    """Symmetric scores of recipients (rows of ``symbols``) against a leak at every position."""
    x = np.asarray(symbols, dtype=float)
    one, zero = score_terms(biases, leaked)
    return x @ (one - zero) + zero.sum()


def _bennett_h(u: float) -> float:
    return (1.0 + u) * math.log1p(u) - u


def threshold(marks: int, recipients: int, params: CodeParameters) -> float:
    """The score an innocent recipient reaches over ``marks`` marks with chance <= eps / n.

    Solves ``(m / M^2) h(M Z / m) = ln(n / epsilon)`` for Z (Bennett's inequality; the
    derivation is in docs/orders.md). Infinite when no mark was read.

    Examples
    --------
    >>> params = code_parameters(3, 1e-3)
    >>> round(threshold(500, 60, params), 2)
    123.19
    """
    if marks <= 0:
        return math.inf
    if recipients < 1:
        raise InputError("recipients", recipients, "must be at least 1")
    level = math.log(recipients / params.false_accusation)
    bound = params.term_bound
    target = level * bound ** 2 / marks
    high = 1.0
    while _bennett_h(high) < target:
        high *= 2.0
    from scipy.optimize import brentq  # SciPy loads only to trace (every order imports this)

    u = brentq(lambda v: _bennett_h(v) - target, 0.0, high, xtol=1e-12, rtol=1e-12)
    return marks * u / bound


def innocent_tail_bound(score: float, marks: int, params: CodeParameters) -> float:
    """Bennett's bound on ``P(an innocent's score over marks >= score)`` (for reports, tests)."""
    if marks <= 0:
        return 1.0 if score <= 0 else 0.0
    if score <= 0:
        return 1.0
    bound = params.term_bound
    return math.exp(-(marks / bound ** 2) * _bennett_h(bound * score / marks))
