"""The semantics of docs/design.md §4 on nights written out by hand."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

from escolta.errors import InputError
from escolta.protect.nights import (
    NightState,
    count_nights,
    history_matters,
    is_legal,
    k_eff,
    legal_nights,
    may_follow,
    night_class,
    observed,
    plan_night,
    signal,
    state_of,
    success,
    targets,
)
from escolta.protect.plan import Night
from escolta.protect.scenario import load_scenario

# docs/design.md §3's example: palace (3 rooms), villa (1 room); teams inner, outer.
EXAMPLE: dict[str, Any] = {
    "principal": "P",
    "sites": [{"name": "palace", "rooms": 3, "success": [0.6, 0.3, 0.1]},
              {"name": "villa", "rooms": 1, "success": [0.9, 0.5, 0.25]}],
    "teams": [{"name": "inner", "chain": "guard"}, {"name": "outer", "chain": "army"}],
    "rules": {"min_teams_with_principal": 1, "no_repeat": True},
    "adversaries": [
        {"name": "lookout", "weight": 3, "sees": "posture", "lead": 0},
        {"name": "maid", "weight": 1, "sees": "room", "lead": 1},
        {"name": "mole", "weight": 1, "sees": {"team": "outer"}, "lead": 0, "sabotage": True},
        {"name": "strike", "weight": 2, "sees": "nothing"},
    ],
}
S = load_scenario(EXAMPLE)
LOOKOUT, MAID, MOLE, STRIKE = S.adversaries
# Principal in palace room 2; inner at palace, outer at villa.
NIGHT = NightState(site=0, room=2, posts=(0, 1))
# Principal in the villa, both teams there.
VILLA = NightState(site=1, room=1, posts=(1, 1))


def test_example_has_the_nights_counted_by_hand() -> None:
    # Palace: 3 rooms x posts with >= 1 team at palace (of 4 assignments, all but
    # (villa, villa)) = 3 x 3 = 9; villa: 1 room x 3 = 3. Total 12.
    assert count_nights(S) == 12
    nights = legal_nights(S)
    assert len(nights) == len(set(nights)) == 12
    assert all(is_legal(S, n) for n in nights)
    assert NightState(0, 1, (1, 1)) not in nights  # no team with the principal


@pytest.mark.parametrize(
    ("n_sites", "rooms", "n_teams", "min_teams"),
    [(1, 1, 0, 0), (2, 3, 1, 1), (3, 2, 2, 0), (3, 1, 3, 2), (4, 2, 3, 3)],
    ids=lambda v: str(v),
)
def test_count_nights_formula_matches_enumeration(n_sites: int, rooms: int, n_teams: int,
                                                  min_teams: int) -> None:
    scenario = load_scenario({
        "principal": "P",
        "sites": [{"name": f"s{a}", "rooms": rooms, "success": [0.5]} for a in range(n_sites)],
        "teams": [{"name": f"t{t}", "chain": "c"} for t in range(n_teams)],
        "rules": {"min_teams_with_principal": min_teams},
        "adversaries": [{"name": "x", "weight": 1}],
    })
    # brute force, independently of iter_legal_nights
    brute = sum(1 for s in range(n_sites) for _ in range(rooms)
                for posts in itertools.product(range(n_sites), repeat=n_teams)
                if posts.count(s) >= min_teams)
    assert count_nights(scenario) == brute == len(legal_nights(scenario))


def test_legal_nights_refuses_beyond_limit_naming_the_size() -> None:
    with pytest.raises(InputError, match="12 nights"):
        legal_nights(S, limit=11)


def test_targets_are_every_site_and_room() -> None:
    assert targets(S) == [(0, 1), (0, 2), (0, 3), (1, 1)]


@pytest.mark.parametrize(
    ("adversary", "expected"),
    [
        pytest.param({"sees": "nothing"}, (), id="nothing"),
        pytest.param({"sees": "posture"}, (1, 1), id="posture"),
        pytest.param({"sees": "site"}, 0, id="site"),
        pytest.param({"sees": "room"}, (0, 2), id="room"),
        pytest.param({"sees": {"team": "outer"}}, (1, False), id="insider-away"),
        pytest.param({"sees": {"team": "inner"}}, (0, True), id="insider-with"),
    ],
)
def test_what_each_kind_of_adversary_sees(adversary: dict[str, Any], expected: Any) -> None:
    scenario = load_scenario({**EXAMPLE, "adversaries": [{"name": "x", "weight": 1,
                                                          **adversary}]})
    assert observed(scenario, scenario.adversaries[0], NIGHT) == expected


def test_lead_one_sees_yesterday() -> None:
    assert signal(S, MAID, NIGHT, yesterday=VILLA) == (1, 1)
    assert signal(S, LOOKOUT, NIGHT, yesterday=VILLA) == (1, 1)  # lead 0: tonight, 1 and 1
    assert signal(S, LOOKOUT, VILLA, yesterday=NIGHT) == (0, 2)
    with pytest.raises(ValueError, match="lead 1"):
        signal(S, MAID, NIGHT)


@pytest.mark.parametrize(
    ("adversary", "night", "k"),
    [
        pytest.param(MOLE, NIGHT, 1, id="mole-team-away"),  # outer at villa: no sabotage
        pytest.param(MOLE, VILLA, 1, id="mole-sabotages"),  # 2 teams at villa, less one
        pytest.param(STRIKE, VILLA, 2, id="outsider"),
        pytest.param(LOOKOUT, NIGHT, 1, id="lookout"),
    ],
)
def test_k_eff(adversary: Any, night: NightState, k: int) -> None:
    assert k_eff(S, adversary, night) == k


@pytest.mark.parametrize(
    ("adversary", "target", "night", "expected"),
    [
        pytest.param(STRIKE, (0, 2), NIGHT, 0.3, id="right-room"),  # palace success[1]
        pytest.param(STRIKE, (0, 1), NIGHT, 0.0, id="wrong-room"),
        pytest.param(STRIKE, (1, 1), NIGHT, 0.0, id="wrong-site"),
        pytest.param(STRIKE, None, NIGHT, 0.0, id="no-attack"),
        pytest.param(STRIKE, (1, 1), VILLA, 0.25, id="villa-two-teams"),
        pytest.param(MOLE, (1, 1), VILLA, 0.5, id="villa-sabotaged"),
    ],
)
def test_success(adversary: Any, target: Any, night: NightState, expected: float) -> None:
    assert success(S, adversary, target, night) == expected


def test_short_success_list_repeats_its_last_value() -> None:
    scenario = load_scenario({**EXAMPLE, "sites": [
        {"name": "palace", "rooms": 3, "success": [0.6]},
        {"name": "villa", "success": [0.9, 0.5]}]})
    assert success(scenario, scenario.adversaries[3], (1, 1), VILLA) == 0.5
    assert success(scenario, scenario.adversaries[3], (0, 2), NightState(0, 2, (0, 0))) == 0.6


def test_class_is_lead_one_signals_and_site_under_no_repeat() -> None:
    # the maid (lead 1, sees room) and the site for no_repeat
    assert night_class(S, NIGHT) == ((0, 2), 0)
    assert history_matters(S)
    assert not may_follow(S, NIGHT, NightState(0, 1, (0, 0)))
    assert may_follow(S, NIGHT, VILLA)
    calm = load_scenario({**EXAMPLE, "rules": {}, "adversaries": [EXAMPLE["adversaries"][0]]})
    assert not history_matters(calm)
    assert night_class(calm, NIGHT) == ()


def test_plan_night_round_trip() -> None:
    night = plan_night(S, NIGHT, 0.25)
    assert night == Night(0.25, "palace", 2, {"inner": "palace", "outer": "villa"})
    assert state_of(S, night) == NIGHT


@pytest.mark.parametrize(
    ("night", "field"),
    [
        pytest.param(Night(1, "castle", 1, {"inner": "palace", "outer": "villa"}),
                     "night.site", id="unknown-site"),
        pytest.param(Night(1, "villa", 2, {"inner": "villa", "outer": "villa"}),
                     "night.room", id="no-such-room"),
        pytest.param(Night(1, "villa", 1, {"inner": "villa"}), "night.posts.outer",
                     id="team-missing"),
        pytest.param(Night(1, "villa", 1, {"inner": "villa", "outer": "villa", "x": "villa"}),
                     "night.posts", id="unknown-team"),
    ],
)
def test_state_of_refuses_nights_of_another_scenario(night: Night, field: str) -> None:
    with pytest.raises(InputError) as error:
        state_of(S, night)
    assert error.value.field == field


def test_counting_formula_on_section_three_example() -> None:
    # Σ_s R_s Σ_{k>=1} C(2,k) 1^(2-k) = (3 + 1) * (2 + 1) = 12
    assert count_nights(S) == (3 + 1) * sum(math.comb(2, k) for k in (1, 2))
