"""Quantal response and SUQR attackers: formulas checked by hand on two targets, and PASAQ's
certified optimum checked against a fine grid and against multistart SciPy optimization."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pytest
from scipy.optimize import minimize

from escolta.errors import InputError
from escolta.games.loader import load
from escolta.games.model import AttackerModel, AttackerType, SecurityGame
from escolta.games.quantal import attack_probabilities, pasaq_solve, quantal_value
from escolta.games.random_games import kiekintveld_game
from escolta.games.solve import choose_method, solve


def two_targets(model: AttackerModel, resources: int = 1) -> SecurityGame:
    attacker = AttackerType(
        "x", 1.0, defender_covered=np.array([4.0, 1.0]),
        defender_uncovered=np.array([-6.0, -3.0]), attacker_covered=np.array([-4.0, -2.0]),
        attacker_uncovered=np.array([5.0, 3.0]),
    )
    return SecurityGame(("a", "b"), resources, (attacker,), attacker_model=model)


def test_quantal_response_by_hand() -> None:
    # λ = 1, c = (0.5, 0): U_a = (0.5·(-4) + 0.5·5, 3) = (0.5, 3);
    # q_a = e^0.5 / (e^0.5 + e^3)
    game = two_targets(AttackerModel("quantal", lam=1.0))
    q = attack_probabilities(game, np.array([0.5, 0.0]))
    expected = math.exp(0.5) / (math.exp(0.5) + math.exp(3.0))
    assert q[0] == pytest.approx(expected, rel=1e-12)
    assert q.sum() == pytest.approx(1.0)
    # defender: q_a·(0.5·4 + 0.5·(-6)) + q_b·(-3)
    assert quantal_value(game, np.array([0.5, 0.0])) == pytest.approx(
        expected * -1.0 + (1 - expected) * -3.0, rel=1e-12)


def test_suqr_by_hand() -> None:
    # Nguyen et al. 2013 eq. 2: exponent w1 c + w2 R + w3 P. With (w1, w2, w3) =
    # (-9.85, 0.37, 0.15) and c = (0.3, 0.6): a: -2.955 + 1.85 - 0.6 = -1.705,
    # b: -5.91 + 1.11 - 0.3 = -5.1
    game = two_targets(AttackerModel("suqr", weights=(-9.85, 0.37, 0.15)))
    q = attack_probabilities(game, np.array([0.3, 0.6]))
    expected = math.exp(-1.705) / (math.exp(-1.705) + math.exp(-5.1))
    assert q[0] == pytest.approx(expected, rel=1e-12)


def grid_optimum(game: SecurityGame, steps: int = 2000) -> float:
    """Two targets, one resource: the best of a fine grid on c_a with c_b = 1 - c_a (more
    coverage never hurts here: covered payoffs favour the defender and deter the attacker)
    and of a coarser full 2-D grid."""
    c = np.linspace(0, 1, steps + 1)
    on_budget = max(quantal_value(game, np.array([x, 1 - x])) for x in c)
    coarse = np.linspace(0, 1, 101)
    inside = max(quantal_value(game, np.array([x, y])) for x in coarse for y in coarse
                 if x + y <= 1 + 1e-12)
    return max(on_budget, inside)


@pytest.mark.parametrize(
    "model",
    [pytest.param(AttackerModel("quantal", lam=0.76), id="qr-0.76"),
     pytest.param(AttackerModel("quantal", lam=3.0), id="qr-3"),
     pytest.param(AttackerModel("suqr", weights=(-9.85, 0.37, 0.15)), id="suqr")],
)
def test_two_targets_against_fine_grid(model: AttackerModel) -> None:
    game = two_targets(model)
    solution = pasaq_solve(game, tolerance=1e-5)
    grid = grid_optimum(game)
    assert solution.status == "optimal"
    # the grid is a lower bound on the optimum, so the certified bound must cover it ...
    assert solution.bound >= grid - 1e-9
    # ... and the returned value is within the stated tolerance (grid step error ~1e-4)
    assert solution.defender_value >= grid - 1e-5 - 1e-3 / 2
    assert solution.bound - solution.defender_value <= 1e-5


@dataclass(frozen=True)
class Case:
    seed: int
    n_targets: int
    resources: int
    model: AttackerModel


MULTISTART = [
    pytest.param(Case(1, 3, 1, AttackerModel("quantal", lam=0.1)), id="qr-3t"),
    pytest.param(Case(2, 4, 2, AttackerModel("quantal", lam=0.05)), id="qr-4t-2r"),
    pytest.param(Case(3, 4, 1, AttackerModel("suqr", weights=(-9.85, 0.037, 0.015))),
                 id="suqr-4t"),
    pytest.param(Case(4, 5, 2, AttackerModel("suqr", weights=(-4.0, 0.05, 0.02))),
                 id="suqr-5t-2r"),
]


@pytest.mark.parametrize("case", MULTISTART)
def test_no_multistart_local_optimum_beats_the_certified_bound(case: Case) -> None:
    game = replace(kiekintveld_game(case.n_targets, case.resources, 1, case.seed),
                   attacker_model=case.model)
    solution = pasaq_solve(game)
    rng = np.random.default_rng(case.seed)
    best = -np.inf
    for _ in range(25):
        start = rng.uniform(0, 1, case.n_targets)
        start *= min(1.0, case.resources / start.sum())
        result = minimize(lambda c: -quantal_value(game, c), start, method="SLSQP",
                          bounds=[(0, 1)] * case.n_targets,
                          constraints=[{"type": "ineq", "fun": lambda c: case.resources - c.sum()}])
        c = np.clip(result.x, 0, 1)
        if c.sum() <= case.resources + 1e-9:
            best = max(best, quantal_value(game, c))
    assert solution.status == "optimal"
    assert solution.bound >= best - 1e-9
    assert solution.defender_value >= best - solution.params["tolerance"]
    assert solution.coverage.sum() <= case.resources + 1e-9


def test_solution_records_tolerance_and_distribution() -> None:
    game = replace(kiekintveld_game(50, 5, 1, 0), attacker_model=AttackerModel("quantal", lam=0.1))
    solution = pasaq_solve(game, tolerance=1e-3)
    assert solution.params["tolerance"] == 1e-3
    assert solution.params["gap"] <= 1e-3
    assert sum(solution.params["attack_probabilities"]) == pytest.approx(1.0)
    assert solution.defender_value == pytest.approx(quantal_value(game, solution.coverage))


BASE = {"kind": "security", "resources": 1, "targets": ["a", "b"],
        "attacker_types": [{"name": "x", "prior": 1,
                            "defender": {"covered": [1, 1], "uncovered": [-1, -3]},
                            "attacker": {"covered": [0, 0], "uncovered": [1, 1]}}]}


@pytest.mark.parametrize(
    "model, field",
    [pytest.param({"kind": "logit"}, "attacker_model.kind", id="unknown-kind"),
     pytest.param({"kind": "quantal", "lambda": -1}, "attacker_model.lambda", id="negative-lambda"),
     pytest.param({"kind": "quantal"}, "lambda", id="missing-lambda"),
     pytest.param({"kind": "suqr", "weights": [1, 2]}, "attacker_model.weights", id="two-weights"),
     pytest.param({"kind": "suqr", "weights": [1, "x", 2]}, "attacker_model.weights[1]",
                  id="text-weight")],
)
def test_bad_attacker_model_names_the_field(model: dict, field: str) -> None:
    with pytest.raises(InputError, match=field.replace("[", r"\[").replace("]", r"\]")):
        load({**BASE, "attacker_model": model})


def test_registry_routes_quantal_games_to_pasaq() -> None:
    game = load({**BASE, "attacker_model": {"kind": "suqr", "weights": [-9.85, 0.37, 0.15]}})
    assert choose_method(game) == "pasaq"
    assert solve(game).method == "pasaq"
    with pytest.raises(InputError, match="attacker_model"):
        solve(game, method="origami")


def separable(model: AttackerModel, n: int, seed: int, r: float) -> object:
    """``G_r`` of a Kiekintveld game with ``model``, as ``pasaq_solve`` builds it."""
    from escolta.games.quantal import _problem, quantal_parameters

    game = replace(kiekintveld_game(n, max(1, n // 4), 1, seed), attacker_model=model)
    return _problem(game, quantal_parameters(game), r, np.full(n, 1.0 / n))


SEPARABLE = [
    pytest.param(AttackerModel("quantal", lam=0.076), 0, -15.0, id="qr-0.076"),
    pytest.param(AttackerModel("quantal", lam=0.76), 1, -5.0, id="qr-0.76"),
    pytest.param(AttackerModel("suqr", weights=(-9.85, 0.037, 0.015)), 2, -20.0, id="suqr"),
]


@pytest.mark.parametrize("model, seed, r", SEPARABLE)
@pytest.mark.parametrize("price", [0.0, 0.3, 3.0, 30.0])
def test_best_responses_match_a_fine_grid(model: AttackerModel, seed: int, r: float,
                                          price: float) -> None:
    # each target's max of g_t(c) - price c over [0, 1], against 200,001 grid points: the
    # exact maximum is at least the grid's, and above it by no more than the grid step's
    # error, slope x step (the grid point next to the maximizer loses less than that)
    problem = separable(model, 12, seed, r)
    lower, upper = np.zeros(12), np.ones(12)
    coverage, values = problem.best_responses(price, lower, upper)
    grid = np.linspace(0.0, 1.0, 200_001)[:, None]
    on_grid = (problem.value(grid) - price * grid).max(axis=0)
    assert np.all((coverage >= 0.0) & (coverage <= 1.0))
    assert np.allclose(values, problem.value(coverage) - price * coverage, rtol=0, atol=1e-12)
    step_error = np.abs(problem.slope(grid) - price).max(axis=0) * 5e-6
    assert np.all(values >= on_grid - 1e-12)
    assert np.all(values <= on_grid + step_error + 1e-12)


@pytest.mark.parametrize("model, seed, r", SEPARABLE)
def test_lagrangian_bound_is_the_least_over_multipliers(model: AttackerModel, seed: int,
                                                        r: float) -> None:
    # min_μ L(μ) by a scan of 4,001 multipliers and a fine scan around the best: the search's
    # bound is valid (at least the value of its own feasible coverage) and no scanned
    # multiplier does better than it by more than 1e-9
    from escolta.games.quantal import _lagrangian

    problem = separable(model, 12, seed, r)
    lower, upper, resources = np.zeros(12), np.ones(12), 3.0
    relaxation = _lagrangian(problem, resources, lower, upper)

    def dual(mu: float) -> float:
        return mu * resources + float(problem.best_responses(mu, lower, upper)[1].sum())

    top = float(np.max(np.abs(problem.slope(np.linspace(0, 1, 33)[:, None])))) * 4 + 1.0
    coarse = np.linspace(0.0, top, 4001)
    best = coarse[int(np.argmin([dual(mu) for mu in coarse]))]
    fine = np.linspace(max(0.0, best - top / 4000), best + top / 4000, 2001)
    scanned = min(dual(mu) for mu in fine)
    assert relaxation.coverage.sum() <= resources + 1e-9
    assert relaxation.bound >= float(problem.value(relaxation.coverage).sum()) - 1e-12
    assert relaxation.bound <= scanned + 1e-9 * max(1.0, abs(scanned))
