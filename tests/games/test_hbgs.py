"""hbgs: exact Bayesian security games by branch and bound on the strong formulation.

Reference values come from two independent checks: the brute force of ``game_cases`` (one
SciPy LP per response profile over explicit pure assignments, Conitzer & Sandholm 2006) and
the big-M MILP of :mod:`escolta.games.milp` (a different formulation, solved by HiGHS's own
branch and cut).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest
from game_cases import (
    TOLERANCE,
    TWO_TYPES_JSON,
    assert_claims_hold,
    brute_force_security,
    random_security_game,
)

from escolta.cli.main import main
from escolta.errors import InputError
from escolta.games import hbgs as hbgs_module
from escolta.games.evaluate import security_responses, security_value
from escolta.games.hbgs import _evaluator, attacker_floor, best_value_if_attacked, hbgs_solve
from escolta.games.milp import milp_solve
from escolta.games.random_games import kiekintveld_game
from escolta.games.solve import LEVELS_MAX_TYPES, choose_method, solve


@dataclass(frozen=True)
class Case:
    n_targets: int
    resources: int
    types: int
    seed: int
    standard: bool = True
    integer: bool = True


BRUTE_CASES = [
    pytest.param(Case(4, 1, 2, 1), id="4t-1r-2types"),
    pytest.param(Case(5, 2, 2, 2), id="5t-2r-2types"),
    pytest.param(Case(5, 2, 3, 3), id="5t-2r-3types"),
    pytest.param(Case(4, 1, 3, 4, integer=False), id="4t-1r-3types-real"),
    pytest.param(Case(4, 2, 2, 5, standard=False), id="4t-2r-nonstandard"),
    pytest.param(Case(5, 1, 3, 6, standard=False), id="5t-1r-nonstandard"),
    pytest.param(Case(3, 3, 2, 7), id="resources-cover-all"),
]


def _game(case: Case):
    rng = np.random.default_rng(case.seed)
    return random_security_game(rng, case.n_targets, case.resources, case.types,
                                standard=case.standard, integer=case.integer)


@pytest.mark.parametrize("case", BRUTE_CASES)
def test_matches_brute_force_over_response_profiles(case: Case) -> None:
    game = _game(case)
    solution = hbgs_solve(game)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)


@pytest.mark.parametrize(
    "n_targets, resources, types, seed",
    [pytest.param(8, 2, 3, s, id=f"8t-2r-3types-seed{s}") for s in range(3)]
    + [pytest.param(10, 3, 4, 11, id="10t-3r-4types"),
       pytest.param(12, 4, 2, 12, id="12t-4r-2types")],
)
def test_matches_big_m_milp(n_targets: int, resources: int, types: int, seed: int) -> None:
    game = kiekintveld_game(n_targets, resources, types, seed)
    ours, milp = hbgs_solve(game), milp_solve(game)
    assert milp.status == "optimal"
    assert ours.defender_value == pytest.approx(milp.defender_value, abs=TOLERANCE)


def test_reported_strategy_is_what_it_claims() -> None:
    """The value and responses are those of the returned coverage (evaluated independently),
    and the coverage is feasible."""
    game = kiekintveld_game(10, 3, 3, seed=5)
    solution = hbgs_solve(game)
    assert_claims_hold(game, solution)
    assert solution.bound == pytest.approx(solution.defender_value)


def test_time_limit_returns_incumbent_and_bound() -> None:
    game = kiekintveld_game(30, 6, 6, seed=1)
    solution = hbgs_solve(game, time_limit=0.05, progress=False)
    assert solution.status == "time_limit"
    assert solution.coverage is not None and solution.coverage.sum() <= 6 + 1e-9
    assert solution.bound is not None and solution.bound >= solution.defender_value - 1e-9
    # the incumbent is a real strategy: its value is what the evaluation says
    assert solution.defender_value == pytest.approx(
        security_value(game, solution.coverage, security_responses(game, solution.coverage)))


def test_auto_uses_hbgs_for_many_types() -> None:
    game = kiekintveld_game(6, 2, LEVELS_MAX_TYPES + 1, seed=0)
    assert choose_method(game) == "hbgs"
    assert solve(game).method == "hbgs"


def test_auto_uses_levels_for_few_types_and_hbgs_when_payoffs_tie() -> None:
    game = kiekintveld_game(6, 2, 2, seed=0)
    assert choose_method(game) == "levels"
    assert solve(game).method == "levels"
    tied = _game(Case(4, 2, 2, 5, standard=False))
    assert choose_method(tied) == "hbgs"


def test_attacker_floor_is_origamis_level() -> None:
    """Two targets worth 10 and 5, caught = 0, one resource: level 10/3 (solve
    (10 - x)/10 + (5 - x)/5 = 1 by hand)."""
    assert attacker_floor(np.zeros(2), np.array([10.0, 5.0]), 1) == pytest.approx(10 / 3)


def test_rejects_schedules() -> None:
    game = kiekintveld_game(4, 1, 2, seed=0, schedules=((0, 1), (2, 3)))
    with pytest.raises(InputError, match="hbgs"):
        hbgs_solve(game)


@pytest.mark.parametrize("engine", ["own", "highs"])
def test_both_engines_match_brute_force(engine: str) -> None:
    game = _game(Case(5, 2, 3, 3))
    solution = hbgs_solve(game, engine=engine, progress=False)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)


def test_unknown_engine_is_an_input_error() -> None:
    with pytest.raises(InputError, match="engine"):
        hbgs_solve(kiekintveld_game(4, 1, 2, seed=0), engine="cplex")


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed{s}") for s in range(3)])
def test_batched_single_type_values_match_one_type_at_a_time(seed: int) -> None:
    """Rows of several types in one batch give what each type's own call gives."""
    game = kiekintveld_game(9, 3, 3, seed)
    dc, du, ac, au = (game.stacked(name) for name in (
        "defender_covered", "defender_uncovered", "attacker_covered", "attacker_uncovered"))
    targets = np.arange(9)
    owner = np.repeat(np.arange(3), 9)
    batch, batch_cover = best_value_if_attacked(dc[owner], du[owner], ac[owner], au[owner], 3,
                                                np.tile(targets, 3))
    for th in range(3):
        alone, alone_cover = best_value_if_attacked(dc[th], du[th], ac[th], au[th], 3, targets)
        np.testing.assert_allclose(batch[owner == th], alone)
        np.testing.assert_allclose(batch_cover[owner == th], alone_cover)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed{s}") for s in range(4)])
def test_fast_evaluation_is_the_strong_stackelberg_value(seed: int) -> None:
    """The per-node evaluation equals security_value of security_responses (random, empty
    and full coverage)."""
    game = kiekintveld_game(8, 3, 4, seed)
    rng = np.random.default_rng(seed)
    evaluate = _evaluator(game)
    for coverage in (rng.uniform(0, 1, 8), np.zeros(8), np.ones(8)):
        expected = security_value(game, coverage, security_responses(game, coverage))
        assert evaluate(coverage) == pytest.approx(expected, abs=1e-12)


def test_cli_shows_hbgs_progress_bar_not_a_spinner(tmp_path, monkeypatch, capsys) -> None:
    """``escolta solve`` leaves the terminal to hbgs's own progress bar (a spinner would
    hold Rich's live display and hide it); ``--json`` stdout stays pure JSON."""
    path = tmp_path / "bayes.json"
    path.write_text(json.dumps(TWO_TYPES_JSON))
    shown = []
    original_close = hbgs_module._Progress.close

    def close(self) -> None:
        shown.append(self._bar is not None)
        original_close(self)

    def no_spinner(*args, **kwargs):
        raise AssertionError("a spinner was started for hbgs")

    monkeypatch.setattr(hbgs_module, "PROGRESS_AFTER", 0.0)
    monkeypatch.setattr(hbgs_module._Progress, "close", close)
    monkeypatch.setattr("rich.console.Console.status", no_spinner)
    with pytest.raises(SystemExit) as stopped:
        main(["solve", str(path), "--method", "hbgs", "--json"])
    assert stopped.value.code in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "hbgs"
    assert shown == [True]
