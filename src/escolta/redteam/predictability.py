"""How predictable a sequence of sites is: conditional entropy, from counts or from the plan.

``H(X_t | X_{t-k}, …, X_{t-1})`` in bits is estimated from the counts of ``(k+1)``-grams,
plug-in with the Miller–Madow correction (Cover & Thomas, *Elements of Information Theory*,
2nd ed., eq. 2.61 and §4.2 for the entropy rate of a stationary process): 0 for a fixed
rotation once ``k`` covers its memory, ``log2 S`` for independent uniform draws over ``S``
sites. The plan's own value for ``k = 1`` is exact, from its two-night distribution.

Examples
--------
>>> import numpy as np
>>> round(conditional_entropy(np.array([0, 1, 2] * 50), alphabet=3, order=1), 6)
0.0
>>> round(conditional_entropy(np.array([0, 1] * 50), alphabet=2, order=0), 4)  # 1 + 1/(200 ln 2)
1.0072
"""

from __future__ import annotations

import numpy as np

from escolta.errors import InputError

#: n-gram tables larger than this are not kept (the order is skipped).
MAX_CELLS = 1 << 20


def ngram_counts(sequence: np.ndarray, alphabet: int, order: int) -> np.ndarray | None:
    """Counts of ``(order+1)``-grams as a ``(alphabet**order, alphabet)`` array (None if huge).

    Row = the ``order`` symbols before (packed base ``alphabet``), column = the next symbol.
    """
    if order < 0:
        raise InputError("order", order, "must be 0 or more")
    cells = alphabet ** (order + 1)
    if cells > MAX_CELLS:
        return None
    sequence = np.asarray(sequence, dtype=np.int64)
    n = len(sequence) - order
    if n <= 0:
        return np.zeros((alphabet ** order, alphabet), dtype=np.int64)
    code = np.zeros(n, dtype=np.int64)
    for j in range(order + 1):
        code = code * alphabet + sequence[j: j + n]
    return np.bincount(code, minlength=cells).reshape(alphabet ** order, alphabet)


def entropy_from_counts(counts: np.ndarray, miller_madow: bool = True) -> float:
    """``H(next | context)`` in bits from a (contexts × symbols) count table.

    The plug-in estimate ``Σ_c (n_c / N) H(row c)`` is biased low when contexts are many for
    the sample; ``miller_madow`` adds each row's first-order correction ``(m_c − 1) / (2 n_c
    ln 2)``, ``m_c`` the symbols seen after context ``c`` (Miller 1955; Paninski 2003, *Neural
    Comput.* 15:1191, eq. 3). A deterministic sequence (one symbol per context) stays at 0.
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    if total <= 0:
        return 0.0
    rows = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(counts > 0, counts / rows, 1.0)
    plug_in = float(-(counts * np.log2(p)).sum() / total)
    if miller_madow:
        seen = (counts > 0).sum(axis=1)
        plug_in += float(np.clip(seen - 1, 0, None).sum() / (2 * total * np.log(2)))
    return max(0.0, plug_in)


def conditional_entropy(sequence: np.ndarray, alphabet: int, order: int) -> float:
    """``H(X_t | previous order symbols)`` of ``sequence`` in bits (Miller–Madow)."""
    counts = ngram_counts(sequence, alphabet, order)
    if counts is None:
        raise InputError("order", order, f"too long for an alphabet of {alphabet} symbols")
    return entropy_from_counts(counts)


def exact_site_entropy(
    site: np.ndarray, stationary: np.ndarray, transition: np.ndarray, n_sites: int
) -> tuple[float, float]:
    """``(H(S_t), H(S_t | S_{t-1}))`` in bits of the plan's site process, exactly.

    Parameters
    ----------
    site
        Site index of each night of the plan.
    stationary
        Stationary probability of each night.
    transition
        ``T[i, j] = P(tonight = j | yesterday = i)`` (``Plan.transition_matrix()``).
    n_sites
        Number of sites.
    """
    joint_nights = stationary[:, None] * transition
    one_hot = np.zeros((len(site), n_sites))
    one_hot[np.arange(len(site)), site] = 1.0
    joint_sites = one_hot.T @ joint_nights @ one_hot
    marginal = joint_sites.sum(axis=0)
    return (entropy_from_counts(marginal[None, :], miller_madow=False),
            entropy_from_counts(joint_sites, miller_madow=False))
