"""Security-game solvers: ORIGAMI, one LP per attacked target, the Bayesian MILP and the
minimax LP, against hand-worked values and against an independent brute force
(game_cases.brute_force_security: every response profile, one SciPy LP each)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest
from game_cases import (
    TOLERANCE,
    brute_force_security,
    random_security_game,
    single_target_values,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.errors import InputError
from escolta.games import (
    AttackerType,
    SecurityGame,
    load,
    milp_solve,
    minimax_solve,
    origami_solve,
    security_lps_solve,
    solve,
)
from escolta.games.evaluate import tie_tolerance

ONE_TYPE_METHODS = {
    "origami": origami_solve,
    "security_lps": security_lps_solve,
    "milp": milp_solve,
    "auto": solve,
}

# docs/design.md §2's example game, without its schedules.
DESIGN_GAME = {
    "kind": "security", "resources": 2, "targets": ["gate", "pier", "lot"],
    "attacker_types": [
        {"name": "cell", "prior": 1.0,
         "defender": {"covered": [5, 4, 1], "uncovered": [-20, -10, -2]},
         "attacker": {"covered": [-10, -5, -1], "uncovered": [30, 15, 3]}}],
}


@dataclass(frozen=True)
class HandCase:
    """A game whose SSE was worked out by hand from ORIGAMI's indifference equations
    (Kiekintveld et al. 2009, Section 4: every target of the attack set gives the attacker
    the same expected utility x, and the coverage uses all resources)."""

    game: dict
    coverage: tuple[Fraction, ...]
    value: Fraction
    attacked: str | None  # None: the defender is indifferent between the attacker's choices


HAND_CASES = [
    # All three targets in the attack set: (30-x)/40 + (15-x)/20 + (3-x)/4 = 2 gives
    # x = 10/13, so c = (19/26, 37/52, 29/52). Defender utilities there: gate -45/26,
    # pier -1/26, lot -17/52; the attacker is indifferent and picks the pier for the defender.
    pytest.param(
        HandCase(DESIGN_GAME, (Fraction(19, 26), Fraction(37, 52), Fraction(29, 52)),
                 Fraction(-1, 26), "pier"),
        id="design-example-2-resources",
    ),
    # One resource: (30-x)/40 + (15-x)/20 = 1 gives x = 20/3 > 3, so lot stays out:
    # c = (7/12, 5/12, 0); gate -20 + 25*7/12 = -65/12, pier -10 + 14*5/12 = -25/6.
    pytest.param(
        HandCase(dict(DESIGN_GAME, resources=1), (Fraction(7, 12), Fraction(5, 12), Fraction(0)),
                 Fraction(-25, 6), "pier"),
        id="design-example-1-resource",
    ),
    # Two targets worth 10 and 5 to the attacker (0 when caught), one resource:
    # (10-x)/10 + (5-x)/5 = 1 gives x = 10/3, c = (2/3, 1/3); the defender loses the
    # attacker's gain at the uncovered target: -10/3 at either.
    pytest.param(
        HandCase(
            {"kind": "security", "resources": 1, "targets": ["a", "b"],
             "attacker_types": [{"name": "x", "prior": 1,
                                 "defender": {"covered": [0, 0], "uncovered": [-10, -5]},
                                 "attacker": {"covered": [0, 0], "uncovered": [10, 5]}}]},
            (Fraction(2, 3), Fraction(1, 3)), Fraction(-10, 3), None,
        ),
        id="two-targets-zero-sum",
    ),
]


@pytest.mark.parametrize("method", list(ONE_TYPE_METHODS))
@pytest.mark.parametrize("case", HAND_CASES)
def test_hand_worked_equilibria(case: HandCase, method: str):
    game = load(case.game)
    solution = ONE_TYPE_METHODS[method](game)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(float(case.value), abs=1e-7)
    if case.attacked is not None:
        assert game.targets[solution.responses[game.attacker_types[0].name]] == case.attacked
    # the hand solution's coverage is the only one that attains the value
    np.testing.assert_allclose(solution.coverage, [float(c) for c in case.coverage], atol=1e-7)


@pytest.mark.parametrize("method", ["milp", "security_lps", "auto"])
def test_design_example_with_schedules(method: str):
    # design.md's game with schedules [[0, 1], [2]] and two resources, by hand: schedule 0
    # covers gate and pier together with probability y, schedule 1 the lot with z. The
    # attacker gets 30 - 40y at the gate, 15 - 20y at the pier, 3 - 4z at the lot.
    # The pier is a best response iff y >= 3/4 (beats the gate) and 20y <= 12 + 4z, so at
    # most y = 4/5 with z = 1, where the defender gets 14y - 10 = 6/5 at the pier (tied with
    # the lot, -1 for the attacker, which would give the defender only 3z - 2 = 1). The gate
    # can never be a best response (its covered payoff -10 is below the lot's worst, -1).
    game = load(dict(DESIGN_GAME, schedules=[[0, 1], [2]]))
    solution = ONE_TYPE_METHODS[method](game)
    assert solution.defender_value == pytest.approx(1.2, abs=1e-7)
    assert game.targets[solution.responses["cell"]] == "pier"
    np.testing.assert_allclose(solution.coverage, [0.8, 0.8, 1.0], atol=1e-7)
    mixed = milp_solve(game).mixed_strategy
    assert mixed is not None
    assert sum(p for p, _ in mixed) == pytest.approx(1.0)


@pytest.mark.parametrize("method", ["origami", "security_lps", "milp"])
@pytest.mark.parametrize("seed", range(40), ids=lambda s: f"seed{s}")
def test_one_type_methods_agree_with_brute_force(seed: int, method: str):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 6))
    game = random_security_game(rng, n, int(rng.integers(1, n + 2)))
    expected = brute_force_security(game)
    solution = ONE_TYPE_METHODS[method](game)
    assert solution.defender_value == pytest.approx(expected, abs=TOLERANCE)
    _assert_strong_response(game, solution)


@pytest.mark.parametrize("seed", range(15), ids=lambda s: f"seed{s}")
def test_origami_with_degenerate_targets(seed: int):
    # targets where covering changes nothing for the attacker (covered == uncovered)
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(2, 6))
    game = random_security_game(rng, n, int(rng.integers(1, n + 2)))
    attacker = game.attacker_types[0]
    fixed = rng.random(n) < 0.5
    covered = np.where(fixed, attacker.attacker_uncovered, attacker.attacker_covered)
    game = SecurityGame(game.targets, game.resources, (AttackerType(
        "a", 1.0, attacker.defender_covered, attacker.defender_uncovered, covered,
        attacker.attacker_uncovered),))
    expected = brute_force_security(game)
    assert origami_solve(game).defender_value == pytest.approx(expected, abs=TOLERANCE)
    assert milp_solve(game).defender_value == pytest.approx(expected, abs=TOLERANCE)


@pytest.mark.parametrize("method", ["origami", "security_lps", "milp"])
@pytest.mark.parametrize("resources", [3, 4, 10])
def test_resources_at_least_targets(resources: int, method: str):
    # with resources >= targets every target can be fully covered, yet that is not always
    # best: covering target 0 fully leaves the attacker at 5 there, so leaving target 1 half
    # covered (attacker 10 - 10c = 5 at c = 1/2) and getting the tie gives the defender -0.5
    # instead of -100 (worked by hand; checked against the brute force too).
    game = load({
        "kind": "security", "resources": resources, "targets": ["a", "b", "c"],
        "attacker_types": [{"name": "x", "prior": 1,
                            "defender": {"covered": [-100, 0, 0], "uncovered": [-200, -1, -1]},
                            "attacker": {"covered": [5, 0, -5], "uncovered": [10, 10, 1]}}],
    })
    assert brute_force_security(game) == pytest.approx(-0.5)
    solution = ONE_TYPE_METHODS[method](game)
    assert solution.defender_value == pytest.approx(-0.5, abs=1e-7)
    assert solution.responses["x"] == 1
    assert solution.coverage.sum() <= resources + 1e-9


@pytest.mark.parametrize("seed", range(12), ids=lambda s: f"seed{s}")
def test_non_standard_payoffs(seed: int):
    # covering may help the attacker or hurt the defender: ORIGAMI does not apply
    rng = np.random.default_rng(2000 + seed)
    n = int(rng.integers(2, 5))
    game = random_security_game(rng, n, int(rng.integers(1, n + 1)), standard=False)
    expected = brute_force_security(game)
    assert security_lps_solve(game).defender_value == pytest.approx(expected, abs=TOLERANCE)
    assert milp_solve(game).defender_value == pytest.approx(expected, abs=TOLERANCE)
    assert solve(game).defender_value == pytest.approx(expected, abs=TOLERANCE)


def test_origami_refuses_non_standard_payoffs():
    game = load(dict(DESIGN_GAME, attacker_types=[{
        "name": "cell", "prior": 1.0,
        "defender": {"covered": [5, 4, 1], "uncovered": [-20, -10, -2]},
        "attacker": {"covered": [-10, 20, -1], "uncovered": [30, 15, 3]}}]))
    with pytest.raises(InputError) as raised:
        origami_solve(game)
    assert raised.value.field == "method"
    assert "pier" in str(raised.value)
    assert solve(game).method == "security_lps"


@pytest.mark.parametrize("formulation", ["joint", "big_m"])
@pytest.mark.parametrize("seed", range(10), ids=lambda s: f"seed{s}")
def test_bayesian_milp_agrees_with_brute_force(seed: int, formulation: str):
    rng = np.random.default_rng(3000 + seed)
    n = int(rng.integers(2, 5))
    types = int(rng.integers(2, 4))
    game = random_security_game(rng, n, int(rng.integers(1, n)), types)
    expected = brute_force_security(game)
    solution = milp_solve(game, formulation=formulation)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(expected, abs=TOLERANCE)
    _assert_strong_response(game, solution)


@pytest.mark.parametrize("formulation", ["joint", "big_m"])
@pytest.mark.parametrize("seed", range(8), ids=lambda s: f"seed{s}")
def test_schedules_milp_agrees_with_brute_force(seed: int, formulation: str):
    rng = np.random.default_rng(4000 + seed)
    n = int(rng.integers(2, 6))
    base = random_security_game(rng, n, int(rng.integers(1, 3)), int(rng.integers(1, 3)))
    schedules = tuple(
        tuple(sorted(rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False).tolist()))
        for _ in range(int(rng.integers(1, 4)))
    )
    game = SecurityGame(base.targets, base.resources, base.attacker_types, schedules)
    expected = brute_force_security(game)
    solution = milp_solve(game, formulation=formulation)
    assert solution.defender_value == pytest.approx(expected, abs=TOLERANCE)
    implied = np.zeros(n)
    for p, assignment in solution.mixed_strategy:
        covered = np.zeros(n, dtype=bool)
        for s in assignment:
            covered[list(schedules[s])] = True
        implied += p * covered
    np.testing.assert_allclose(implied, solution.coverage, atol=1e-6)


@pytest.mark.parametrize("seed", range(10), ids=lambda s: f"seed{s}")
def test_zero_sum_sse_equals_minimax(seed: int):
    # In zero-sum games the SSE value is the minimax value (von Neumann; Korzhyk et al.,
    # JAIR 2011): every SSE solver must agree with the maximin LP and the brute force.
    rng = np.random.default_rng(5000 + seed)
    n = int(rng.integers(2, 6))
    types = 1 if seed < 6 else 2
    game = random_security_game(rng, n, int(rng.integers(1, n + 1)), types, zero_sum=True)
    assert game.is_zero_sum
    minimax = minimax_solve(game).defender_value
    assert minimax == pytest.approx(brute_force_security(game), abs=TOLERANCE)
    assert milp_solve(game).defender_value == pytest.approx(minimax, abs=TOLERANCE)
    if types == 1:
        assert origami_solve(game).defender_value == pytest.approx(minimax, abs=TOLERANCE)
    # one type: ORIGAMI, exact and O(n log n); several: the maximin LP (issue 15)
    assert solve(game).method == ("origami" if types == 1 else "minimax")


def test_milp_formulation_is_checked():
    with pytest.raises(InputError) as raised:
        milp_solve(load(DESIGN_GAME), formulation="cubic")
    assert raised.value.field == "formulation"


def test_minimax_refuses_general_sum():
    with pytest.raises(InputError) as raised:
        minimax_solve(load(DESIGN_GAME))
    assert raised.value.field == "method"


@pytest.mark.parametrize("formulation", ["joint", "big_m"])
def test_time_limit_returns_incumbent_and_bound(formulation: str):
    rng = np.random.default_rng(6)
    game = random_security_game(rng, 40, 8, 6, integer=False)
    solution = milp_solve(game, time_limit=0.2, formulation=formulation)
    assert solution.seconds < 5.0
    assert solution.status in ("optimal", "time_limit")
    assert solution.bound is not None
    assert solution.bound >= solution.defender_value - 1e-6
    assert 0.0 <= solution.coverage.min() and solution.coverage.max() <= 1.0
    assert solution.coverage.sum() <= game.resources + 1e-6


def test_origami_is_fast_and_exact_on_many_targets():
    # 200,000 targets: ORIGAMI against the closed form of a game where every target is in
    # the attack set. With attacker payoffs uncovered u_t, covered u_t - 1 (Δ = 1) and all
    # u_t within one unit, level x solves Σ (u_t - x) = m: x = mean(u) - m/n.
    rng = np.random.default_rng(7)
    n, m = 200_000, 5_000
    uncovered = 5.0 + rng.uniform(0.0, 0.01, n)
    covered = uncovered - 1.0
    game = SecurityGame(tuple(map(str, range(n))), m, (AttackerType(
        "a", 1.0, np.zeros(n), -np.ones(n), covered, uncovered),))
    solution = origami_solve(game)
    level = uncovered.mean() - m / n
    np.testing.assert_allclose(solution.coverage, uncovered - level, atol=1e-9)
    assert solution.seconds < 2.0


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 7),
    extra=st.integers(0, 7),
    integer=st.booleans(),
)
def test_origami_invariants(seed: int, n: int, extra: int, integer: bool):
    rng = np.random.default_rng(seed)
    resources = 1 + extra % (n + 1)
    game = random_security_game(rng, n, resources, integer=integer)
    solution = origami_solve(game)
    coverage = solution.coverage
    assert np.all(coverage >= 0.0) and np.all(coverage <= 1.0)
    assert coverage.sum() <= resources + 1e-9
    _assert_strong_response(game, solution)
    # the defender does at least as well as under any single-target LP
    best_single = max(single_target_values(game))
    assert solution.defender_value >= best_single - TOLERANCE
    # every resource is used (sum = min(m, n)) unless the attack set cannot take more
    # (a fully covered target or one whose attacker payoff ignores coverage pins the level)
    # and every target outside it is already fully covered
    if coverage.sum() < min(resources, n) - 1e-9:
        attacker = game.attacker_types[0]
        level = solution.params["attacker_level"]
        in_set = attacker.attacker_utility(coverage) >= level - 1e-7 * 10
        pinned = in_set & ((coverage >= 1 - 1e-9) | (
            attacker.attacker_covered == attacker.attacker_uncovered))
        assert pinned.any()
        assert np.all(coverage[~in_set] >= 1 - 1e-9)


def _assert_strong_response(game: SecurityGame, solution) -> None:
    """Each type attacks a best response, and the one best for the defender among them."""
    for attacker in game.attacker_types:
        attacked = solution.responses[attacker.name]
        utility = attacker.attacker_utility(solution.coverage)
        slack = 10 * tie_tolerance(attacker.attacker_covered, attacker.attacker_uncovered) + 1e-6
        assert utility[attacked] >= utility.max() - slack
        ties = utility >= utility.max() - 1e-9
        defender = attacker.defender_utility(solution.coverage)
        assert defender[attacked] >= defender[ties].max() - 1e-6


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 4), types=st.integers(2, 3))
def test_bayesian_milp_invariants(seed: int, n: int, types: int):
    rng = np.random.default_rng(seed)
    game = random_security_game(rng, n, int(rng.integers(1, n + 1)), types)
    solution = milp_solve(game)
    assert np.all(solution.coverage >= 0.0) and np.all(solution.coverage <= 1.0)
    assert solution.coverage.sum() <= game.resources + 1e-9
    _assert_strong_response(game, solution)
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)
