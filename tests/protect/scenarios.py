"""Small scenarios for comparing solvers of the nightly game with the reference LP.

Shared test helper (not a test module). Three ways in:

- :data:`FEATURE_CASES`: named scenarios (``pytest.param(dict, id=...)``), each exercising one
  feature of docs/design.md §4: every kind of ``sees``, lead 0 and 1, sabotage,
  ``no_repeat``, rooms, no teams, one site, and mixtures;
- :func:`random_scenario`: a random tiny scenario from a :class:`random.Random` (seeded, so a
  failure is reproducible from its seed); every feature appears with good probability;
- :func:`scenario_dicts`: the same as a Hypothesis strategy (shrinks through ``st.randoms``).

All are plain dicts: pass them through ``load_scenario``. They stay tiny (at most ~100 legal
nights and a few thousand J variables) so the reference LP solves in milliseconds.

Compare solvers on the **risk** (and the lower bound), not on each adversary's success:
optimal plans need not be unique, and neither is the split of the risk between adversaries.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import strategies as st

SEES = ("nothing", "posture", "site", "room", "team")


def _success(rng: random.Random, length: int) -> list[float]:
    """A non-increasing list of probabilities on a 0.05 grid (ties are common on purpose)."""
    values = sorted((rng.randrange(0, 21) / 20 for _ in range(length)), reverse=True)
    return values


def random_scenario(
    rng: random.Random,
    *,
    max_sites: int = 3,
    max_teams: int = 2,
    max_rooms: int = 2,
    max_adversaries: int = 3,
    allow_zero_weight: bool = False,
    chains: bool = False,
) -> dict[str, Any]:
    """A random tiny scenario as a dict.

    Sites 1..``max_sites`` with 1..``max_rooms`` rooms; teams 0..``max_teams`` (in one or two
    chains); ``min_teams_with_principal`` anywhere from 0 to the number of teams;
    ``no_repeat`` when there are two sites or more (half the time); adversaries mixing every
    ``sees`` (insiders only when there are teams), lead 0 or 1, sabotage for some insiders.
    With ``chains``, teams get a random ``mix`` (or none) and one or two adversaries are
    hostile chains (``sees: {chain: C}``, sabotage half the time); the random stream of a
    seed without ``chains`` is unchanged.
    """
    n_sites = rng.randint(1, max_sites)
    n_teams = rng.randint(0, max_teams)
    # keep the LP tiny: 3 sites x 2 rooms x 3^2 posts = 54 nights at most by default
    sites = [
        {"name": f"s{a}", "rooms": rng.randint(1, max_rooms),
         "success": _success(rng, rng.randint(1, n_teams + 1))}
        for a in range(n_sites)
    ]
    teams = [{"name": f"t{t}", "chain": rng.choice(["guard", "army"])} for t in range(n_teams)]
    rules: dict[str, Any] = {}
    if n_teams and rng.random() < 0.7:
        rules["min_teams_with_principal"] = rng.randint(0, n_teams)
    if n_sites >= 2 and rng.random() < 0.5:
        rules["no_repeat"] = True
    kinds = [k for k in SEES if k != "team" or n_teams]
    adversaries = []
    for i in range(rng.randint(1, max_adversaries)):
        kind = rng.choice(kinds)
        adversary: dict[str, Any] = {
            "name": f"a{i}",
            "weight": rng.choice([0, 1, 2, 3]) if allow_zero_weight else rng.choice([1, 2, 3]),
            "lead": rng.choice([0, 1]),
        }
        if kind == "team":
            adversary["sees"] = {"team": rng.choice(teams)["name"]}
            adversary["sabotage"] = rng.random() < 0.5
        else:
            adversary["sees"] = kind
        adversaries.append(adversary)
    if chains and teams:
        for team in teams:
            team.update(rng.choice([{}, {"mix": {team["chain"]: 1}},
                                    {"mix": {"guard": 1, "army": 1}}]))
        for i in range(rng.randint(1, 2)):
            adversaries.append({
                "name": f"c{i}",
                "weight": rng.choice([0, 1, 2]) if allow_zero_weight else rng.choice([1, 2]),
                "lead": rng.choice([0, 1]), "sees": {"chain": rng.choice(teams)["chain"]},
                "sabotage": rng.random() < 0.5})
    if not any(a["weight"] > 0 for a in adversaries):
        adversaries[0]["weight"] = 1
    scenario: dict[str, Any] = {"principal": "P", "sites": sites, "adversaries": adversaries}
    if teams:
        scenario["teams"] = teams
    if rules:
        scenario["rules"] = rules
    return scenario


def scenario_dicts(**limits: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Hypothesis strategy of :func:`random_scenario` dicts (keyword limits passed through)."""
    return st.randoms(use_true_random=False).map(lambda rng: random_scenario(rng, **limits))


def _site(name: str, success: list[float], rooms: int = 1) -> dict[str, Any]:
    return {"name": name, "rooms": rooms, "success": success}


def _scenario(sites: list[dict[str, Any]], adversaries: list[dict[str, Any]],
              teams: int = 0, **rules: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"principal": "P", "sites": sites, "adversaries": adversaries}
    if teams:
        out["teams"] = [{"name": f"t{t}", "chain": "guard" if t % 2 == 0 else "army"}
                        for t in range(teams)]
    if rules:
        out["rules"] = rules
    return out


_TWO = [_site("palace", [0.6, 0.3, 0.1], rooms=2), _site("villa", [0.9, 0.5, 0.25])]
_THREE = _TWO + [_site("farm", [0.7, 0.2])]

#: One scenario per feature of section 4, with an id naming it.
FEATURE_CASES = [
    pytest.param(_scenario([_site("home", [0.5, 0.2], rooms=3)],
                           [{"name": "x", "weight": 1, "sees": "nothing"}], teams=1),
                 id="one-site-rooms"),
    pytest.param(_scenario(_THREE, [{"name": "x", "weight": 1, "sees": "nothing"},
                                    {"name": "y", "weight": 1, "sees": "site"}]),
                 id="no-teams"),
    pytest.param(_scenario(_TWO, [{"name": "x", "weight": 1, "sees": "posture"}], teams=2),
                 id="posture"),
    pytest.param(_scenario(_THREE, [{"name": "x", "weight": 1, "sees": "posture"}], teams=2,
                           min_teams_with_principal=0),
                 id="posture-min0"),
    pytest.param(_scenario(_TWO, [{"name": "x", "weight": 1, "sees": "site"},
                                  {"name": "y", "weight": 2, "sees": "nothing"}], teams=2),
                 id="site"),
    pytest.param(_scenario(_TWO, [{"name": "x", "weight": 1, "sees": "room"},
                                  {"name": "y", "weight": 1, "sees": "nothing"}], teams=2),
                 id="room"),
    pytest.param(_scenario(_THREE, [{"name": "x", "weight": 1, "sees": {"team": "t0"}},
                                    {"name": "y", "weight": 1, "sees": "nothing"}], teams=2),
                 id="insider"),
    pytest.param(_scenario(_TWO, [{"name": "x", "weight": 1, "sees": {"team": "t1"},
                                   "sabotage": True},
                                  {"name": "y", "weight": 1, "sees": "posture"}], teams=2),
                 id="insider-sabotage"),
    pytest.param(_scenario(_THREE, [{"name": "x", "weight": 1, "sees": "site", "lead": 1}],
                           teams=1),
                 id="site-lead1"),
    pytest.param(_scenario(_TWO, [{"name": "x", "weight": 2, "sees": "posture", "lead": 1},
                                  {"name": "y", "weight": 1, "sees": "room", "lead": 1}],
                           teams=2),
                 id="posture-room-lead1"),
    pytest.param(_scenario(_THREE, [{"name": "x", "weight": 1, "sees": {"team": "t0"},
                                     "lead": 1, "sabotage": True},
                                    {"name": "y", "weight": 1, "sees": "nothing"}], teams=2),
                 id="insider-lead1-sabotage"),
    pytest.param(_scenario(_THREE, [{"name": "x", "weight": 1, "sees": "nothing"}], teams=1,
                           no_repeat=True),
                 id="no-repeat"),
    pytest.param(_scenario(_TWO, [{"name": "x", "weight": 1, "sees": "site", "lead": 1},
                                  {"name": "y", "weight": 1, "sees": "posture"}], teams=2,
                           no_repeat=True),
                 id="no-repeat-lead1"),
    pytest.param(_scenario(_THREE,
                           [{"name": "lookout", "weight": 3, "sees": "posture"},
                            {"name": "maid", "weight": 1, "sees": "room", "lead": 1},
                            {"name": "mole", "weight": 1, "sees": {"team": "t1"},
                             "sabotage": True},
                            {"name": "strike", "weight": 2, "sees": "nothing"}],
                           teams=2, no_repeat=True),
                 id="mixture"),
    pytest.param(_scenario(_THREE, [{"name": "coup", "weight": 1, "sees": {"chain": "army"}},
                                    {"name": "y", "weight": 1, "sees": "nothing"}], teams=2),
                 id="chain-always-sees"),
    pytest.param(_scenario(_THREE, [{"name": "coup", "weight": 1, "sees": {"chain": "army"},
                                     "sabotage": True},
                                    {"name": "y", "weight": 1, "sees": "posture"}], teams=3),
                 id="chain-sabotage-always-sees"),
    pytest.param(_scenario(_THREE, [{"name": "coup", "weight": 1, "sees": {"chain": "army"},
                                     "sabotage": True},
                                    {"name": "y", "weight": 1, "sees": "nothing"}], teams=3,
                           min_teams_with_principal=2),
                 id="chain-sabotage"),
    pytest.param(_scenario(_THREE, [{"name": "coup", "weight": 1, "sees": {"chain": "guard"},
                                     "lead": 1, "sabotage": True},
                                    {"name": "y", "weight": 1, "sees": "posture"}], teams=3),
                 id="chain-lead1-sabotage"),
]
