"""ORIGAMI: the strong Stackelberg equilibrium of a compact security game with one attacker
type, in O(n log n) time and O(n) memory (Kiekintveld et al., *Computing optimal randomized
resource allocations for massive security games*, AAMAS 2009, Algorithm 1).

The attacker attacks a target of highest expected utility. ORIGAMI lowers that utility level
``x`` as far as the resources allow: the *attack set* is every target whose uncovered attacker
payoff is at least ``x``, and each of them is covered just enough to bring the attacker's
utility there down to ``x``,

    c_t(x) = (U_a^u(t) - x) / (U_a^u(t) - U_a^c(t)).

Instead of the paper's loop (add one target, recompute), this implementation sorts the
targets once by ``U_a^u`` and evaluates every prefix at once with cumulative sums: for the
first ``k`` targets the coverage needed at level ``x`` is ``S_k - x R_k`` with
``S_k = Σ U_a^u/Δ`` and ``R_k = Σ 1/Δ``, and the level cannot go below the largest covered
payoff ``L_k`` of the prefix (coverage 1). The attack set stops growing at the first prefix
that cannot reach the next target's payoff; the level is then the larger of the budget level
``(S_k - m)/R_k`` and ``L_k``.

This is exact when covering a target never helps the attacker nor hurts the defender there
(``U_a^c <= U_a^u`` and ``U_d^c >= U_d^u``, the standard security-game assumption): then the
minimal attack level is optimal for every target in the attack set, and the attacker's choice
within the set (the defender's favourite, strong Stackelberg) gives the SSE.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from escolta.errors import InputError
from escolta.games.evaluate import coverage_solution, strong_response, tie_tolerance
from escolta.games.model import SecurityGame, Solution


def check_standard_payoffs(game: SecurityGame, method: str) -> None:
    """Raise :class:`InputError` (field ``method``) unless the game is a one-type compact game
    whose covered payoffs favour the defender at every target."""
    if game.schedules is not None:
        raise InputError("method", method, "does not handle schedules (use aspen or milp)")
    if len(game.attacker_types) != 1:
        raise InputError(
            "method", method, f"needs one attacker type, the game has {len(game.attacker_types)}"
        )
    attacker = game.attacker_types[0]
    # ``better`` must never exceed ``worse``: covering does not help the attacker ...
    for side, worse, better in (
        ("attacker", attacker.attacker_uncovered, attacker.attacker_covered),
        # ... nor hurt the defender
        ("defender", attacker.defender_covered, attacker.defender_uncovered),
    ):
        bad = np.flatnonzero(better > worse)
        if len(bad):
            t = int(bad[0])
            relation = "covered <= uncovered" if side == "attacker" else "covered >= uncovered"
            raise InputError(
                "method",
                method,
                f"needs {side} {relation} at every target; target {game.targets[t]!r} "
                f"(attacker_types[0].{side}.covered[{t}]) breaks it",
            )


def origami_coverage(
    attacker_covered: np.ndarray, attacker_uncovered: np.ndarray, resources: float
) -> tuple[np.ndarray, float, int]:
    """The coverage minimizing the attacker's best expected utility (ORIGAMI's attack set).

    Parameters
    ----------
    attacker_covered, attacker_uncovered
        The attacker's payoffs, float arrays of length n with covered <= uncovered.
    resources
        m > 0.

    Returns
    -------
    coverage : ndarray
        Coverage of every target (attack set at the minimal level, zero elsewhere).
    level : float
        The attacker's expected utility at every target of the attack set.
    attack_set_size : int
        How many targets (the largest ``U_a^u``) form the attack set.

    Examples
    --------
    Two targets worth 10 and 5 to an attacker who gets 0 when caught, one resource: the level
    x solves (10 - x)/10 + (5 - x)/5 = 1, so x = 10/3.

    >>> c, x, k = origami_coverage(np.zeros(2), np.array([10.0, 5.0]), 1)
    >>> np.round(c, 6).tolist(), round(x, 6), k
    ([0.666667, 0.333333], 3.333333, 2)
    """
    attack = _origami(attacker_covered, attacker_uncovered, resources)
    return attack.coverage(), attack.level, attack.size


@dataclass(frozen=True)
class _AttackSet:
    """ORIGAMI's result in the targets' order of decreasing ``U_a^u``."""

    order: np.ndarray  # target indices, most attractive uncovered first
    top: np.ndarray  # U_a^u in that order
    sorted_coverage: np.ndarray
    level: float
    size: int

    def coverage(self) -> np.ndarray:
        coverage = np.empty(len(self.order))
        coverage[self.order] = self.sorted_coverage
        return coverage


def _origami(covered: np.ndarray, uncovered: np.ndarray, resources: float) -> _AttackSet:
    uncovered = np.asarray(uncovered, dtype=np.float64)
    covered = np.asarray(covered, dtype=np.float64)
    n = uncovered.shape[0]
    order = np.argsort(uncovered)[::-1]
    top = uncovered[order]
    gap = top - covered[order]
    moving = gap > 0.0
    # 1/Δ for targets whose attacker utility moves with coverage; 0 for the degenerate ones
    # (covered == uncovered), which need no coverage but pin the level at their payoff.
    inverse_gap = np.divide(1.0, gap, out=np.zeros(n), where=moving)
    ratio_sum = np.cumsum(top * inverse_gap)
    inverse_sum = np.cumsum(inverse_gap)
    floor = np.maximum.accumulate(np.where(moving, top - gap, top))
    # prefix k (the first k+1 targets) can bring the level down to the next target's payoff
    following = top[1:]
    need = following * inverse_sum[:-1]
    np.subtract(ratio_sum[:-1], need, out=need)
    reaches = (need <= resources) & (floor[:-1] <= following)
    stop = int(np.argmin(reaches)) if n > 1 and not reaches.all() else n - 1
    level = float(floor[stop])
    if inverse_sum[stop] > 0.0:
        level = max(level, float((ratio_sum[stop] - resources) / inverse_sum[stop]))
    size = stop + 1
    sorted_coverage = np.zeros(n)
    np.clip((top[:size] - level) * inverse_gap[:size], 0.0, 1.0, out=sorted_coverage[:size])
    return _AttackSet(order, top, sorted_coverage, level, size)


def origami_solve(game: SecurityGame, time_limit: float | None = None) -> Solution:
    """Strong Stackelberg equilibrium of a one-type compact security game by ORIGAMI.

    Parameters
    ----------
    game
        One attacker type, no schedules, ``U_a^c <= U_a^u`` and ``U_d^c >= U_d^u`` at every
        target (otherwise :class:`InputError` naming ``method``; use ``security_lps``).
    time_limit
        Ignored (ORIGAMI takes O(n log n) time); accepted for a uniform solver signature.

    Returns
    -------
    Solution
        ``coverage``; the attacked target is the defender's favourite in the attack set.
        Resources left once the level cannot drop further go first to the attacked target if
        its attacker payoff does not depend on coverage, then to the targets outside the
        attack set (most attractive first); neither changes the equilibrium.

    Examples
    --------
    >>> from escolta.games.loader import load
    >>> game = load({"kind": "security", "resources": 1, "targets": ["a", "b"],
    ...     "attacker_types": [{"name": "x", "prior": 1,
    ...         "defender": {"covered": [0, 0], "uncovered": [-10, -5]},
    ...         "attacker": {"covered": [0, 0], "uncovered": [10, 5]}}]})
    >>> s = origami_solve(game)
    >>> np.round(s.coverage, 6).tolist(), round(s.defender_value, 6), s.responses
    ([0.666667, 0.333333], -3.333333, {'x': 0})
    """
    started = time.perf_counter()
    check_standard_payoffs(game, "origami")
    attacker = game.attacker_types[0]
    attack = _origami(
        attacker.attacker_covered, attacker.attacker_uncovered, float(game.resources)
    )
    coverage = attack.coverage()
    leftover = game.resources - float(attack.sorted_coverage[: attack.size].sum())
    if leftover > 1e-9:
        coverage = _place_leftover(game, coverage, attack.level)
        target = _attacked(game, coverage, np.arange(game.n_targets))
    else:
        # only the attack set and targets tied with its level can be attacked
        tolerance = tie_tolerance(attacker.attacker_covered, attacker.attacker_uncovered)
        tied = int(np.searchsorted(-attack.top, -(attack.level - tolerance), side="right"))
        target = _attacked(game, coverage, attack.order[: max(tied, attack.size)])
    return coverage_solution(
        game, coverage, method="origami", started=started, responses={attacker.name: target},
        params={"attack_set_size": attack.size, "attacker_level": attack.level},
    )


def _attacked(game: SecurityGame, coverage: np.ndarray, candidates: np.ndarray) -> int:
    """The strong-Stackelberg target among ``candidates`` (which hold every best response)."""
    attacker = game.attacker_types[0]
    tolerance = tie_tolerance(attacker.attacker_covered, attacker.attacker_uncovered)
    c = coverage[candidates]
    attacker_utility = c * attacker.attacker_covered[candidates] + (1.0 - c) * (
        attacker.attacker_uncovered[candidates]
    )
    defender_utility = c * attacker.defender_covered[candidates] + (1.0 - c) * (
        attacker.defender_uncovered[candidates]
    )
    return int(candidates[strong_response(attacker_utility, defender_utility, tolerance)])


def _place_leftover(game: SecurityGame, coverage: np.ndarray, level: float) -> np.ndarray:
    """Spend resources ORIGAMI could not use to lower the level (see :func:`origami_solve`)."""
    attacker = game.attacker_types[0]
    leftover = game.resources - float(coverage.sum())
    if leftover <= 1e-12:
        return coverage
    tolerance = tie_tolerance(attacker.attacker_covered, attacker.attacker_uncovered)
    utility = attacker.attacker_utility(coverage)
    in_set = utility >= level - tolerance
    fixed = attacker.attacker_covered == attacker.attacker_uncovered
    # A degenerate target in the attack set stays attractive at any coverage: if it is the
    # defender's favourite once covered, cover it.
    boosted = coverage.copy()
    boost = np.where(in_set & fixed, np.minimum(1.0, coverage + leftover), coverage)
    defender = attacker.defender_covered * boost + attacker.defender_uncovered * (1.0 - boost)
    defender = np.where(in_set, defender, -np.inf)
    favourite = int(np.argmax(defender))
    if fixed[favourite] and in_set[favourite]:
        leftover -= boost[favourite] - boosted[favourite]
        boosted[favourite] = boost[favourite]
    # Then the targets outside the attack set, most attractive first: lowering their utility
    # further keeps them out of it.
    outside = np.flatnonzero(~in_set)
    if leftover > 1e-12 and len(outside):
        outside = outside[np.argsort(attacker.attacker_uncovered[outside])[::-1]]
        room = 1.0 - boosted[outside]
        before = np.cumsum(room) - room
        boosted[outside] += np.clip(leftover - before, 0.0, room)
    return boosted
