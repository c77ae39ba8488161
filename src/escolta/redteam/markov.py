"""Frequency counting and Markov predictors of order k, run online over a whole sequence.

A learner that has watched ``x[0], …, x[t-1]`` predicts ``x[t]`` as the symbol that most often
followed the last ``k`` symbols so far (order 0: the most frequent symbol so far). When that
context has never been followed by anything yet it backs off to order ``k - 1``, down to
order 0; before the first symbol it predicts symbol 0. Ties go to the smaller symbol. This is
the maximum-likelihood order-k predictor of Feder, Merhav & Gutman (1992, *IEEE Trans. Inf.
Theory* 38:1258, §II) with the usual back-off.

All predictions are computed at once without a Python loop over time: positions are grouped
by context (a stable sort keeps time order inside a group), and for each symbol an exclusive
cumulative count inside the group gives how often it followed that context before ``t``.
Cost ``O(n·A)`` time and ``O(n)`` memory for ``n`` symbols over an alphabet of ``A``.

Examples
--------
>>> import numpy as np
>>> markov_predictions(np.array([0, 1, 2, 0, 1, 2, 0]), alphabet=3, order=1).tolist()
[0, 0, 0, 0, 1, 2, 0]
>>> markov_predictions(np.array([1, 1, 0, 1]), alphabet=2, order=0).tolist()
[0, 1, 1, 1]
"""

from __future__ import annotations

import numpy as np

from escolta.errors import InputError

#: The largest order a learner may use (contexts are packed into one int64).
MAX_ORDER = 8


def _contexts(sequence: np.ndarray, alphabet: int, order: int) -> np.ndarray:
    """``c[t]`` = the last ``order`` symbols before ``t`` packed base ``alphabet`` (t ≥ order)."""
    n = len(sequence)
    context = np.zeros(max(n - order, 0), dtype=np.int64)
    for j in range(order):
        context = context * alphabet + sequence[j: n - order + j]
    return context


def _online_argmax(
    context: np.ndarray, symbols: np.ndarray, alphabet: int
) -> tuple[np.ndarray, np.ndarray]:
    """For each position, the most frequent symbol that followed the same context earlier.

    Returns ``(prediction, seen)``; ``seen`` is False where the context never occurred before.
    """
    n = len(context)
    order = np.argsort(context, kind="stable")
    ctx_sorted = context[order]
    sym_sorted = symbols[order]
    starts = np.ones(n, dtype=bool)
    if n:
        starts[1:] = ctx_sorted[1:] != ctx_sorted[:-1]
    start_index = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    best_count = np.zeros(n, dtype=np.int64)
    best_symbol = np.zeros(n, dtype=np.int64)
    for a in range(alphabet):
        is_a = (sym_sorted == a).astype(np.int64)
        before = np.cumsum(is_a) - is_a          # occurrences of a strictly before, overall
        count = before - before[start_index]     # ... inside this context's group
        better = count > best_count
        best_count[better] = count[better]
        best_symbol[better] = a
    prediction = np.empty(n, dtype=np.int64)
    seen = np.empty(n, dtype=bool)
    prediction[order] = best_symbol
    seen[order] = best_count > 0
    return prediction, seen


def markov_predictions(sequence: np.ndarray, alphabet: int, order: int) -> np.ndarray:
    """Online top-1 predictions of an order-``order`` Markov learner (0 = frequency).

    Parameters
    ----------
    sequence
        Symbols ``0 … alphabet-1`` in the order they are observed.
    alphabet
        Number of distinct symbols.
    order
        Context length ``k`` (0 ≤ k ≤ :data:`MAX_ORDER`).

    Returns
    -------
    numpy.ndarray
        ``prediction[t]``: the learner's guess of ``sequence[t]`` from ``sequence[:t]``.
    """
    if not 0 <= order <= MAX_ORDER:
        raise InputError("order", order, f"must lie in 0..{MAX_ORDER}")
    if alphabet < 1:
        raise InputError("alphabet", alphabet, "must be at least 1")
    sequence = np.asarray(sequence, dtype=np.int64)
    if len(sequence) and (sequence.min() < 0 or sequence.max() >= alphabet):
        raise InputError("sequence", int(sequence.max()), f"symbols must lie in 0..{alphabet - 1}")
    if order > 0 and float(alphabet) ** order >= 2.0 ** 62:
        raise InputError("order", order, f"too long for an alphabet of {alphabet} symbols")
    return markov_predictions_by_order(sequence, alphabet, order)[order]


def markov_predictions_by_order(
    sequence: np.ndarray, alphabet: int, max_order: int
) -> list[np.ndarray]:
    """Predictions of every order ``0 … max_order`` at once (each backs off to the one before).

    Same arguments as :func:`markov_predictions`; element ``k`` of the list is its result for
    ``order = k``. Cheaper than calling it once per order.
    """
    sequence = np.asarray(sequence, dtype=np.int64)
    n = len(sequence)
    prediction, _ = _online_argmax(np.zeros(n, dtype=np.int64), sequence, alphabet)
    by_order = [prediction]
    for order in range(1, max_order + 1):
        out = by_order[-1].copy()
        if n > order:
            guess, seen = _online_argmax(_contexts(sequence, alphabet, order), sequence[order:],
                                         alphabet)
            out[order:] = np.where(seen, guess, out[order:])
        by_order.append(out)
    return by_order
