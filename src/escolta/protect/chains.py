"""Hostile chains of command in the nightly game (docs/design.md §4 and §9).

A team is *reached* by chain C when C commands it (``chain: C``) or its crew may hold a
member of C (C is named in its ``mix``, or the team has no ``mix``); it is *held* by C when C
commands it and its ``mix`` names no other chain. An adversary ``sees: {chain: C}`` knows
where every reached team stands and whether the principal is with it; with
``sabotage: true`` every held team at the attacked site counts for nothing.

Examples
--------
>>> from escolta.protect.scenario import load_scenario
>>> s = load_scenario({"principal": "P", "sites": [{"name": "a", "success": [0.5]}],
...     "teams": [{"name": "g1", "chain": "guard", "mix": {"guard": 2}},
...               {"name": "g2", "chain": "guard", "mix": {"guard": 1, "army": 1}},
...               {"name": "a1", "chain": "army"},
...               {"name": "a2", "chain": "army", "mix": {"army": 1, "guard": 1}}],
...     "adversaries": [{"name": "coup", "weight": 1, "sees": {"chain": "army"}}]})
>>> reached_teams(s, "army"), held_teams(s, "army")
(('g2', 'a1', 'a2'), ('a1',))
>>> reached_teams(s, "guard"), held_teams(s, "guard")
(('g1', 'g2', 'a1', 'a2'), ('g1',))
"""

from __future__ import annotations

from escolta.protect.scenario import Scenario, Team


def reaches(team: Team, chain: str) -> bool:
    """Whether a member of ``chain`` may serve in ``team``."""
    return team.chain == chain or team.mix is None or chain in team.mix


def holds(team: Team, chain: str) -> bool:
    """Whether ``chain`` commands ``team`` and its ``mix`` names no other chain."""
    return team.chain == chain and (team.mix is None or set(team.mix) <= {chain})


def reached_teams(scenario: Scenario, chain: str) -> tuple[str, ...]:
    """The names of the teams ``chain`` reaches, in file order."""
    return tuple(team.name for team in scenario.teams if reaches(team, chain))


def held_teams(scenario: Scenario, chain: str) -> tuple[str, ...]:
    """The names of the teams ``chain`` holds (a subset of the reached ones), in file order."""
    return tuple(team.name for team in scenario.teams if holds(team, chain))
