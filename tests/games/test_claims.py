"""One claims check, run against every registered method on a shared library of reference games
(as cvxpy's ``solver_test_helpers`` runs the same reference problems against every solver).

What a method claims about its :class:`~escolta.games.model.Solution`, checked here from
first principles and never from the method itself:

* the strategy is feasible (coverage in [0, 1] within the resources, or a mix of at most
  ``m`` schedules that implements it; a leader strategy is a distribution);
* each type's reported response is a best response, and among the tied best responses the
  one best for the defender (the strong Stackelberg convention);
* the reported value is the defender's utility of the strategy against those responses;
* at ``optimal`` the value is the reference game's SSE value (the brute force of
  ``game_cases``: one SciPy LP per response profile over explicit pure assignments, Conitzer &
  Sandholm, EC 2006) and the bound equals it; a bound is never below the value.

Methods come from the registry of ``escolta.games.solve``; a method whose ``misfit`` says it
does not fit a game is skipped with that reason.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from game_cases import (
    brute_force_normal_form,
    brute_force_security,
    random_normal_form_game,
    random_security_game,
)

from escolta.games import NormalFormGame, SecurityGame, load
from escolta.games.model import Game, Solution
from escolta.games.solve import METHODS, solve

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "games"
VALUE_TOLERANCE = 1e-6
"""Reported vs reference value, in units of the game's largest payoff."""
TIE_WINDOW = 1e-7
"""Attacker utilities within this (times the largest payoff) are tied: the library's
documented convention (docs/games.md, "Tie-breaking")."""


@dataclass(frozen=True)
class Reference:
    """A reference game and where its value comes from."""

    name: str
    build: object  # () -> Game
    source: str


def _example(file: str) -> Reference:
    return Reference(file.removesuffix(".json"), lambda: load(EXAMPLES / file),
                     f"examples/games/{file}, value by brute force")


def _random_security(seed: int, n: int, m: int, types: int, **kwargs: object) -> Reference:
    def build() -> SecurityGame:
        return random_security_game(np.random.default_rng(seed), n, m, types, **kwargs)

    flags = "-".join(k for k, v in kwargs.items() if v is True) or "standard"
    return Reference(f"random-security-{n}x{m}x{types}-{flags}-{seed}", build,
                     "random (Kiekintveld et al. 2009 ranges), value by brute force")


def _random_normal_form(seed: int, n: int, m: int, types: int, **kwargs: object) -> Reference:
    def build() -> NormalFormGame:
        return random_normal_form_game(np.random.default_rng(seed), n, m, types, **kwargs)

    flags = "zero-sum" if kwargs.get("zero_sum") else "general"
    return Reference(f"random-normal-form-{n}x{m}x{types}-{flags}-{seed}", build,
                     "random integer payoffs, value by brute force")


REFERENCES = (
    _example("commitment-2x2.json"),
    _example("commitment-2x3.json"),
    _example("port.json"),
    _example("port-schedules.json"),
    _example("patrol-zero-sum.json"),
    _example("airport-bayesian.json"),
    _example("bayesian-patrol-normal-form.json"),
    _random_security(1, 6, 2, 1),
    _random_security(2, 5, 2, 1, standard=False),
    _random_security(3, 6, 2, 3, integer=False),
    _random_security(4, 5, 2, 2),
    _random_security(5, 5, 2, 1, zero_sum=True),
    _random_normal_form(6, 3, 4, 1),
    _random_normal_form(7, 3, 3, 2),
    _random_normal_form(8, 3, 3, 1, zero_sum=True),
    _random_normal_form(9, 3, 3, 2, zero_sum=True),
)


@functools.cache
def _game(name: str) -> Game:
    return next(r for r in REFERENCES if r.name == name).build()


@functools.cache
def _reference_value(name: str) -> float:
    game = _game(name)
    if isinstance(game, SecurityGame):
        return brute_force_security(game)
    return brute_force_normal_form(game)


def _payoff_scale(game: Game) -> float:
    if isinstance(game, SecurityGame):
        arrays = [getattr(a, field) for a in game.attacker_types for field in (
            "defender_covered", "defender_uncovered", "attacker_covered", "attacker_uncovered")]
    else:
        arrays = [m for f in game.followers for m in (f.leader, f.follower)]
    return max(1.0, max(float(np.max(np.abs(a))) for a in arrays))


def _utilities(game: Game, solution: Solution) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Per type: its name, the attacker's and the defender's utility of each response."""
    if isinstance(game, SecurityGame):
        c = solution.coverage
        return [(a.name, a.attacker_utility(c), a.defender_utility(c))
                for a in game.attacker_types]
    x = solution.leader_strategy
    return [(f.name, x @ f.follower, x @ f.leader) for f in game.followers]


def _priors(game: Game) -> list[float]:
    types = game.attacker_types if isinstance(game, SecurityGame) else game.followers
    return [t.prior for t in types]


def assert_feasible(game: Game, solution: Solution) -> None:
    if isinstance(game, NormalFormGame):
        x = solution.leader_strategy
        assert x is not None and x.shape == (game.n_leader_actions,)
        assert np.all(x >= 0.0) and x.sum() == pytest.approx(1.0, abs=1e-9)
        return
    c = solution.coverage
    assert c is not None and c.shape == (game.n_targets,)
    assert np.all(c >= 0.0) and np.all(c <= 1.0)
    if game.schedules is None:
        assert c.sum() <= game.resources + 1e-9
    else:
        mixed = solution.mixed_strategy
        assert mixed is not None, "a schedule game's coverage comes with the mix implementing it"
        assert sum(p for p, _ in mixed) == pytest.approx(1.0, abs=1e-9)
        implemented = np.zeros(game.n_targets)
        for p, assignment in mixed:
            assert p >= 0.0 and len(assignment) <= game.resources
            assert len(set(assignment)) == len(assignment)
            covered = np.zeros(game.n_targets)
            for s in assignment:
                covered[list(game.schedules[s])] = 1.0
            implemented += p * covered
        np.testing.assert_allclose(implemented, c, atol=1e-7)


def assert_claims(game: Game, solution: Solution, reference: float) -> None:
    """Every claim of ``solution`` about ``game`` (module docstring)."""
    scale = _payoff_scale(game)
    assert_feasible(game, solution)
    value = 0.0
    for (name, attacker, defender), prior in zip(_utilities(game, solution), _priors(game),
                                                 strict=True):
        response = solution.responses[name]
        top = attacker.max()
        assert attacker[response] >= top - VALUE_TOLERANCE * scale, (
            f"type {name}: response {response} is not a best response")
        tied = attacker >= top - TIE_WINDOW * scale
        assert defender[response] >= defender[tied].max() - VALUE_TOLERANCE * scale, (
            f"type {name}: ties not broken for the defender")
        value += prior * defender[response]
    assert solution.defender_value == pytest.approx(value, abs=1e-9 * scale)
    assert solution.bound is None or solution.bound >= solution.defender_value - 1e-9 * scale
    if solution.status == "optimal":
        assert solution.defender_value == pytest.approx(reference, abs=VALUE_TOLERANCE * scale)
        assert solution.bound == pytest.approx(solution.defender_value, abs=1e-9 * scale)
    else:
        assert solution.defender_value <= reference + VALUE_TOLERANCE * scale


CASES = [
    pytest.param(method, reference.name, id=f"{method}-{reference.name}")
    for method, reference in itertools.product(sorted(METHODS), REFERENCES)
]


@pytest.mark.parametrize(("method", "game_name"), CASES)
def test_method_claims_hold_on_reference_game(method: str, game_name: str) -> None:
    game = _game(game_name)
    misfit = METHODS[method].misfit(game)
    if misfit is not None:
        pytest.skip(f"{method} does not fit: {misfit}")
    solution = solve(game, method=method)
    assert solution.method == method
    assert_claims(game, solution, _reference_value(game_name))


@pytest.mark.parametrize("game_name", [r.name for r in REFERENCES])
def test_auto_claims_hold_on_reference_game(game_name: str) -> None:
    game = _game(game_name)
    solution = solve(game)
    assert solution.status == "optimal"
    assert_claims(game, solution, _reference_value(game_name))


@pytest.mark.parametrize("game_name", [r.name for r in REFERENCES])
def test_every_reference_game_is_checked_against_some_method(game_name: str) -> None:
    """No reference game is dead weight: some registered method fits it."""
    game = _game(game_name)
    assert any(METHODS[m].misfit(game) is None for m in METHODS)


def test_every_method_meets_some_reference_game() -> None:
    """Each registered method is checked on at least one reference game — except ``pasaq``,
    whose boundedly rational attacker makes a different claim (tests/games/test_quantal.py)."""
    unchecked = {m for m in METHODS
                 if all(METHODS[m].misfit(_game(r.name)) is not None for r in REFERENCES)}
    assert unchecked == {"pasaq"}


def _tampered(change: str) -> tuple[Game, Solution]:
    """A correct solution of commitment-2x2 (x = (1/2, 1/2), the follower tied between its two
    actions, the leader getting 1.5 or 3.5: Conitzer & Sandholm 2006) with one claim broken."""
    game = _game("commitment-2x2")
    right = solve(game)
    if change == "value":
        return game, replace(right, defender_value=3.6)
    if change == "ties":
        return game, replace(right, responses={"f": 0}, defender_value=1.5)
    if change == "not-best":
        x = np.array([0.6, 0.4])  # the follower now strictly prefers action 0
        return game, replace(right, leader_strategy=x, defender_value=float(x @ [4.0, 3.0]))
    if change == "infeasible":
        return game, replace(right, leader_strategy=np.array([0.7, 0.7]), defender_value=4.9)
    return game, replace(right, bound=3.0)


@pytest.mark.parametrize("change", ["value", "ties", "not-best", "infeasible", "bound"])
def test_claims_check_rejects_a_broken_claim(change: str) -> None:
    game, solution = _tampered(change)
    with pytest.raises(AssertionError):
        assert_claims(game, solution, _reference_value("commitment-2x2"))


def test_claims_check_accepts_the_right_solution() -> None:
    game = _game("commitment-2x2")
    assert_claims(game, solve(game), 3.5)
