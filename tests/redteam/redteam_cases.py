"""Small scenarios for the red team's tests, each with figures worked out by hand.

Shared helper (not a test module). Each entry: the scenario dict and, per adversary, its
exact success against the optimal plan, derived in the comment beside it.
"""

from __future__ import annotations

from typing import Any

#: name -> (scenario, {adversary: exact success of the optimal plan, derived by hand})
HAND_CASES: dict[str, tuple[dict[str, Any], dict[str, float]]] = {
    # Two sites, no teams, one adversary who knows only the odds. The plan minimizes
    # max(0.8 p_a, 0.4 p_b) with p_a + p_b = 1: equal at p_a = 1/3, success 0.8/3 = 4/15.
    "blind": (
        {"principal": "P",
         "sites": [{"name": "a", "success": [0.8]}, {"name": "b", "success": [0.4]}],
         "adversaries": [{"name": "blind", "weight": 1}]},
        {"blind": 4 / 15},
    ),
    # no_repeat on two sites forces a strict alternation, so p = 1/2 each. The informant
    # learns last night's site, hence tonight's: 1/2 * 0.6 + 1/2 * 0.3 = 0.45. The blind one
    # attacks a: 1/2 * 0.6 = 0.3.
    "alternation": (
        {"principal": "P",
         "sites": [{"name": "a", "success": [0.6]}, {"name": "b", "success": [0.3]}],
         "rules": {"no_repeat": True},
         "adversaries": [{"name": "informant", "weight": 1, "sees": "site", "lead": 1},
                         {"name": "blind", "weight": 1}]},
        {"informant": 0.45, "blind": 0.3},
    ),
    # One site: both teams always stand there (k = 2). The driver in t1 sabotages, so for
    # him k_eff = 1 and success[1] = 0.5; the outsider faces k = 2: 0.2.
    "saboteur": (
        {"principal": "P",
         "sites": [{"name": "home", "success": [0.9, 0.5, 0.2]}],
         "teams": [{"name": "t1", "chain": "guard"}, {"name": "t2", "chain": "army"}],
         "adversaries": [{"name": "driver", "weight": 1, "sees": {"team": "t1"},
                          "sabotage": True},
                         {"name": "outsider", "weight": 1}]},
        {"driver": 0.5, "outsider": 0.2},
    ),
    # One site, two rooms: the maid sees the room tonight and always succeeds (0.6); the blind
    # one can only guess a room, and the plan makes both rooms 1/2: 0.3.
    "rooms": (
        {"principal": "P",
         "sites": [{"name": "house", "rooms": 2, "success": [0.6]}],
         "adversaries": [{"name": "maid", "weight": 1, "sees": "room"},
                         {"name": "blind", "weight": 1}]},
        {"maid": 0.6, "blind": 0.3},
    ),
    # Two equal sites, one team that may stand anywhere (min 0). The lookout sees where the
    # team stands. For the signal "team at s" of mass m, with x = P(principal at s too): the
    # best attack earns max(0.2 x, 0.8 (m - x)), smallest at x = 0.8 m, worth 0.16 m; summed
    # over both signals, 0.16.
    "posture": (
        {"principal": "P",
         "sites": [{"name": "a", "success": [0.8, 0.2]}, {"name": "b", "success": [0.8, 0.2]}],
         "teams": [{"name": "t", "chain": "guard"}],
         "rules": {"min_teams_with_principal": 0},
         "adversaries": [{"name": "lookout", "weight": 1, "sees": "posture"}]},
        {"lookout": 0.16},
    ),
}
