"""No team is a beacon: the export spreads anonymous teams evenly over each posture.

Expected values come from the plan's own nights read independently (the mean number of
anonymous teams beside the principal, divided among them) and from the JSON evaluator,
never from the exporter's arithmetic.
"""

from __future__ import annotations

from typing import Any

import pytest
from beacon_scenario import ANONYMOUS, SCENARIO
from json_evaluator import check_export

import escolta.protect.nightly as nightly
from escolta.protect.nightly import export, solve_nightly
from escolta.protect.scenario import load_scenario


def _shares(plan_dict: dict[str, Any]) -> dict[str, float]:
    return {team: sum(n["p"] for n in plan_dict["nights"] if n["posts"][team] == n["site"])
            for team in ANONYMOUS}


@pytest.mark.parametrize("spread", export.SPREADS)
def test_anonymous_teams_share_the_principal_evenly(
        monkeypatch: pytest.MonkeyPatch, spread: str) -> None:
    monkeypatch.setattr(nightly, "choose_spread", lambda *_: spread)
    plan = solve_nightly(load_scenario(SCENARIO)).to_dict()
    check_export(plan, SCENARIO)  # every spread is a correct stationary plan, same risk
    assert plan["anonymous_teams"]["teams"] == list(ANONYMOUS)
    assert plan["anonymous_teams"]["spread"] == spread
    shares = _shares(plan)
    mean = sum(n["p"] * sum(1 for t in ANONYMOUS if n["posts"][t] == n["site"])
               for n in plan["nights"]) / len(ANONYMOUS)
    if spread == "file order":  # the beacon the spread removes: one team is with the
        # principal more often (by as much as tests/redteam/test_followers.py asks)
        assert max(shares.values()) > mean + 0.03
    else:
        assert shares == pytest.approx(dict.fromkeys(ANONYMOUS, mean), abs=1e-9)


@pytest.mark.parametrize(("nights", "pairs", "expected"), [
    pytest.param(10**9, 10**9, "uniform", id="room-enough"),
    pytest.param(0, 10**9, "file order", id="nights-capped"),
    pytest.param(10**9, 0, "file order", id="pairs-capped"),
])
def test_the_spread_respects_the_export_caps(monkeypatch: pytest.MonkeyPatch, nights: int,
                                             pairs: int, expected: str) -> None:
    monkeypatch.setattr(export, "MAX_EXPORT_NIGHTS", nights)
    monkeypatch.setattr(export, "MAX_EXPORT_PAIRS", pairs)
    plan = solve_nightly(load_scenario(SCENARIO)).to_dict()
    assert plan["anonymous_teams"]["spread"] == expected
    check_export(plan, SCENARIO)


def test_uniform_spread_gives_every_assignment_equal_odds() -> None:
    plan = solve_nightly(load_scenario(SCENARIO)).to_dict()
    assert plan["anonymous_teams"]["spread"] == "uniform"
    # nights that differ only in which anonymous team stands where have equal odds
    groups: dict[Any, list[float]] = {}
    for n in plan["nights"]:
        key = (n["site"], n["room"], n["posts"]["m"],
               tuple(sorted(n["posts"][t] for t in ANONYMOUS)))
        groups.setdefault(key, []).append(n["p"])
    for key, ps in groups.items():
        counts = [list(key[3]).count(q) for q in set(key[3])]
        ways = 6 // (1 if max(counts) == 1 else (2 if max(counts) == 2 else 6))
        assert len(ps) == ways, key
        assert max(ps) - min(ps) <= 1e-12, key
