"""The team sweep: which scenario is solved at each number of teams."""

from __future__ import annotations

from pathlib import Path

import pytest

from escolta.errors import InputError
from escolta.protect.plan import Plan, SolverInfo
from escolta.protect.scenario import Scenario, load_scenario
from escolta.reports.sweep import sweep_teams, with_teams

TWO_SITES = Path(__file__).parents[2] / "examples" / "two-sites.yaml"


@pytest.fixture
def two_sites() -> Scenario:
    return load_scenario(TWO_SITES)


@pytest.mark.parametrize(
    ("count", "teams", "min_teams", "mole_sees"),
    [
        pytest.param(0, [], 0, "nothing", id="none"),
        pytest.param(1, ["inner"], 1, "nothing", id="insider-team-dropped"),
        pytest.param(2, ["inner", "outer"], 1, "team", id="as-written"),
        pytest.param(4, ["inner", "outer", "extra-1", "extra-2"], 1, "team", id="two-more"),
    ],
)
def test_with_teams(two_sites: Scenario, count: int, teams: list[str], min_teams: int,
                    mole_sees: str) -> None:
    scenario = with_teams(two_sites, count)
    assert [t.name for t in scenario.teams] == teams
    assert scenario.min_teams == min_teams
    mole = next(a for a in scenario.adversaries if a.name == "mole")
    assert mole.sees_kind == mole_sees
    assert mole.sabotage is (mole_sees == "team")
    assert scenario.sites == two_sites.sites and scenario.rules.no_repeat


def test_the_sweep_solves_each_count_in_order(two_sites: Scenario) -> None:
    seen: list[int] = []

    def fake_solve(scenario: Scenario) -> Plan:
        seen.append(len(scenario.teams))
        risk = 1.0 / (1 + len(scenario.teams))
        return Plan(risk, {}, {}, (), None, SolverInfo("optimal", 0.0, risk))

    points = sweep_teams(two_sites, 3, fake_solve)
    assert seen == [0, 1, 2, 3]
    assert [p.risk for p in points] == [1.0, 0.5, 1 / 3, 0.25]


def test_a_negative_sweep_is_refused(two_sites: Scenario) -> None:
    with pytest.raises(InputError, match="--sweep-teams"):
        sweep_teams(two_sites, -1, lambda s: None)  # type: ignore[arg-type,return-value]


@pytest.mark.parametrize(("count", "coup_sees"), [
    pytest.param(0, "nothing", id="no-teams"),
    pytest.param(1, "nothing", id="the-chain-commands-none"),
    pytest.param(2, "chain", id="the-chain-commands-outer"),
])
def test_with_teams_keeps_a_hostile_chain_while_it_commands_a_team(
        two_sites: Scenario, count: int, coup_sees: str) -> None:
    data = two_sites.model_dump(mode="json", exclude_none=True)
    chain = two_sites.teams[1].chain  # outer's chain, which inner does not share
    assert two_sites.teams[0].chain != chain
    data["adversaries"].append({"name": "coup", "weight": 1, "sees": {"chain": chain},
                                "sabotage": True})
    coup = next(a for a in with_teams(load_scenario(data), count).adversaries
                if a.name == "coup")
    assert coup.sees_kind == coup_sees
    assert coup.sabotage is (coup_sees == "chain")


CONVOY = Path(__file__).parents[2] / "examples" / "convoy.yaml"


@pytest.mark.parametrize(("count", "convoy"), [
    pytest.param(0, None, id="no-teams"),
    pytest.param(1, "alpha", id="the-convoy-team-kept"),
    pytest.param(3, "alpha", id="one-more"),
])
def test_with_teams_keeps_the_convoy_while_its_team_is_kept(count: int,
                                                            convoy: str | None) -> None:
    """A sweep point without the convoy's team plans no driver (roads.convoy would name a
    team that is not there: the demo's sweep on capital.yaml once failed so)."""
    roads = with_teams(load_scenario(CONVOY), count).roads
    assert roads is not None and roads.convoy == convoy
    assert roads.file == load_scenario(CONVOY).roads.file  # type: ignore[union-attr]
