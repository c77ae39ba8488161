"""From an optimal coverage or mixed strategy to concrete daily assignments.

A defender's optimal *marginal* coverage is only a plan once it is turned into a pure
strategy for today: which targets the m resources guard, or which schedule each resource
runs. The draws here have *exactly* the optimal marginals:

* :func:`comb_sample` — comb (systematic) sampling for singleton coverage (Tsai et al.,
  IRIS, AAMAS 2009; the classic systematic sampling of survey statistics): lay the
  coverage probabilities end to end on ``[0, sum c)``, draw one uniform offset
  ``u in [0, 1)`` and put the m teeth of a comb at ``u, u+1, …, u+m-1``. Target t is guarded
  when a tooth falls in its interval; as ``c_t <= 1`` no target gets two teeth, and
  ``P(t guarded) = c_t`` exactly.
* :func:`comb_decomposition` — the same comb written out as an explicit mixed strategy
  (at most n+1 pure strategies with their probabilities), a constructive
  Birkhoff–von Neumann-style decomposition of the coverage vector.
* :func:`sample_mixed` — a mixed strategy over assignments (what ASPEN returns,
  :mod:`escolta.games.schedules`) is sampled directly.
* :func:`sample_solution` — picks the right one for a solved game.

Randomness (docs/design.md §6): the operating system's CSPRNG (:mod:`secrets`) unless a
``seed`` is given; a seed is for simulation and tests only, and every seeded draw carries
``seeded=True``.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from escolta.errors import InputError
from escolta.games.model import SecurityGame, Solution

#: Coverage may exceed [0, 1] or the budget by this much (LP round-off) and is clipped.
TOLERANCE = 1e-7

_SYSTEM_RANDOM = secrets.SystemRandom()


@dataclass(frozen=True)
class Draw:
    """One concrete pure strategy for today.

    ``targets`` are the guarded target indices (sorted). ``schedules`` gives the schedule
    index per resource when the game has schedules (``None`` otherwise). ``seeded`` marks a
    draw made from a seed (simulation only, docs/design.md §6); ``method`` names how it
    was drawn.
    """

    targets: tuple[int, ...]
    method: str
    seeded: bool
    schedules: tuple[int, ...] | None = None


class _Uniform:
    """Uniform numbers in [0, 1): ``secrets`` (OS CSPRNG) or, with a seed, NumPy's PCG64."""

    def __init__(self, seed: int | None) -> None:
        self.seeded = seed is not None
        self._rng = np.random.default_rng(seed) if seed is not None else None

    def __call__(self) -> float:
        if self._rng is not None:
            return float(self._rng.random())
        return _SYSTEM_RANDOM.random()


def _checked_coverage(coverage: Sequence[float] | np.ndarray, resources: int | None) -> np.ndarray:
    c = np.asarray(coverage, dtype=float)
    if c.ndim != 1 or c.size == 0:
        raise InputError("coverage", coverage, "must be a non-empty vector")
    if not np.all(np.isfinite(c)):
        raise InputError("coverage", coverage, "must be finite")
    if np.any(c < -TOLERANCE) or np.any(c > 1 + TOLERANCE):
        raise InputError("coverage", coverage, "every entry must lie in [0, 1]")
    c = np.clip(c, 0.0, 1.0)
    if resources is not None and c.sum() > resources + TOLERANCE * c.size:
        raise InputError("coverage", float(c.sum()), f"sums to more than resources={resources}")
    return c


def _comb_teeth(c: np.ndarray, resources: int | None) -> tuple[np.ndarray, int]:
    """Cumulative interval ends and the number of teeth (``ceil(sum c)`` capped by m)."""
    ends = np.cumsum(c)
    total = float(ends[-1])
    teeth = math.ceil(total - 1e-12)
    if resources is not None:
        teeth = min(teeth, resources)
    return ends, max(teeth, 0)


def _comb_targets(c: np.ndarray, ends: np.ndarray, teeth: int, offset: float) -> tuple[int, ...]:
    positions = offset + np.arange(teeth)
    positions = positions[positions < ends[-1]]
    # target t owns [ends[t-1], ends[t]); a tooth at x lands in the first t with ends[t] > x
    hit = np.searchsorted(ends, positions, side="right")
    hit = hit[hit < c.size]
    return tuple(int(t) for t in np.unique(hit))


def comb_sample(
    coverage: Sequence[float] | np.ndarray,
    *,
    resources: int | None = None,
    seed: int | None = None,
) -> Draw:
    """Draw the guarded targets for one day with ``P(t guarded) = coverage[t]`` exactly.

    Comb (systematic) sampling: cumulative coverage, one uniform offset, one tooth per
    resource (Tsai et al. 2009, IRIS; Kiekintveld et al. 2009 sec. 3 note that any
    coverage with ``sum c <= m`` is implementable this way).

    Parameters
    ----------
    coverage
        Marginal coverage, each entry in [0, 1].
    resources
        The number of resources m; checked against ``sum(coverage)``.
    seed
        For simulation only; ``None`` (default) draws from the OS CSPRNG.

    Returns
    -------
    Draw
        At most ``ceil(sum c)`` distinct targets.

    Examples
    --------
    >>> comb_sample([1.0, 0.0, 1.0], resources=2).targets
    (0, 2)
    >>> comb_sample([0.5, 0.5], resources=1, seed=3).seeded
    True
    """
    c = _checked_coverage(coverage, resources)
    uniform = _Uniform(seed)
    ends, teeth = _comb_teeth(c, resources)
    return Draw(_comb_targets(c, ends, teeth, uniform()), "comb", uniform.seeded)


def comb_sample_many(
    coverage: Sequence[float] | np.ndarray,
    count: int,
    *,
    resources: int | None = None,
    seed: int | None = None,
) -> tuple[Draw, ...]:
    """``count`` independent comb draws (one generator; see :func:`comb_sample`)."""
    if count < 0:
        raise InputError("count", count, "must be non-negative")
    c = _checked_coverage(coverage, resources)
    uniform = _Uniform(seed)
    ends, teeth = _comb_teeth(c, resources)
    return tuple(
        Draw(_comb_targets(c, ends, teeth, uniform()), "comb", uniform.seeded)
        for _ in range(count)
    )


def comb_decomposition(
    coverage: Sequence[float] | np.ndarray, *, resources: int | None = None
) -> tuple[tuple[float, tuple[int, ...]], ...]:
    """The comb written out: a mixed strategy over at most n+1 target sets.

    As the offset u sweeps [0, 1) the comb's outcome changes only where a tooth crosses an
    interval end, i.e. at the fractional parts of the cumulative coverage. Each piece is one
    pure strategy, its length the probability. The marginals are exactly ``coverage``.

    Examples
    --------
    >>> comb_decomposition([0.5, 0.5, 1.0], resources=2)
    ((0.5, (0, 2)), (0.5, (1, 2)))
    """
    c = _checked_coverage(coverage, resources)
    ends, teeth = _comb_teeth(c, resources)
    cuts = np.unique(np.concatenate([[0.0, 1.0], np.mod(ends, 1.0)]))
    mixed: dict[tuple[int, ...], float] = {}
    for left, right in zip(cuts[:-1], cuts[1:], strict=True):
        if right - left <= 1e-15:
            continue
        targets = _comb_targets(c, ends, teeth, 0.5 * (left + right))
        mixed[targets] = mixed.get(targets, 0.0) + float(right - left)
    return tuple((p, targets) for targets, p in mixed.items())


def sample_mixed(
    mixed_strategy: Sequence[tuple[float, Sequence[int]]],
    *,
    schedules: Sequence[Sequence[int]] | None = None,
    seed: int | None = None,
) -> Draw:
    """Draw one pure strategy from an explicit mix ``[(p, assignment), ...]``.

    ``assignment`` lists the schedule index per resource when ``schedules`` is given (the
    guarded targets are then the union of the chosen schedules), else the guarded targets.
    """
    if not mixed_strategy:
        raise InputError("mixed_strategy", mixed_strategy, "must not be empty")
    weights = np.array([float(p) for p, _ in mixed_strategy])
    if np.any(weights < -TOLERANCE) or abs(weights.sum() - 1.0) > 1e-6:
        raise InputError("mixed_strategy", weights.tolist(), "probabilities must sum to 1")
    cumulative = np.cumsum(np.clip(weights, 0.0, None))
    cumulative /= cumulative[-1]
    uniform = _Uniform(seed)
    index = int(np.searchsorted(cumulative, uniform(), side="right"))
    index = min(index, len(mixed_strategy) - 1)
    chosen = tuple(int(s) for s in mixed_strategy[index][1])
    if schedules is None:
        return Draw(tuple(sorted(set(chosen))), "mixed", uniform.seeded)
    covered = sorted({t for s in chosen for t in schedules[s]})
    return Draw(tuple(covered), "mixed", uniform.seeded, schedules=chosen)


def sample_solution(game: SecurityGame, solution: Solution, *, seed: int | None = None) -> Draw:
    """Today's assignment for a solved security game.

    The mixed strategy is sampled when the solution has one (games with schedules, solved
    by ASPEN); otherwise the coverage is comb-sampled.
    """
    if solution.mixed_strategy is not None:
        return sample_mixed(solution.mixed_strategy, schedules=game.schedules, seed=seed)
    if solution.coverage is None:
        raise InputError("solution", solution.method, "has neither coverage nor mixed strategy")
    if game.schedules is not None:
        raise InputError(
            "solution", solution.method,
            "a game with schedules needs a mixed strategy over assignments (solve with aspen)",
        )
    return comb_sample(solution.coverage, resources=game.resources, seed=seed)
