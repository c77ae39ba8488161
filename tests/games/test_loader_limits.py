"""Hostile game files end in one line, not a traceback or a hang (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from escolta.errors import InputError
from escolta.games.loader import load
from escolta.untrusted import MAX_GAME_BYTES, MAX_INTEGER_DIGITS

PORT = Path(__file__).parents[2] / "examples" / "games" / "port.json"


def _port() -> dict:
    return json.loads(PORT.read_text(encoding="utf-8"))


def _text_with_payoff(literal: str) -> str:
    return PORT.read_text(encoding="utf-8").replace("[5, 4, 1]", f"[{literal}, 4, 1]", 1)


@pytest.mark.parametrize(("text", "reason"), [
    pytest.param(_text_with_payoff("9" * 4_301), f"limit of {MAX_INTEGER_DIGITS}",
                 id="integer-4301-digits"),
    pytest.param(_text_with_payoff("9" * (MAX_INTEGER_DIGITS + 1)),
                 f"limit of {MAX_INTEGER_DIGITS}", id="integer-edge"),
    pytest.param(_text_with_payoff("1e400"), "must be finite", id="float-overflow"),
    pytest.param('{"kind": "security", "resources": ' + "[" * 100_000 + "]" * 100_000 + "}",
                 "too deeply", id="nesting-100000"),
])
def test_hostile_json_text_is_one_line(text: str, reason: str) -> None:
    with pytest.raises(InputError) as error:
        load(text)
    assert reason in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(("where", "value"), [
    pytest.param("resources", 10**400, id="resources-beyond-float"),
    pytest.param("covered", 10**400, id="payoff-beyond-float"),
    pytest.param("prior", 10**400, id="prior-beyond-float"),
])
def test_integers_beyond_the_float_range_are_refused(where: str, value: int) -> None:
    game = _port()
    if where == "resources":
        game["resources"] = value
    elif where == "covered":
        game["attacker_types"][0]["defender"]["covered"][0] = value
    else:
        game["attacker_types"][0]["prior"] = value
    with pytest.raises(InputError):
        load(game)


def test_the_largest_integer_literal_allowed_is_read() -> None:
    # 100 digits is within the float range (about 1.8e308), so the payoff is a float
    game = load(_text_with_payoff("1" + "0" * (MAX_INTEGER_DIGITS - 1)))
    assert game.attacker_types[0].defender_covered[0] == 1e99


def test_a_file_past_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_GAME_BYTES + 1)  # sparse: nothing is read
    with pytest.raises(InputError, match="more than the limit"):
        load(path)
