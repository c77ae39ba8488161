"""Drawing nights from a plan (docs/design.md §5 and §6).

A :class:`~escolta.protect.plan.Plan` is a stationary Markov chain over the nights of its
support: with ``pairs``, ``P(tonight = j | yesterday = i) = pairs[i, j] / p_i``; without
``pairs`` the nights are independent draws from ``nights``.

Two ways in:

- :func:`draw_nights` makes *operational* draws (tonight, a fortnight ahead). Its random
  numbers come from the operating system's CSPRNG (:mod:`secrets`) unless a ``seed`` is given;
  a seed exists only for simulation and tests, and the result then says ``seeded=True`` so
  whoever stores or shows it can mark it (section 6).
- :func:`simulate_indices` runs the chain for millions of nights from a caller's
  :class:`numpy.random.Generator`, for the red team and for goodness-of-fit tests.

Where the chain starts
----------------------
With no last night, tonight is drawn from the stationary law ``nights``. When the last night
is given but is not a night of the plan's support (an override), the draw conditions on the
nearest information the record holds, in this order:

1. the same night (site, room and every post): the transition row of that night;
2. the same site and room: the set ``A`` of support nights with that site and room;
3. the same site: the set ``A`` of support nights at that site;
4. nothing matches: the stationary law.

For a set ``A`` the draw uses the exact conditional law of the chain given "yesterday was in
``A``": ``P(tonight = j | A) = sum_{i in A} pairs[i, j] / sum_{i in A} p_i``. In particular,
under ``no_repeat`` a night at site ``s`` (case 2 or 3) never leads to ``s`` again, and when
the support has no night at ``s`` (case 4) the stationary law gives ``s`` no weight anyway.

Examples
--------
>>> from escolta.protect.plan import Night, Plan, SolverInfo
>>> plan = Plan(risk=0.1, adversaries={"x": 0.1}, site_probability={"a": 0.5, "b": 0.5},
...     nights=(Night(0.5, "a", 1, {}), Night(0.5, "b", 1, {})),
...     pairs=None, solver=SolverInfo("optimal", 0.0, 0.1))
>>> draws = draw_nights(plan, 3, seed=7)
>>> draws.seeded, len(draws.nights), set(n.site for n in draws.nights) <= {"a", "b"}
(True, 3, True)
"""

from __future__ import annotations

import secrets
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import accumulate

import numpy as np

from escolta.errors import InputError
from escolta.protect.plan import Night, Plan

_FLOAT_BITS = 53  # a double's mantissa: uniform floats k / 2**53, k in [0, 2**53)


@dataclass(frozen=True)
class Draws:
    """Nights drawn from a plan.

    Attributes
    ----------
    indices
        Index into ``plan.nights`` of each drawn night, in order.
    nights
        The drawn nights themselves (``p`` is the night's stationary probability).
    seeded
        True when the draws came from a seed (simulation or tests), False when they came
        from the OS CSPRNG. Every store and display of these draws must carry this flag.
    conditioned_on
        How the first night was conditioned on the last one: ``"stationary"`` (no usable
        last night), ``"night"`` (the last night is in the support), ``"site and room"`` or
        ``"site"`` (the nearest information, for a last night outside the support).
    """

    indices: tuple[int, ...]
    nights: tuple[Night, ...]
    seeded: bool
    conditioned_on: str


def csprng_uniform() -> float:
    """A uniform float in ``[0, 1)`` from the OS CSPRNG (:func:`secrets.randbits`).

    Every value ``k / 2**53`` with ``k`` in ``[0, 2**53)`` is equally likely.

    Examples
    --------
    >>> 0.0 <= csprng_uniform() < 1.0
    True
    """
    return secrets.randbits(_FLOAT_BITS) / float(1 << _FLOAT_BITS)


def _cumulative(weights: np.ndarray) -> list[float]:
    """Normalized cumulative sums for :func:`bisect.bisect_right` with ``u`` in ``[0, 1)``.

    Entries from the last positive weight on are set to 2, so rounding in the sums can never
    select an index past it, and a zero-weight entry is never selected (its cumulative value
    equals its predecessor's).
    """
    total = float(weights.sum())
    if not total > 0.0:
        raise InputError("plan.nights", total, "the probabilities must have a positive sum")
    cdf = np.cumsum(weights) / total
    last_positive = int(np.flatnonzero(weights > 0)[-1])
    cdf[last_positive:] = 2.0
    return cdf.tolist()


@dataclass(frozen=True)
class _Chain:
    """Per-state cumulative tables of a plan's chain (row ``n`` is the stationary law)."""

    stationary: np.ndarray
    joint: np.ndarray | None  # pairs as a matrix, or None for independent nights
    tables: tuple[list[float], ...]

    @property
    def size(self) -> int:
        return len(self.stationary)

    def step(self, state: int, u: float) -> int:
        """Next state from ``state`` (``-1`` or ``size``: stationary) with uniform ``u``."""
        return bisect_right(self.tables[state], u)


def _chain(plan: Plan) -> _Chain:
    stationary = np.asarray(plan.night_probabilities, dtype=float)
    if len(stationary) == 0:
        raise InputError("plan.nights", 0, "the plan has no nights to draw from")
    if np.any(stationary < 0) or not np.all(np.isfinite(stationary)):
        raise InputError("plan.nights", stationary.min(), "probabilities must be finite and >= 0")
    stationary_table = _cumulative(stationary)
    if plan.pairs is None:
        return _Chain(stationary, None, tuple([stationary_table] * len(stationary))
                      + (stationary_table,))
    n = len(stationary)
    joint = plan.pairs.joint(n)
    if np.any(joint < 0) or not np.all(np.isfinite(joint)):
        raise InputError("plan.pairs", joint.min(), "probabilities must be finite and >= 0")
    rows = []
    for i in range(n):
        # A night never left in the stationary chain (a zero row) restarts from the
        # stationary law; in an exact plan such a night has p_i = 0 and is never reached.
        rows.append(_cumulative(joint[i]) if joint[i].sum() > 0 else stationary_table)
    return _Chain(stationary, joint, tuple(rows) + (stationary_table,))


def _conditional_law(chain: _Chain, members: np.ndarray) -> np.ndarray:
    """``P(tonight = j | yesterday in members)`` from the joint (or the stationary law)."""
    if chain.joint is None:
        return chain.stationary
    row = chain.joint[members].sum(axis=0)
    return row if row.sum() > 0 else chain.stationary


def _first_law(plan: Plan, chain: _Chain,
               last: Night | None) -> tuple[np.ndarray | None, str, int | None]:
    """Tonight's law given the last night, how it was conditioned, and the row used.

    The law is None for the stationary law; the row is the index of ``last`` in the support
    when it is there (its precomputed table can then be used as is).
    """
    if last is None:
        return None, "stationary", None
    key = last.key()
    for i, night in enumerate(plan.nights):
        if night.key() == key and chain.stationary[i] > 0:
            return _conditional_law(chain, np.array([i])), "night", i
    sites = np.array([n.site for n in plan.nights])
    rooms = np.array([n.room for n in plan.nights])
    weights_positive = chain.stationary > 0
    for label, mask in (("site and room", (sites == last.site) & (rooms == last.room)),
                        ("site", sites == last.site)):
        members = np.flatnonzero(mask & weights_positive)
        if len(members):
            return _conditional_law(chain, members), label, None
    return None, "stationary", None


def _first_table(plan: Plan, chain: _Chain, last: Night | None) -> tuple[list[float], str]:
    """The cumulative table for tonight given the last night, and how it was conditioned."""
    law, conditioned_on, row = _first_law(plan, chain, last)
    if row is not None:
        return chain.tables[row], conditioned_on
    if law is None:
        return chain.tables[-1], conditioned_on
    return _cumulative(law), conditioned_on


def next_night_law(plan: Plan, last: Night | None) -> tuple[np.ndarray, str]:
    """``P(tonight = j | last night)`` over ``plan.nights``, and how it was conditioned.

    The same law :func:`draw_nights` draws the first night from (see the module docstring
    for a last night outside the support).

    Examples
    --------
    >>> from escolta.protect.plan import Night, Pair, Plan, SolverInfo
    >>> plan = Plan(0.0, {}, {}, (Night(0.5, "a", 1, {}), Night(0.5, "b", 1, {})),
    ...             (Pair(0, 1, 0.5), Pair(1, 0, 0.5)), SolverInfo("optimal", 0.0, 0.0))
    >>> law, how = next_night_law(plan, Night(0.0, "a", 1, {}))
    >>> law.tolist(), how
    ([0.0, 1.0], 'night')
    """
    chain = _chain(plan)
    law, conditioned_on, _ = _first_law(plan, chain, last)
    law = chain.stationary if law is None else law
    return law / law.sum(), conditioned_on


def _members(plan: Plan, chain: _Chain, night: Night) -> np.ndarray:
    """The support nights that stand for ``night``: itself, else those with its site and
    room, else those at its site, else all (the nearest information, as for the last night)."""
    key = night.key()
    positive = chain.stationary > 0
    same = np.array([n.key() == key for n in plan.nights]) & positive
    if same.any():
        return np.flatnonzero(same)
    sites = np.array([n.site for n in plan.nights])
    rooms = np.array([n.room for n in plan.nights])
    for mask in ((sites == night.site) & (rooms == night.room), sites == night.site):
        if (mask & positive).any():
            return np.flatnonzero(mask & positive)
    return np.flatnonzero(positive)


def _bridge_messages(chain: _Chain, count: int, members: np.ndarray) -> list[np.ndarray] | None:
    """``beta[k][i] = P(the night after the run is in members | night k of the run is i)``,
    k = 0..count-1 (backward messages of a Markov bridge); None when the chain has no pairs."""
    if chain.joint is None:
        return None
    from scipy import sparse

    rows = chain.joint.sum(axis=1)
    transition = sparse.csr_matrix(chain.joint / np.where(rows > 0, rows, 1.0)[:, None])
    target = np.zeros(chain.size)
    target[members] = 1.0
    beta = [transition @ target]
    for _ in range(count - 1):
        beta.append(transition @ beta[-1])
    return beta[::-1]


def draw_nights(
    plan: Plan,
    count: int,
    *,
    last: Night | None = None,
    seed: int | None = None,
    then: Night | None = None,
) -> Draws:
    """Draw the next ``count`` nights of a plan, conditioned on the last night spent.

    With ``then`` (a night already drawn or spent for the date right after the run), the run
    is drawn from the chain conditioned on both ends (a Markov bridge): tonight's law times
    the chance of reaching ``then``, so the seam obeys the plan's transitions (under
    ``no_repeat`` the run never ends at ``then``'s site). A ``then`` the chain cannot reach
    from the last night is ignored and ``conditioned_on`` says so.

    Parameters
    ----------
    plan
        The plan (docs/design.md §5); a Markov chain when it has ``pairs``.
    count
        How many consecutive nights to draw (0 or more).
    last
        The last night actually spent, or None. Its ``p`` is ignored. A night outside the
        plan's support is matched on the nearest information (see the module docstring).
    seed
        For simulation and tests only: draws from ``numpy.random.default_rng(seed)`` and
        marks the result ``seeded=True``. Without it the OS CSPRNG is used (section 6).

    Returns
    -------
    Draws
        The nights in order, whether they were seeded, and how the first was conditioned.
    """
    if count < 0:
        raise InputError("count", count, "must be 0 or more")
    if seed is not None and seed < 0:
        raise InputError("seed", seed, "must be 0 or more")
    chain = _chain(plan)
    uniform: Callable[[], float]
    if seed is None:
        uniform = csprng_uniform
    else:
        generator = np.random.default_rng(seed)
        uniform = generator.random
    table, conditioned_on = _first_table(plan, chain, last)
    beta = None if then is None or count == 0 else _bridge_messages(
        chain, count, _members(plan, chain, then))
    if beta is not None:
        law, _, _ = _first_law(plan, chain, last)
        first = (chain.stationary if law is None else law) * beta[0]
        if first.sum() > 0:
            return _draw_bridge(plan, chain, first, beta, uniform, seed, conditioned_on)
        conditioned_on += " (the night after the run cannot follow it: not bridged)"
    indices: list[int] = []
    for _ in range(count):
        state = bisect_right(table, float(uniform()))
        indices.append(state)
        table = chain.tables[state]
    return Draws(
        indices=tuple(indices),
        nights=tuple(plan.nights[i] for i in indices),
        seeded=seed is not None,
        conditioned_on=conditioned_on,
    )


def _draw_bridge(plan: Plan, chain: _Chain, first: np.ndarray, beta: list[np.ndarray],
                 uniform: Callable[[], float], seed: int | None,
                 conditioned_on: str) -> Draws:
    """The run drawn night by night from the chain given both ends (see :func:`draw_nights`)."""
    assert chain.joint is not None
    state = bisect_right(_cumulative(first), float(uniform()))
    indices = [state]
    for k in range(1, len(beta)):
        weights = chain.joint[state] * beta[k]
        if not weights.sum() > 0:  # rounding: fall back to the plain step
            weights = chain.joint[state]
        state = bisect_right(_cumulative(weights), float(uniform()))
        indices.append(state)
    return Draws(tuple(indices), tuple(plan.nights[i] for i in indices), seed is not None,
                 conditioned_on + ", bridged to the night after")


def simulate_indices(
    plan: Plan,
    count: int,
    rng: np.random.Generator,
    start: int | None = None,
) -> np.ndarray:
    """Run the plan's chain for ``count`` nights; fast, for simulations.

    Parameters
    ----------
    plan
        The plan.
    count
        Number of nights to simulate.
    rng
        The source of randomness (simulations only; operational draws use
        :func:`draw_nights`).
    start
        Index of the night *before* the first simulated one, or None to draw the first
        night from the stationary law.

    Returns
    -------
    numpy.ndarray
        ``count`` indices into ``plan.nights`` (dtype ``int64``).

    Notes
    -----
    Independent nights (no ``pairs``) are drawn in one vectorized ``searchsorted``. A chain
    walks its per-night cumulative tables with :func:`bisect.bisect_right` inside
    :func:`itertools.accumulate` (speeds: docs/operations.md, ``benchmarks/bench_draws.py``).
    """
    if count < 0:
        raise InputError("count", count, "must be 0 or more")
    chain = _chain(plan)
    if start is not None and not 0 <= start < chain.size:
        raise InputError("start", start, f"must index one of the plan's {chain.size} nights")
    uniforms = rng.random(count)
    if chain.joint is None:
        cdf = np.asarray(chain.tables[-1])
        return np.searchsorted(cdf, uniforms, side="right").astype(np.int64)
    tables = chain.tables
    first = chain.size if start is None else start  # row `size` is the stationary law
    walk = accumulate(uniforms.tolist(), lambda state, u: bisect_right(tables[state], u),
                      initial=first)
    out = np.fromiter(walk, dtype=np.int64, count=count + 1)
    return out[1:]


def night_from_record(site: str, room: int, posts: Mapping[str, str]) -> Night:
    """A :class:`Night` for a recorded night (probability 0: its identity is what matters)."""
    return Night(p=0.0, site=site, room=room, posts=posts)
