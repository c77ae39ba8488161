"""``is_zero_sum``: one definition (the games' own property), the same answer from
``escolta.games.is_zero_sum``, and for several follower types a zero-sum game whose SSE value
is its maximin value (checked against the brute force of ``game_cases``)."""

from __future__ import annotations

import numpy as np
import pytest
from game_cases import TOLERANCE, brute_force_normal_form, random_normal_form_game

from escolta.games import AttackerType, FollowerType, NormalFormGame, SecurityGame, is_zero_sum
from escolta.games.dobss import dobss_solve
from escolta.games.minimax import minimax_solve
from escolta.games.solve import choose_method

A = np.array([[1.0, -2.0], [0.0, 3.0]])


def _follower(name: str, leader: np.ndarray, follower: np.ndarray) -> FollowerType:
    return FollowerType(name, 0.5, leader, follower)


def _attacker(name: str, defender: list[float], attacker: list[float]) -> AttackerType:
    return AttackerType(name, 0.5, defender_covered=[1.0, 2.0], defender_uncovered=defender,
                        attacker_covered=[-1.0, -2.0], attacker_uncovered=attacker)


GAMES = [
    pytest.param(NormalFormGame((FollowerType("f", 1.0, A, -A),)), True, id="nf-one-type"),
    pytest.param(NormalFormGame((_follower("f", A, -A), _follower("g", -A, A))), True,
                 id="nf-two-types-zero-sum"),
    pytest.param(NormalFormGame((_follower("f", A, -A), _follower("g", A, A))), False,
                 id="nf-second-type-general"),
    pytest.param(NormalFormGame((FollowerType("f", 1.0, A, A),)), False, id="nf-general"),
    pytest.param(SecurityGame(("a", "b"), 1, (_attacker("x", [-3.0, -4.0], [3.0, 4.0]),
                                              _attacker("y", [-5.0, -1.0], [5.0, 1.0]))),
                 True, id="security-two-types-zero-sum"),
    pytest.param(SecurityGame(("a", "b"), 1, (_attacker("x", [-3.0, -4.0], [3.0, 4.0]),
                                              _attacker("y", [-5.0, -1.0], [4.0, 1.0]))),
                 False, id="security-second-type-general"),
]


@pytest.mark.parametrize(("game", "expected"), GAMES)
def test_is_zero_sum_is_one_definition(game, expected: bool) -> None:
    assert game.is_zero_sum is expected
    assert is_zero_sum(game) is expected


@pytest.mark.parametrize("seed", range(4), ids=lambda s: f"seed{s}")
def test_bayesian_zero_sum_normal_form_sse_is_maximin(seed: int) -> None:
    """With several zero-sum follower types every response of a type gives the leader the same
    payoff, so the SSE (brute force over response profiles) is the maximin LP's value, and
    ``auto`` may pick ``minimax``."""
    game = random_normal_form_game(np.random.default_rng(900 + seed), 3, 3, 2, zero_sum=True)
    assert game.is_zero_sum
    reference = brute_force_normal_form(game)
    assert minimax_solve(game).defender_value == pytest.approx(reference, abs=TOLERANCE)
    assert dobss_solve(game).defender_value == pytest.approx(reference, abs=TOLERANCE)
    assert choose_method(game) == "minimax"


def test_auto_takes_origami_for_a_one_type_zero_sum_compact_game() -> None:
    """ORIGAMI is exact for one attacker type, zero-sum included: auto picks it, and its
    value is the minimax LP's (a second method) on a random zero-sum game of 200 targets."""
    import numpy as np

    from escolta.games import load, solve

    rng = np.random.default_rng(11)
    n = 200
    covered = rng.uniform(-1, 0, n)
    uncovered = rng.uniform(-10, -1, n)
    game = load({"kind": "security", "resources": 20, "targets": [f"t{i}" for i in range(n)],
                 "attacker_types": [{"name": "a", "prior": 1.0,
                                     "defender": {"covered": covered, "uncovered": uncovered},
                                     "attacker": {"covered": -covered,
                                                  "uncovered": -uncovered}}]})
    auto = solve(game)
    assert auto.method == "origami"
    assert auto.defender_value == pytest.approx(solve(game, method="minimax").defender_value,
                                                abs=1e-7)
