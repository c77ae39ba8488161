"""``solve(game, method=...)``'s registry and the ``escolta solve`` command on the bundled
example games, whose values come from the sources named here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from game_cases import (
    TOLERANCE,
    brute_force_normal_form,
    brute_force_security,
    random_security_game,
)

from escolta.cli.main import main
from escolta.errors import InputError
from escolta.games import METHODS, SecurityGame, choose_method, load, solve

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "games"


@dataclass(frozen=True)
class Example:
    file: str
    value: float | None  # None: checked against the brute force instead
    source: str


EXAMPLE_VALUES = [
    pytest.param(Example("commitment-2x2.json", 3.5,
                         "Conitzer & Sandholm 2006 commitment example (docs/design.md §2)"),
                 id="commitment-2x2"),
    pytest.param(Example("commitment-2x3.json", 4 / 3,
                         "OpenSpiel stackelberg_lp_test.py game1 (Conitzer & Sandholm 2006)"),
                 id="commitment-2x3"),
    pytest.param(Example("port.json", -1 / 26,
                         "hand-worked ORIGAMI indifference, test_security_solvers.py"),
                 id="port"),
    pytest.param(Example("port-schedules.json", 6 / 5,
                         "hand-worked with schedules, test_security_solvers.py"),
                 id="port-schedules"),
    # zero-sum, one resource: (8-x)/8 + (6-x)/6 + (4-x)/4 = 1 gives x = 48/13 > 2, so the
    # west site stays uncovered and the defender loses 48/13 wherever the raider strikes
    pytest.param(Example("patrol-zero-sum.json", -48 / 13, "hand-worked minimax"),
                 id="patrol-zero-sum"),
    pytest.param(Example("airport-bayesian.json", None, "brute force over response profiles"),
                 id="airport-bayesian"),
    pytest.param(Example("bayesian-patrol-normal-form.json", None,
                         "brute force over response profiles"),
                 id="bayesian-patrol-normal-form"),
]


@pytest.mark.parametrize("example", EXAMPLE_VALUES)
def test_cli_json_gives_the_reference_value(example: Example, capsys):
    path = EXAMPLES / example.file
    with pytest.raises(SystemExit) as stopped:
        main(["solve", str(path), "--json"])
    assert stopped.value.code in (0, None)
    out = json.loads(capsys.readouterr().out)
    expected = example.value
    if expected is None:
        game = load(path)
        expected = (brute_force_security(game) if isinstance(game, SecurityGame)
                    else brute_force_normal_form(game))
    assert out["defender_value"] == pytest.approx(expected, abs=1e-7)
    assert out["status"] == "optimal"
    assert {"defender_value", "responses", "method", "seconds", "status"} <= set(out)
    assert ("coverage" in out) != ("leader_strategy" in out)


def test_every_bundled_example_is_covered_here():
    listed = {p.values[0].file for p in EXAMPLE_VALUES}
    assert listed == {p.name for p in EXAMPLES.glob("*.json")}


def test_cli_table_names_targets_and_types(capsys):
    with pytest.raises(SystemExit):
        main(["solve", str(EXAMPLES / "airport-bayesian.json")])
    out = capsys.readouterr().out
    for word in ("defender value", "terminal-1", "parking", "bomber", "smuggler", "optimal"):
        assert word in out


def test_cli_method_option(capsys):
    with pytest.raises(SystemExit):
        main(["solve", str(EXAMPLES / "port.json"), "--method", "milp", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "milp"
    assert out["defender_value"] == pytest.approx(-1 / 26, abs=1e-7)


@dataclass(frozen=True)
class Choice:
    game: dict
    method: str


def _security(types: int = 1, zero_sum: bool = False, schedules: bool = False,
              standard: bool = True) -> dict:
    """A 3-target game with one resource; ``standard=False`` breaks ORIGAMI's assumption."""
    rng = np.random.default_rng(0)
    game = random_security_game(rng, 3, 1, types, zero_sum=zero_sum)
    document = {
        "kind": "security", "resources": 1, "targets": list(game.targets),
        "attacker_types": [
            {"name": t.name, "prior": t.prior,
             "defender": {"covered": t.defender_covered, "uncovered": t.defender_uncovered},
             "attacker": {"covered": t.attacker_covered, "uncovered": t.attacker_uncovered}}
            for t in game.attacker_types],
    }
    if schedules:
        document["schedules"] = [[0, 1], [2]]
    if not standard:  # covering target 0 helps the attacker
        attacker = document["attacker_types"][0]["attacker"]
        attacker["covered"] = attacker["uncovered"] + np.array([1.0, 0.0, 0.0])
    return document


NORMAL_ONE = {"kind": "normal_form", "followers": [
    {"name": "f", "prior": 1, "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]}]}
NORMAL_TWO = {"kind": "normal_form", "followers": [
    {"name": "f", "prior": 0.5, "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]},
    {"name": "g", "prior": 0.5, "leader": [[1, 0], [0, 1]], "follower": [[0, 1], [1, 0]]}]}


@pytest.mark.parametrize(
    ("game", "expected"),
    [
        pytest.param(_security(), "origami", id="one-type-compact"),
        pytest.param(_security(standard=False), "security_lps", id="one-type-non-standard"),
        pytest.param(_security(zero_sum=True), "origami", id="zero-sum-security-one-type"),
        pytest.param(_security(zero_sum=True, types=2), "minimax", id="zero-sum-security-bayesian"),
        pytest.param(NORMAL_ONE, "multiple_lps", id="normal-form-one-type"),
        pytest.param(NORMAL_TWO, "dobss", id="normal-form-bayesian"),
    ],
)
def test_auto_choice(game: dict, expected: str):
    assert choose_method(load(game)) == expected
    assert solve(load(game)).method == expected


def test_auto_choice_for_several_types_is_an_exact_bayesian_method():
    chosen = choose_method(load(_security(types=3)))
    assert chosen in ("levels", "hbgs", "milp")


def test_auto_choice_for_schedules():
    chosen = choose_method(load(_security(schedules=True)))
    assert chosen == ("aspen" if METHODS["aspen"].misfit(load(_security(schedules=True))) is None
                      else "milp")


@pytest.mark.parametrize(
    ("game", "method"),
    [
        pytest.param(NORMAL_ONE, "origami", id="origami-on-normal-form"),
        pytest.param(_security(types=2), "origami", id="origami-two-types"),
        pytest.param(_security(schedules=True), "origami", id="origami-schedules"),
        pytest.param(_security(), "dobss", id="dobss-on-security"),
        pytest.param(NORMAL_TWO, "multiple_lps", id="multiple-lps-two-types"),
        pytest.param(NORMAL_ONE, "minimax", id="minimax-general-sum"),
        pytest.param(NORMAL_ONE, "simplex", id="unknown"),
    ],
)
def test_method_that_does_not_fit_is_an_input_error(game: dict, method: str):
    with pytest.raises(InputError) as raised:
        solve(load(game), method=method)
    assert raised.value.field == "method"
    assert raised.value.value == method


@pytest.mark.parametrize("time_limit", [0, -1.0, float("nan"), "soon"])
def test_bad_time_limit(time_limit):
    with pytest.raises(InputError) as raised:
        solve(load(NORMAL_ONE), time_limit=time_limit)
    assert raised.value.field == "time_limit"


_FOUR_TARGETS = random_security_game(np.random.default_rng(12), 4, 2)
_FITTING = [name for name, method in METHODS.items()
            if method.misfit(_FOUR_TARGETS) is None and name != "aspen"]


def test_several_methods_fit_the_four_target_game():
    assert len(_FITTING) >= 3  # the parametrized test below has cases to run


@pytest.mark.parametrize("name", _FITTING)
def test_registered_methods_all_solve_what_they_accept(name: str):
    # every method that says it fits the game gives the brute-force value
    expected = brute_force_security(_FOUR_TARGETS)
    assert solve(_FOUR_TARGETS, method=name).defender_value == pytest.approx(
        expected, abs=TOLERANCE)
