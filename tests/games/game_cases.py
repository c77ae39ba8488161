"""Random games and independent brute-force solvers for the escolta.games tests.

The brute force enumerates every assignment of responses to types (every response profile)
and solves one LP per profile with SciPy's ``linprog`` — a formulation written here, apart
from the code under test, so agreement is evidence and not an echo.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

from escolta.games import AttackerType, FollowerType, NormalFormGame, SecurityGame
from escolta.games.evaluate import security_responses, security_value
from escolta.games.model import Solution

TOLERANCE = 1e-6


def random_security_game(
    rng: np.random.Generator,
    n_targets: int,
    resources: int,
    n_types: int = 1,
    *,
    standard: bool = True,
    zero_sum: bool = False,
    integer: bool = True,
) -> SecurityGame:
    """Payoffs drawn as in Kiekintveld et al. 2009's experiments (covered in [0, 10] or
    uncovered in [-10, 0] for the defender, the reverse for the attacker); ``integer`` draws
    integers so that ties (and degenerate targets) happen often."""
    priors = rng.dirichlet(np.ones(n_types)) if n_types > 1 else np.ones(1)
    priors = priors / priors.sum()
    types = []
    for k in range(n_types):
        draw = (lambda lo, hi: rng.integers(lo, hi + 1, n_targets).astype(float)) if integer \
            else (lambda lo, hi: rng.uniform(lo, hi, n_targets))
        if standard:
            dc, du, ac, au = draw(0, 10), draw(-10, 0), draw(-10, 0), draw(0, 10)
        else:
            dc, du, ac, au = draw(-10, 10), draw(-10, 10), draw(-10, 10), draw(-10, 10)
        if zero_sum:
            ac, au = -dc, -du
        types.append(AttackerType(f"type{k}", float(priors[k]), dc, du, ac, au))
    return SecurityGame(
        targets=tuple(f"t{i}" for i in range(n_targets)),
        resources=resources,
        attacker_types=tuple(types),
    )


def random_normal_form_game(
    rng: np.random.Generator, n_leader: int, n_follower: int, n_types: int = 1,
    *, zero_sum: bool = False,
) -> NormalFormGame:
    priors = rng.dirichlet(np.ones(n_types)) if n_types > 1 else np.ones(1)
    followers = []
    for k in range(n_types):
        leader = rng.integers(-5, 6, (n_leader, n_follower)).astype(float)
        follower = -leader if zero_sum else rng.integers(-5, 6, (n_leader, n_follower)) * 1.0
        followers.append(FollowerType(f"f{k}", float(priors[k]), leader, follower))
    return NormalFormGame(followers=tuple(followers))


def pure_assignments(game: SecurityGame) -> np.ndarray:
    """Coverage (0/1 per target) of every way to place at most ``m`` resources: on targets
    without schedules, on schedules (a target is covered if any chosen schedule has it)."""
    n = game.n_targets
    if game.schedules is None:
        sets = [list(range(n))[i : i + 1] for i in range(n)]
    else:
        sets = [list(s) for s in game.schedules]
    rows = []
    for k in range(min(game.resources, len(sets)) + 1):
        for chosen in itertools.combinations(range(len(sets)), k):
            row = np.zeros(n)
            for s in chosen:
                row[sets[s]] = 1.0
            rows.append(row)
    return np.unique(np.array(rows), axis=0)


def brute_force_security(game: SecurityGame) -> float:
    """The SSE value: the best over response profiles of :func:`security_profile_value`
    (Conitzer & Sandholm 2006 on the game's normal form over pure assignments)."""
    return max(
        security_profile_value(game, profile)
        for profile in itertools.product(
            range(game.n_targets), repeat=len(game.attacker_types)
        )
    )


def security_profile_value(game: SecurityGame, profile: tuple[int, ...]) -> float:
    """The defender's best value when type θ attacks ``profile[θ]`` and that is a best
    response, as an LP over mixtures ``y`` of pure assignments; ``-inf`` if impossible."""
    pure = pure_assignments(game)  # (P, n)
    p = len(pure)
    cost = np.zeros(p)
    a_ub, b_ub = [], []
    for attacker, t in zip(game.attacker_types, profile, strict=True):
        # coverage c = pure.T @ y; U(t, c) = U^u + c_t (U^c - U^u)
        d_slope = attacker.defender_covered[t] - attacker.defender_uncovered[t]
        cost -= attacker.prior * d_slope * pure[:, t]
        a_slope = attacker.attacker_covered - attacker.attacker_uncovered
        for other in range(game.n_targets):
            if other != t:
                # U_a(other) - U_a(t) <= 0
                a_ub.append(a_slope[other] * pure[:, other] - a_slope[t] * pure[:, t])
                b_ub.append(attacker.attacker_uncovered[t] - attacker.attacker_uncovered[other])
    result = linprog(
        cost,
        A_ub=np.array(a_ub) if a_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=np.ones((1, p)), b_eq=[1.0], bounds=(0, None), method="highs",
    )
    if result.status != 0:
        return -np.inf
    constant = sum(
        a.prior * a.defender_uncovered[t]
        for a, t in zip(game.attacker_types, profile, strict=True)
    )
    return float(constant - result.fun)


def brute_force_normal_form(game: NormalFormGame) -> float:
    """The SSE value: best over follower response profiles of the leader's LP."""
    n = game.n_leader_actions
    m = game.followers[0].leader.shape[1]
    best = -np.inf
    for profile in itertools.product(range(m), repeat=len(game.followers)):
        cost = -sum(f.prior * f.leader[:, j] for f, j in zip(game.followers, profile, strict=True))
        rows = [
            f.follower[:, other] - f.follower[:, j]
            for f, j in zip(game.followers, profile, strict=True)
            for other in range(m)
            if other != j
        ]
        result = linprog(
            cost, A_ub=np.array(rows) if rows else None,
            b_ub=np.zeros(len(rows)) if rows else None,
            A_eq=np.ones((1, n)), b_eq=[1.0], bounds=(0, None), method="highs",
        )
        if result.status == 0:
            best = max(best, -result.fun)
    return best


def single_target_values(game: SecurityGame) -> list[float]:
    """One type: each target's LP value (``-inf`` where it is never a best response)."""
    return [security_profile_value(game, (t,)) for t in range(game.n_targets)]


TWO_TYPES_JSON = {
    "kind": "security", "resources": 1, "targets": ["a", "b", "c"],
    "attacker_types": [
        {"name": name, "prior": 0.5,
         "defender": {"covered": [1, 2, 3], "uncovered": [-3, -2, -1]},
         "attacker": {"covered": [-1, -2, -3], "uncovered": uncovered}}
        for name, uncovered in (("x", [3, 2, 1]), ("y", [1, 2, 3]))],
}
"""A small two-type security game in the exchange format (docs/design.md §2), for CLI
tests of the Bayesian solvers."""


def assert_claims_hold(game: SecurityGame, solution: Solution) -> None:
    """A solver's coverage is feasible and its independent evaluation (``evaluate``) gives the
    responses and value the solver reported."""
    coverage = solution.coverage
    assert coverage is not None
    assert np.all(coverage >= 0.0) and np.all(coverage <= 1.0)
    assert coverage.sum() <= game.resources + 1e-9
    assert solution.responses == security_responses(game, coverage)
    assert solution.defender_value == pytest.approx(
        security_value(game, coverage, solution.responses), abs=1e-9)
