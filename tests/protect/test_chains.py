"""Hostile chains (docs/design.md §9): which teams a chain reaches and holds, what the
``mix`` rule buys, and the plan summary that shows it.

Every figure is derived by hand in the test (the success curves are chosen so that the
optimal plan is forced) or recomputed by the reference LP.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_helpers import run

from escolta.protect.chains import held_teams, reached_teams
from escolta.protect.mix_effect import mix_effect, without_mixes
from escolta.protect.reference import solve_reference
from escolta.protect.scenario import load_scenario


def _scenario(mixes: list[dict[str, int] | None], sabotage: bool = True,
              min_teams: int = 2) -> dict[str, Any]:
    teams = []
    for t, mix in enumerate(mixes):
        team: dict[str, Any] = {"name": f"t{t}", "chain": "army" if t % 2 else "guard"}
        if mix is not None:
            team["mix"] = mix
        teams.append(team)
    return {"principal": "P",
            "sites": [{"name": "a", "success": [0.9, 0.5, 0.2]},
                      {"name": "b", "success": [0.9, 0.5, 0.2]}],
            "teams": teams, "rules": {"min_teams_with_principal": min_teams},
            "adversaries": [{"name": "coup", "weight": 1, "sees": {"chain": "army"},
                             "sabotage": sabotage}]}


@pytest.mark.parametrize(("mixes", "reached", "held"), [
    # no mix: every chain may serve anywhere; army commands t1 and holds it
    pytest.param([None, None], ("t0", "t1"), ("t1",), id="no-mix"),
    # a guard-only mix keeps the army out of t0; a mixed t1 is seen but not held
    pytest.param([{"guard": 2}, {"army": 1, "guard": 1}], ("t1",), (), id="mixed"),
    # an army-only mix on t1 keeps it held; a mix naming the army lets it see t0
    pytest.param([{"guard": 1, "army": 1}, {"army": 2}], ("t0", "t1"), ("t1",),
                 id="army-only"),
])
def test_reached_and_held(mixes: list[dict[str, int] | None], reached: tuple[str, ...],
                          held: tuple[str, ...]) -> None:
    scenario = load_scenario(_scenario(mixes))
    assert reached_teams(scenario, "army") == reached
    assert held_teams(scenario, "army") == held
    assert set(held) <= set(reached)


def test_what_the_mix_buys_against_sabotage() -> None:
    # Both teams must stand with the principal (min 2), on two identical sites. With the
    # mixes, the army reaches t1 (so it always sees the principal) but holds nothing: it
    # wins success[2] = 0.2. Without them it holds t1, which stands down: success[1] = 0.5.
    scenario = load_scenario(_scenario([{"guard": 1}, {"army": 1, "guard": 1}]))
    effect = mix_effect(scenario, method="fast")
    assert effect.risk_with == pytest.approx(0.2, abs=1e-9)
    assert effect.risk_without == pytest.approx(0.5, abs=1e-9)
    assert effect.chains_without["coup"] == pytest.approx(0.5, abs=1e-9)
    assert effect.bought == pytest.approx(0.3, abs=1e-9)
    # the re-solve agrees with the reference LP on the scenario without mixes
    bare = solve_reference(without_mixes(scenario))
    assert bare.risk == pytest.approx(effect.risk_without, abs=1e-9)


def test_plan_summary_shows_what_the_mix_buys(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "chains.yaml"
    path.write_text(yaml.safe_dump(_scenario([{"guard": 1}, {"army": 1, "guard": 1}])))
    code, out, err = run(capsys, "plan", str(path), "--db", str(tmp_path / "r.db"),
                         "--no-plots")
    assert code == 0, err
    assert "what the mix buys" in out
    assert "0.200000" in out and "0.500000" in out


def test_plan_summary_says_when_the_scenario_without_mixes_is_too_large(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from escolta.protect.nightly import reduce

    # with the mixes the army reaches one team; without them, both (more types)
    data = _scenario([{"guard": 1}, {"army": 1, "guard": 1}], min_teams=0)
    monkeypatch.setattr(reduce, "MAX_TYPES", 2 * 3 * 2)  # S x (T+1) x one team's posts
    path = tmp_path / "chains.yaml"
    path.write_text(yaml.safe_dump(data))
    code, out, err = run(capsys, "plan", str(path), "--db", str(tmp_path / "r.db"),
                         "--no-plots")
    assert code == 0, err
    assert "without its mixes was not re-solved" in out


def test_the_service_layer_prices_the_mix_with_the_plans_own_method() -> None:
    # the same scenario as above, planned by the fast solver: the service re-solves it without
    # mixes by that method, and the reference LP agrees on the bare scenario
    from escolta.operations.planning import chains_mix_effect
    from escolta.protect.solve import solve_plan

    scenario = load_scenario(_scenario([{"guard": 1}, {"army": 1, "guard": 1}]))
    effect = chains_mix_effect(scenario, solve_plan(scenario, method="fast"))
    assert effect is not None
    assert effect.risk_with == pytest.approx(0.2, abs=1e-9)
    assert effect.risk_without == pytest.approx(
        solve_reference(without_mixes(scenario)).risk, abs=1e-9)
    # no hostile chain: nothing to price
    plain = _scenario([None, None])
    plain["adversaries"] = [{"name": "blind", "weight": 1, "sees": "nothing"}]
    assert chains_mix_effect(load_scenario(plain),
                             solve_plan(load_scenario(plain), method="fast")) is None
