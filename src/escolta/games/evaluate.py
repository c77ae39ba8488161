"""Evaluate a committed leader strategy: each type's best response (ties broken in the
defender's favour, the strong Stackelberg convention of docs/design.md §2) and the
defender's expected utility.

Solvers use these to report the responses and value of the strategy they found; tests use
them as an independent check of what a solver claims.
"""

from __future__ import annotations

import time

import numpy as np

from escolta.games.model import NormalFormGame, SecurityGame, Solution

RELATIVE_TIE_TOLERANCE = 1e-7
"""Two attacker utilities within this much (times the payoff scale) count as a tie."""


def tie_tolerance(*payoffs: np.ndarray) -> float:
    """The absolute tolerance for ties: :data:`RELATIVE_TIE_TOLERANCE` times the payoff scale."""
    scale = max((float(np.max(np.abs(p))) for p in payoffs if np.size(p)), default=1.0)
    return RELATIVE_TIE_TOLERANCE * max(1.0, scale)


def strong_response(
    attacker_utility: np.ndarray, defender_utility: np.ndarray, tolerance: float
) -> int:
    """Index of the best response: among the attacker's maximizers (within ``tolerance``) the
    one best for the defender; the lowest index among exact defender ties.

    Examples
    --------
    >>> strong_response(np.array([3.0, 3.0, 1.0]), np.array([-5.0, -1.0, 9.0]), 1e-9)
    1
    """
    best = attacker_utility.max()
    candidates = np.flatnonzero(attacker_utility >= best - tolerance)
    return int(candidates[np.argmax(defender_utility[candidates])])


def security_responses(game: SecurityGame, coverage: np.ndarray) -> dict[str, int]:
    """Each attacker type's strong-Stackelberg target under ``coverage``."""
    coverage = np.asarray(coverage, dtype=float)
    responses = {}
    for attacker in game.attacker_types:
        tolerance = tie_tolerance(attacker.attacker_covered, attacker.attacker_uncovered)
        responses[attacker.name] = strong_response(
            attacker.attacker_utility(coverage), attacker.defender_utility(coverage), tolerance
        )
    return responses


def security_value(game: SecurityGame, coverage: np.ndarray, responses: dict[str, int]) -> float:
    """Σ_θ p_θ U_d^θ(t_θ, c): the defender's expected utility when type θ attacks t_θ."""
    coverage = np.asarray(coverage, dtype=float)
    return float(
        sum(
            a.prior * a.defender_utility(coverage)[responses[a.name]]
            for a in game.attacker_types
        )
    )


def coverage_solution(
    game: SecurityGame, coverage: np.ndarray, *, method: str, started: float,
    open_bound: float | None = None, responses: dict[str, int] | None = None,
    mixed_strategy: tuple[tuple[float, tuple[int, ...]], ...] | None = None,
    params: dict[str, object] | None = None,
) -> Solution:
    """A security solver's final coverage as a :class:`Solution`, its value evaluated here.

    ``open_bound`` ``None`` means the solver proved the coverage optimal (status ``optimal``,
    bound = value); otherwise the time limit struck with that best open bound left (status
    ``time_limit``, bound at least the value). ``responses`` are the strong responses
    evaluated here unless the solver's own (a best response it enforced) are given.
    ``started`` is the solve's ``perf_counter``.
    """
    if responses is None:
        responses = security_responses(game, coverage)
    value = security_value(game, coverage, responses)
    status, bound = _ending(value, open_bound)
    return Solution(
        defender_value=value,
        responses=responses,
        method=method,
        seconds=time.perf_counter() - started,
        status=status,
        coverage=coverage,
        bound=bound,
        mixed_strategy=mixed_strategy,
        params=params or {},
    )


def strategy_solution(
    game: NormalFormGame, strategy: np.ndarray, *, method: str, started: float,
    open_bound: float | None = None, responses: dict[str, int] | None = None,
    params: dict[str, object] | None = None,
) -> Solution:
    """A normal-form solver's final leader strategy as a :class:`Solution`: the twin of
    :func:`coverage_solution` (same ``open_bound``, ``responses`` and ``started``).

    Examples
    --------
    >>> from escolta.games.loader import load
    >>> game = load({"kind": "normal_form", "followers": [{"name": "f", "prior": 1,
    ...     "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]}]})
    >>> s = strategy_solution(game, np.array([0.5, 0.5]), method="hand", started=0.0)
    >>> s.responses, s.defender_value, s.status, s.bound
    ({'f': 1}, 3.5, 'optimal', 3.5)
    """
    if responses is None:
        responses = normal_form_responses(game, strategy)
    value = normal_form_value(game, strategy, responses)
    status, bound = _ending(value, open_bound)
    return Solution(
        defender_value=value,
        responses=responses,
        method=method,
        seconds=time.perf_counter() - started,
        status=status,
        leader_strategy=strategy,
        bound=bound,
        params=params or {},
    )


def _ending(value: float, open_bound: float | None) -> tuple[str, float]:
    """Status and bound: ``optimal`` at the value, or ``time_limit`` with the open bound (never
    below the value reached; ``inf`` when nothing was proven)."""
    if open_bound is None:
        return "optimal", value
    return "time_limit", max(value, open_bound)


def normal_form_responses(game: NormalFormGame, strategy: np.ndarray) -> dict[str, int]:
    """Each follower type's strong-Stackelberg action against the leader's mixed ``strategy``."""
    strategy = np.asarray(strategy, dtype=float)
    return {
        f.name: strong_response(
            strategy @ f.follower, strategy @ f.leader, tie_tolerance(f.follower)
        )
        for f in game.followers
    }


def normal_form_value(
    game: NormalFormGame, strategy: np.ndarray, responses: dict[str, int]
) -> float:
    """Σ_l p_l x·A_l[:, j_l]: the leader's expected utility when type l plays j_l."""
    strategy = np.asarray(strategy, dtype=float)
    return float(sum(f.prior * (strategy @ f.leader)[responses[f.name]] for f in game.followers))


def clean_distribution(x: np.ndarray) -> np.ndarray:
    """Clip solver noise from a probability vector and renormalize to sum exactly to 1."""
    x = np.clip(np.asarray(x, dtype=float), 0.0, None)
    return x / x.sum()


def clean_coverage(c: np.ndarray, resources: int) -> np.ndarray:
    """Clip solver noise from a coverage vector into [0, 1] with sum at most ``resources``."""
    c = np.clip(np.asarray(c, dtype=float), 0.0, 1.0)
    total = c.sum()
    if total > resources:
        c = c * (resources / total)
    return c
