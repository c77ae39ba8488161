"""Normal-form solvers: multiple LPs, DOBSS and the minimax LP, against published games and
against an independent brute force over follower response profiles (one SciPy LP each)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest
from game_cases import TOLERANCE, brute_force_normal_form, random_normal_form_game
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.errors import InputError
from escolta.games import (
    FollowerType,
    NormalFormGame,
    dobss_solve,
    load,
    minimax_solve,
    multiple_lps_solve,
    solve,
)
from escolta.games.evaluate import tie_tolerance
from escolta.games.multiple_lps import lagrangian_bounds, undominated_actions


@dataclass(frozen=True)
class PublishedGame:
    leader: list[list[float]]
    follower: list[list[float]]
    strategy: tuple[Fraction, ...]
    value: Fraction
    response: int
    source: str


PUBLISHED = [
    pytest.param(
        PublishedGame(
            [[2, 4], [1, 3]], [[1, 0], [0, 1]], (Fraction(1, 2), Fraction(1, 2)),
            Fraction(7, 2), 1,
            "Conitzer & Sandholm, EC 2006, Section 1 (commitment example); also design.md "
            "section 2 and OpenSpiel stackelberg_lp_test.py game0: value 3.5 at (0.5, 0.5)",
        ),
        id="conitzer-sandholm-2x2",
    ),
    pytest.param(
        PublishedGame(
            [[2, 0, 0], [1, 0, 0]], [[0, 2, 5], [0, -1, -4]], (Fraction(1, 3), Fraction(2, 3)),
            Fraction(4, 3), 0,
            "Conitzer & Sandholm 2006 instance in OpenSpiel stackelberg_lp_test.py game1: "
            "commit_strategy (1/3, 2/3), commit_value 4/3",
        ),
        id="conitzer-sandholm-2x3",
    ),
]

METHODS = {"multiple_lps": multiple_lps_solve, "dobss": dobss_solve, "auto": solve}


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("case", PUBLISHED)
def test_published_games(case: PublishedGame, method: str):
    game = load({"kind": "normal_form", "followers": [
        {"name": "f", "prior": 1.0, "leader": case.leader, "follower": case.follower}]})
    solution = METHODS[method](game)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(float(case.value), abs=1e-7)
    np.testing.assert_allclose(solution.leader_strategy, [float(p) for p in case.strategy],
                               atol=1e-7)
    assert solution.responses == {"f": case.response}


@pytest.mark.parametrize("solver", [multiple_lps_solve, dobss_solve],
                         ids=["multiple_lps", "dobss"])
@pytest.mark.parametrize("seed", range(25), ids=lambda s: f"seed{s}")
def test_one_type_multiple_lps_equals_dobss_and_brute_force(seed: int, solver):
    rng = np.random.default_rng(seed)
    game = random_normal_form_game(rng, int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    expected = brute_force_normal_form(game)
    solution = solver(game)
    assert solution.defender_value == pytest.approx(expected, abs=TOLERANCE)
    _assert_strong_response(game, solution)


@pytest.mark.parametrize("cuts", [True, False], ids=["with-cuts", "as-published"])
@pytest.mark.parametrize("seed", range(10), ids=lambda s: f"seed{s}")
def test_bayesian_dobss_equals_brute_force(seed: int, cuts: bool):
    # the brute force enumerates every assignment of responses to types: an independent
    # exact method (Conitzer & Sandholm 2006, Section 5: Bayesian games via the Harsanyi
    # transformation, one LP per pure follower strategy of the transformed game)
    rng = np.random.default_rng(100 + seed)
    game = random_normal_form_game(
        rng, int(rng.integers(2, 5)), int(rng.integers(2, 4)), int(rng.integers(2, 4))
    )
    expected = brute_force_normal_form(game)
    solution = dobss_solve(game, cuts=cuts)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(expected, abs=TOLERANCE)
    _assert_strong_response(game, solution)
    assert solve(game).method == "dobss"


@pytest.mark.parametrize("seed", range(10), ids=lambda s: f"seed{s}")
def test_zero_sum_sse_equals_minimax(seed: int):
    rng = np.random.default_rng(200 + seed)
    types = 1 if seed < 6 else 2
    game = random_normal_form_game(
        rng, int(rng.integers(1, 6)), int(rng.integers(1, 6)), types, zero_sum=True
    )
    minimax = minimax_solve(game)
    assert minimax.defender_value == pytest.approx(brute_force_normal_form(game), abs=TOLERANCE)
    assert dobss_solve(game).defender_value == pytest.approx(minimax.defender_value,
                                                             abs=TOLERANCE)
    assert solve(game).method == "minimax"


def test_matching_pennies_value():
    # von Neumann's matching pennies: value 0 at (1/2, 1/2)
    game = load({"kind": "normal_form", "followers": [{"name": "f", "prior": 1,
                 "leader": [[1, -1], [-1, 1]], "follower": [[-1, 1], [1, -1]]}]})
    solution = minimax_solve(game)
    assert solution.defender_value == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(solution.leader_strategy, [0.5, 0.5], atol=1e-9)


def test_multiple_lps_refuses_several_types():
    rng = np.random.default_rng(1)
    with pytest.raises(InputError) as raised:
        multiple_lps_solve(random_normal_form_game(rng, 2, 2, 2))
    assert raised.value.field == "method"


@pytest.mark.parametrize(
    ("follower", "expected"),
    [
        pytest.param([[1, 0, 2], [4, -1, 3]], [0, 2], id="one-dominated"),
        pytest.param([[1, 1], [1, 1]], [0, 1], id="ties-are-not-strict"),
        pytest.param([[0, 1, 2], [0, 1, 2]], [2], id="chain"),
    ],
)
def test_undominated_actions(follower, expected):
    assert undominated_actions(np.array(follower, dtype=float)).tolist() == expected


@pytest.mark.parametrize("seed", range(3), ids=lambda s: f"seed{s}")
def test_multiple_lps_pruning_loses_nothing(seed: int):
    # 40 x 40 uniform payoffs: pure-commitment incumbent, dominance and Lagrangian bounds
    # skip most follower actions; the value must still be the brute force's (all 40 LPs).
    rng = np.random.default_rng(300 + seed)
    n = 40
    game = NormalFormGame((FollowerType("f", 1.0, rng.uniform(0, 1, (n, n)),
                                        rng.uniform(0, 1, (n, n))),))
    solution = multiple_lps_solve(game)
    assert solution.status == "optimal"
    assert solution.params["lps_solved"] < n
    assert solution.defender_value == pytest.approx(brute_force_normal_form(game), abs=1e-7)
    _assert_strong_response(game, solution)


def test_lagrangian_bounds_are_upper_bounds():
    rng = np.random.default_rng(21)
    game = random_normal_form_game(rng, 6, 6)
    follower = game.followers[0]
    actions = np.arange(6)
    bounds = lagrangian_bounds(follower.leader, follower.follower, actions)
    for j in actions:
        # the LP of action j alone, by the brute force with only j allowed
        only_j = NormalFormGame((FollowerType(
            "f", 1.0, np.where(np.arange(6) == j, follower.leader, -1e6), follower.follower),))
        exact = brute_force_normal_form(only_j)
        if exact > -1e5:  # j can be a best response
            assert bounds[j] >= exact - 1e-9


def test_time_limit_on_multiple_lps_returns_bound():
    rng = np.random.default_rng(8)
    n = 150
    game = NormalFormGame((FollowerType("f", 1.0, rng.uniform(0, 1, (n, n)),
                                        rng.uniform(0, 1, (n, n))),))
    solution = multiple_lps_solve(game, time_limit=1e-4)
    assert solution.status in ("optimal", "time_limit")
    assert solution.bound >= solution.defender_value - 1e-9
    assert solution.leader_strategy.sum() == pytest.approx(1.0)
    _assert_strong_response(game, solution)


def test_time_limit_on_dobss_returns_bound():
    rng = np.random.default_rng(3)
    game = random_normal_form_game(rng, 12, 12, 6)
    solution = dobss_solve(game, time_limit=0.05)
    assert solution.status in ("optimal", "time_limit")
    assert solution.bound is not None and solution.bound >= solution.defender_value - 1e-6
    assert solution.leader_strategy.sum() == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 5), m=st.integers(1, 5))
def test_multiple_lps_invariants(seed: int, n: int, m: int):
    game = random_normal_form_game(np.random.default_rng(seed), n, m)
    solution = multiple_lps_solve(game)
    x = solution.leader_strategy
    assert np.all(x >= 0) and x.sum() == pytest.approx(1.0)
    _assert_strong_response(game, solution)
    # the leader does at least as well as committing to any pure strategy
    follower = game.followers[0]
    for i in range(n):
        pure = np.eye(n)[i]
        answers = pure @ follower.follower
        ties = np.flatnonzero(answers >= answers.max() - 1e-12)
        assert solution.defender_value >= (pure @ follower.leader)[ties].max() - TOLERANCE


def _assert_strong_response(game: NormalFormGame, solution) -> None:
    x = solution.leader_strategy
    for follower in game.followers:
        answer = solution.responses[follower.name]
        utility = x @ follower.follower
        slack = 10 * tie_tolerance(follower.follower) + 1e-6
        assert utility[answer] >= utility.max() - slack
        ties = utility >= utility.max() - 1e-9
        assert (x @ follower.leader)[answer] >= (x @ follower.leader)[ties].max() - 1e-6
