"""Unit tests of the nightly solver's reductions (:mod:`escolta.protect.nightly.reduce`).

Every expected value is worked out by hand in the test from docs/design.md §3-4.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from escolta.protect.nightly.pricing import all_postures_fast
from escolta.protect.nightly.reduce import (
    all_postures,
    insider_post_combinations,
    reduce_scenario,
    valid_type_array,
)
from escolta.protect.nights import iter_legal_nights
from escolta.protect.scenario import load_scenario

SCENARIO = {
    "principal": "P",
    "sites": [{"name": "palace", "rooms": 3, "success": [0.6, 0.3, 0.1]},
              {"name": "villa", "success": [0.9, 0.5]},
              {"name": "farm", "rooms": 2, "success": [0.8]}],
    "teams": [{"name": "inner", "chain": "guard"}, {"name": "outer", "chain": "army"},
              {"name": "reserve", "chain": "army"}],
    "rules": {"no_repeat": True},
    "adversaries": [
        {"name": "lookout", "weight": 3, "sees": "posture"},
        {"name": "drone", "weight": 1, "sees": "posture"},
        {"name": "maid", "weight": 1, "sees": "room", "lead": 1},
        {"name": "porter", "weight": 1, "sees": "room"},
        {"name": "mole", "weight": 1, "sees": {"team": "outer"}, "sabotage": True},
        {"name": "talker", "weight": 1, "sees": {"team": "inner"}, "lead": 1},
        {"name": "blind", "weight": 0, "sees": "nothing", "lead": 1},
        {"name": "phone", "weight": 2, "sees": "site"},
    ],
}


@pytest.fixture(scope="module")
def game():
    return reduce_scenario(load_scenario(SCENARIO))


def _adversary(game, name):
    return next(a for a in game.adversaries if a.name == name)


@pytest.mark.parametrize(("name", "role", "lead", "divide"), [
    ("lookout", "posture0", 0, True),
    ("maid", "lead1", 1, True),       # yesterday's room: a site watcher of yesterday
    ("porter", "linear", 0, False),   # tonight's room: E[success], not divided by rooms
    ("mole", "max0", 0, True),
    ("talker", "lead1", 1, True),
    ("blind", "max0", 0, True),       # lead-1 nothing is lead-0 nothing (stationarity)
    ("phone", "linear", 0, True),
])
def test_roles(game, name: str, role: str, lead: int, divide: bool) -> None:
    adversary = _adversary(game, name)
    assert (adversary.role, adversary.lead, adversary.divide_by_rooms) == (role, lead, divide)


def test_insider_teams_and_posture_weight(game) -> None:
    # insiders sit in outer (team 1, mentioned first) and inner (team 0); reserve is anonymous
    assert game.insider_teams == (1, 0)
    assert game.n_anonymous == 1
    # the two posture watchers weigh (3 + 1) / 10 of the total weight 10
    assert game.posture_weight == pytest.approx(0.4)


@pytest.mark.parametrize(("name", "site", "k", "here", "expected"), [
    ("phone", 0, 1, False, 0.3 / 3),     # palace success[1] = 0.3, three rooms
    ("porter", 0, 1, False, 0.3),        # sees the room: not divided
    ("mole", 0, 2, True, 0.3 / 3),       # sabotage from inside: k_eff = 1
    ("mole", 0, 2, False, 0.1 / 3),      # its team elsewhere: k_eff = 2
    ("mole", 1, 0, True, 0.9),           # k_eff = -1 counts as 0 teams
    ("phone", 2, 3, False, 0.8 / 2),     # a short list repeats its last value
])
def test_loss(game, name: str, site: int, k: int, here: bool, expected: float) -> None:
    assert game.loss(_adversary(game, name), site, k, here) == pytest.approx(expected)


def test_class_and_feature(game) -> None:
    # principal at villa with 2 teams: outer (insider 0) at villa, inner (insider 1) at farm
    column = (1, (0, 2, 1), (1, 2))
    # lead-1 adversaries in order: maid (site 1), talker ((farm, False)); then no_repeat site
    assert game.night_class(column) == (1, (2, False), 1)
    # feature: site, then each lead-1 adversary's loss at villa with 2 teams (success 0.5)
    assert game.feature(column) == (1, 0.5, 0.5)


@pytest.mark.parametrize(("site", "k", "posts", "valid"), [
    (0, 1, (0, 1), True),    # outer with the principal, inner at villa, reserve anywhere
    (0, 0, (1, 1), False),   # min_teams 1 (default with teams)
    (0, 1, (0, 0), False),   # two insiders at the palace but only one team there
    (0, 3, (0, 0), True),    # every team at the palace
    (0, 2, (1, 1), False),   # two anonymous teams at the palace, but only one exists
])
def test_type_validity(game, site: int, k: int, posts: tuple[int, ...], valid: bool) -> None:
    assert game.type_is_valid(site, k, posts) is valid


def _variant(**changes) -> dict:
    out = {**SCENARIO, **changes}
    return out


@pytest.mark.parametrize("scenario_dict", [
    pytest.param(SCENARIO, id="base"),
    pytest.param(_variant(rules={"min_teams_with_principal": 0}), id="min0"),
    pytest.param(_variant(rules={"min_teams_with_principal": 2}), id="min2"),
    pytest.param(_variant(sites=SCENARIO["sites"][:1], rules={}), id="one-site"),
    pytest.param(_variant(adversaries=SCENARIO["adversaries"] + [
        {"name": "coup", "weight": 1, "sees": {"chain": "army"}, "lead": 1}]), id="chain"),
    pytest.param(_variant(adversaries=SCENARIO["adversaries"][:4]), id="no-insiders"),
])
def test_valid_types_are_those_some_legal_night_realizes(scenario_dict: dict) -> None:
    # brute force: every legal night, as (site, teams there, posts of the insider teams)
    scenario = load_scenario(scenario_dict)
    game = reduce_scenario(scenario)
    realized = {(night.site, night.teams_at(night.site),
                 tuple(night.posts[t] for t in game.insider_teams))
                for night in iter_legal_nights(scenario)}
    placements = insider_post_combinations(game)
    valid = valid_type_array(game)
    computed = {(int(s), int(k), placements[int(i)]) for s, k, i in np.argwhere(valid)}
    assert computed == realized
    assert all(game.type_is_valid(*t) for t in realized)


def test_canonical_posture(game) -> None:
    # principal at farm with 1 team (the reserve); insiders at palace and villa
    assert game.canonical_posture(2, 1, (0, 1)) == (1, 1, 1)
    # principal at palace with outer; inner at villa; the reserve goes to the first other site
    assert game.canonical_posture(0, 1, (0, 1)) == (1, 2, 0)


def test_postures_small_by_hand() -> None:
    expected = [(0, 0, 2), (0, 1, 1), (0, 2, 0), (1, 0, 1), (1, 1, 0), (2, 0, 0)]
    assert [tuple(row) for row in all_postures(3, 2)] == expected
    assert [tuple(row) for row in all_postures_fast(3, 2)] == expected


@pytest.mark.parametrize(("n_sites", "n_teams"), [(1, 3), (2, 0), (4, 3), (6, 4), (3, 5)])
def test_postures_compiled_match_brute_force(n_sites: int, n_teams: int) -> None:
    brute = sorted(p for p in itertools.product(range(n_teams + 1), repeat=n_sites)
                   if sum(p) == n_teams)
    fast = [tuple(int(v) for v in row) for row in all_postures_fast(n_sites, n_teams)]
    assert fast == brute
    assert len(fast) == math.comb(n_teams + n_sites - 1, n_sites - 1)
    assert np.array_equal(all_postures(n_sites, n_teams), all_postures_fast(n_sites, n_teams))


def test_teams_a_chain_sees_alike_are_kept_as_multisets() -> None:
    # army: a1, a2, a3 with no mix; the chain reaches all five teams but, min_teams 0, does
    # not always see the principal. g0 is also an insider's team (kept apart), g1 the only
    # guard team the chain merely reaches, the three army teams it holds are alike.
    scenario = load_scenario({
        "principal": "P", "sites": [{"name": f"s{a}", "success": [0.9, 0.5]} for a in range(3)],
        "teams": [{"name": "g0", "chain": "guard"}, {"name": "g1", "chain": "guard"}]
        + [{"name": f"a{t}", "chain": "army"} for t in range(3)],
        "rules": {"min_teams_with_principal": 0},
        "adversaries": [{"name": "mole", "weight": 1, "sees": {"team": "g0"}},
                        {"name": "coup", "weight": 1, "sees": {"chain": "army"},
                         "sabotage": True}]})
    game = reduce_scenario(scenario)
    assert game.insider_teams == (0, 1, 2, 3, 4)
    assert game.groups == ((2, 3, 4),)
    placements = insider_post_combinations(game)
    # 3 * 3 posts for g0, g1, then the multisets of 3 posts over 3 sites: C(5, 3) = 10
    assert len(placements) == 3 * 3 * math.comb(5, 3)
    assert all(p[2] <= p[3] <= p[4] for p in placements)
    assert len(set(placements)) == len(placements)
