"""The exchange format (docs/design.md §2): what loads, and every malformed input named by
its field, through the library (InputError) and the command line (exit 2, one line)."""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from escolta.cli.main import main
from escolta.errors import InputError
from escolta.games import NormalFormGame, SecurityGame, load

# docs/design.md §2, verbatim
SECURITY = {
    "kind": "security", "resources": 2, "targets": ["gate", "pier", "lot"],
    "schedules": [[0, 1], [2]],
    "attacker_types": [
        {"name": "cell", "prior": 1.0,
         "defender": {"covered": [5, 4, 1], "uncovered": [-20, -10, -2]},
         "attacker": {"covered": [-10, -5, -1], "uncovered": [30, 15, 3]}}],
}
NORMAL_FORM = {
    "kind": "normal_form",
    "followers": [{"name": "f", "prior": 1.0,
                   "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]}],
}
BAYESIAN = {
    "kind": "security", "resources": 1, "targets": ["a", "b"],
    "attacker_types": [
        {"name": "x", "prior": 0.25,
         "defender": {"covered": [1, 1], "uncovered": [-1, -1]},
         "attacker": {"covered": [-1, -1], "uncovered": [1, 1]}},
        {"name": "y", "prior": 0.75,
         "defender": {"covered": [1, 1], "uncovered": [-1, -1]},
         "attacker": {"covered": [-1, -1], "uncovered": [1, 1]}}],
}


def test_design_security_example_loads():
    game = load(SECURITY)
    assert isinstance(game, SecurityGame)
    assert game.targets == ("gate", "pier", "lot")
    assert game.resources == 2
    assert game.schedules == ((0, 1), (2,))
    np.testing.assert_array_equal(game.attacker_types[0].attacker_uncovered, [30, 15, 3])
    assert game.attacker_types[0].defender_covered.dtype == np.float64


def test_design_normal_form_example_loads():
    game = load(NORMAL_FORM)
    assert isinstance(game, NormalFormGame)
    np.testing.assert_array_equal(game.followers[0].leader, [[2, 4], [1, 3]])


@pytest.mark.parametrize("form", ["path", "str", "text"])
def test_file_path_str_and_json_text_load_the_same_game(tmp_path: Path, form: str):
    path = tmp_path / "game.json"
    path.write_text(json.dumps(SECURITY))
    source = {"path": path, "str": str(path), "text": json.dumps(SECURITY)}[form]
    assert _same(load(source), load(SECURITY))


def test_numpy_arrays_are_accepted_anywhere_a_list_is():
    document = copy.deepcopy(NORMAL_FORM)
    document["followers"][0]["leader"] = np.array([[2, 4], [1, 3]])
    document["followers"][0]["follower"] = np.array([[1.0, 0.0], [0.0, 1.0]])
    security = copy.deepcopy(SECURITY)
    security["attacker_types"][0]["attacker"]["covered"] = np.array([-10, -5, -1])
    security["schedules"] = [np.array([0, 1]), [2]]
    assert _same(load(document), load(NORMAL_FORM))
    assert _same(load(security), load(SECURITY))


def test_more_resources_than_targets_is_legal():
    document = copy.deepcopy(SECURITY)
    document["resources"] = 10
    assert load(document).resources == 10


def test_priors_within_tolerance_are_accepted():
    document = copy.deepcopy(BAYESIAN)
    document["attacker_types"][0]["prior"] = 0.25 + 5e-10
    load(document)


def test_arrays_of_a_loaded_game_are_read_only():
    game = load(SECURITY)
    with pytest.raises(ValueError):
        game.attacker_types[0].defender_covered[0] = 0.0


def _same(a, b) -> bool:
    return json.dumps(_plain(a), sort_keys=True) == json.dumps(_plain(b), sort_keys=True)


def _plain(game):
    if isinstance(game, SecurityGame):
        return {
            "targets": game.targets, "resources": game.resources, "schedules": game.schedules,
            "types": [(t.name, t.prior, t.defender_covered.tolist(), t.defender_uncovered.tolist(),
                       t.attacker_covered.tolist(), t.attacker_uncovered.tolist())
                      for t in game.attacker_types],
        }
    return [(f.name, f.prior, f.leader.tolist(), f.follower.tolist()) for f in game.followers]


@dataclass(frozen=True)
class BadInput:
    base: dict
    path: tuple  # where to put the value, () for the whole document
    value: object
    field: str  # the dotted field the message must name
    words: str  # a fragment of the reason


_DELETE = object()


def _apply(case: BadInput) -> object:
    if not case.path:
        return case.value
    document = copy.deepcopy(case.base)
    target = document
    for key in case.path[:-1]:
        target = target[key]
    if case.value is _DELETE:
        del target[case.path[-1]]
    else:
        target[case.path[-1]] = case.value
    return document


BAD_INPUTS = [
    pytest.param(BadInput(SECURITY, ("kind",), "chess", "kind", "unknown game kind"),
                 id="unknown-kind"),
    pytest.param(BadInput(SECURITY, ("kind",), _DELETE, "kind", "required"), id="missing-kind"),
    pytest.param(BadInput(SECURITY, ("resources",), 0, "resources", "at least 1"),
                 id="zero-resources"),
    pytest.param(BadInput(SECURITY, ("resources",), -3, "resources", "at least 1"),
                 id="negative-resources"),
    pytest.param(BadInput(SECURITY, ("resources",), 1.5, "resources", "integer"),
                 id="fractional-resources"),
    pytest.param(BadInput(SECURITY, ("resources",), "2", "resources", "integer"),
                 id="string-resources"),
    pytest.param(BadInput(SECURITY, ("resources",), True, "resources", "integer"),
                 id="boolean-resources"),
    pytest.param(BadInput(SECURITY, ("targets",), [], "targets", "non-empty"), id="no-targets"),
    pytest.param(BadInput(SECURITY, ("targets",), ["gate", "pier", "gate"], "targets[2]",
                          "duplicate"), id="duplicate-target"),
    pytest.param(BadInput(SECURITY, ("targets", 1), "", "targets[1]", "non-empty string"),
                 id="empty-target-name"),
    pytest.param(BadInput(SECURITY, ("attacker_types",), [], "attacker_types", "non-empty"),
                 id="no-attacker-types"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "defender", "covered"), [5, 4],
                          "attacker_types[0].defender.covered", "one entry per target"),
                 id="short-payoff-vector"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "attacker", "uncovered"), [],
                          "attacker_types[0].attacker.uncovered", "empty"),
                 id="empty-payoff-vector"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "defender", "covered", 2), math.nan,
                          "attacker_types[0].defender.covered[2]", "finite"), id="nan-payoff"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "attacker", "covered", 1), math.inf,
                          "attacker_types[0].attacker.covered[1]", "finite"), id="inf-payoff"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "attacker", "covered", 0), "x",
                          "attacker_types[0].attacker.covered[0]", "number"),
                 id="string-payoff"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "attacker", "covered"), [[1], [2], [3]],
                          "attacker_types[0].attacker.covered", "list"), id="nested-payoff"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "defender"), _DELETE,
                          "attacker_types[0].defender", "required"), id="missing-defender"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "defender", "hit"), [1, 2, 3],
                          "attacker_types[0].defender.hit", "unknown field"),
                 id="unknown-payoff-field"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "prior"), -0.5,
                          "attacker_types[0].prior", "at least 0"), id="negative-prior"),
    pytest.param(BadInput(SECURITY, ("attacker_types", 0, "prior"), 0.9,
                          "attacker_types[*].prior", "sum to 1"), id="prior-not-one"),
    pytest.param(BadInput(BAYESIAN, ("attacker_types", 1, "prior"), 0.7,
                          "attacker_types[*].prior", "sum to 1"), id="priors-sum-0.95"),
    pytest.param(BadInput(BAYESIAN, ("attacker_types", 1, "prior"), 0.75 + 1e-6,
                          "attacker_types[*].prior", "sum to 1"), id="priors-off-by-1e-6"),
    pytest.param(BadInput(BAYESIAN, ("attacker_types", 1, "prior"), _DELETE,
                          "attacker_types[1].prior", "required"), id="missing-prior"),
    pytest.param(BadInput(BAYESIAN, ("attacker_types", 1, "name"), "x",
                          "attacker_types[1].name", "duplicate"), id="duplicate-type-name"),
    pytest.param(BadInput(SECURITY, ("schedules",), [[0, 1], [3]], "schedules[1][0]",
                          "no such target"), id="schedule-missing-target"),
    pytest.param(BadInput(SECURITY, ("schedules",), [[0, -1]], "schedules[0][1]",
                          "no such target"), id="schedule-negative-target"),
    pytest.param(BadInput(SECURITY, ("schedules",), [[0, 0]], "schedules[0][1]", "twice"),
                 id="schedule-repeats-target"),
    pytest.param(BadInput(SECURITY, ("schedules",), [[]], "schedules[0]", "non-empty"),
                 id="empty-schedule"),
    pytest.param(BadInput(SECURITY, ("schedules",), [["gate"]], "schedules[0][0]",
                          "target index"), id="schedule-by-name"),
    pytest.param(BadInput(SECURITY, ("colour",), "red", "colour", "unknown field"),
                 id="unknown-top-level-field"),
    pytest.param(BadInput(NORMAL_FORM, ("followers", 0, "leader"), [[2, 4], [1]],
                          "followers[0].leader[1]", "ragged"), id="ragged-matrix"),
    pytest.param(BadInput(NORMAL_FORM, ("followers", 0, "leader"), [],
                          "followers[0].leader", "empty"), id="empty-matrix"),
    pytest.param(BadInput(NORMAL_FORM, ("followers", 0, "leader"), [[]],
                          "followers[0].leader", "empty"), id="empty-rows"),
    pytest.param(BadInput(NORMAL_FORM, ("followers", 0, "follower"), [[1, 0, 0], [0, 1, 0]],
                          "followers[0].follower", "shape"), id="mismatched-matrices"),
    pytest.param(BadInput(NORMAL_FORM, ("followers", 0, "follower", 1, 1), math.nan,
                          "followers[0].follower[1][1]", "finite"), id="nan-matrix-entry"),
    pytest.param(BadInput(NORMAL_FORM, ("followers",), [], "followers", "non-empty"),
                 id="no-followers"),
    pytest.param(BadInput(NORMAL_FORM, ("followers", 0, "prior"), 2.0,
                          "followers[*].prior", "sum to 1"), id="follower-prior"),
    pytest.param(BadInput(NORMAL_FORM, (), [1, 2], "(document)", "JSON object"),
                 id="not-an-object"),
]


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_names_field_and_value(case: BadInput):
    with pytest.raises(InputError) as raised:
        load(_apply(case))
    assert raised.value.field == case.field
    assert case.words in raised.value.reason
    assert str(raised.value).startswith(f"{case.field}: ")


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_file_exits_2_with_one_line(case: BadInput, tmp_path: Path, capsys):
    path = tmp_path / "game.json"
    # NaN/Infinity are written as Python's json writes them; the loader reads them back.
    path.write_text(json.dumps(_apply(case)))
    _expect_one_line_error(["solve", str(path)], case.field, capsys)


def test_bad_multi_type_ragged_payoffs_between_types():
    document = copy.deepcopy(BAYESIAN)
    document["attacker_types"][1]["attacker"]["covered"] = [-1, -1, -1]
    with pytest.raises(InputError) as raised:
        load(document)
    assert raised.value.field == "attacker_types[1].attacker.covered"


def test_bad_follower_types_with_different_leader_strategies():
    document = copy.deepcopy(NORMAL_FORM)
    document["followers"] = [
        dict(document["followers"][0], name="a", prior=0.5),
        {"name": "b", "prior": 0.5, "leader": [[1, 2]], "follower": [[0, 1]]},
    ]
    with pytest.raises(InputError) as raised:
        load(document)
    assert raised.value.field == "followers[1].leader"


def test_bad_follower_types_with_different_follower_actions():
    document = copy.deepcopy(NORMAL_FORM)
    document["followers"] = [
        dict(document["followers"][0], name="a", prior=0.5),
        {"name": "b", "prior": 0.5, "leader": [[1, 2, 3], [0, 0, 0]],
         "follower": [[0, 1, 0], [1, 0, 0]]},
    ]
    with pytest.raises(InputError) as raised:
        load(document)
    assert raised.value.field == "followers[1].leader"
    assert "follower action" in raised.value.reason


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param('{"kind": "security", "resources": 2,', "malformed JSON", id="truncated"),
        pytest.param("{'kind': 'security'}", "malformed JSON", id="single-quotes"),
        pytest.param("", "malformed JSON", id="empty-file"),
    ],
)
def test_malformed_json_file(tmp_path: Path, capsys, text: str, fragment: str):
    path = tmp_path / "broken.json"
    path.write_text(text)
    with pytest.raises(InputError) as raised:
        load(path)
    assert raised.value.field == "file"
    assert fragment in str(raised.value)
    assert str(path) in str(raised.value)
    _expect_one_line_error(["solve", str(path)], "file", capsys)


def test_missing_file(tmp_path: Path, capsys):
    path = tmp_path / "absent.json"
    with pytest.raises(InputError, match="file not found"):
        load(path)
    _expect_one_line_error(["solve", str(path)], "file", capsys)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        pytest.param(["--method", "simplex"], "method", id="unknown-method"),
        pytest.param(["--method", "origami"], "method", id="method-does-not-fit"),
        pytest.param(["--time-limit", "-1"], "time_limit", id="negative-time-limit"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, capsys, options: list[str], field: str):
    path = tmp_path / "game.json"
    path.write_text(json.dumps(NORMAL_FORM))
    _expect_one_line_error(["solve", str(path), *options], field, capsys)


def _expect_one_line_error(argv: list[str], field: str, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    captured = capsys.readouterr()
    assert stopped.value.code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"escolta: error: {field}: ")
    assert "(got " in lines[0]
    assert "Traceback" not in captured.err
    assert captured.out == ""
