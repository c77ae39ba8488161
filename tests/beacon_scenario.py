"""The beacon scenario shared by the spread export's tests (tests/protect/test_beacon.py) and
the followers' (tests/redteam/test_followers.py).

Identical sites: a posture watcher is best fooled by teams posted apart from the principal,
so the three anonymous guard teams do not all stand with the principal, and an export that
posts them in file order makes the first one a beacon a follower can use.
"""

from __future__ import annotations

from typing import Any

SCENARIO: dict[str, Any] = {
    "principal": "P",
    "sites": [{"name": "a", "success": [0.8, 0.4]}, {"name": "b", "success": [0.8, 0.4]},
              {"name": "c", "success": [0.8, 0.4]}],
    "teams": [{"name": f"t{t}", "chain": "guard"} for t in range(3)]
    + [{"name": "m", "chain": "army"}],
    "rules": {"no_repeat": True},
    "adversaries": [{"name": "lookout", "weight": 2, "sees": "posture"},
                    {"name": "maid", "weight": 1, "sees": "site", "lead": 1},
                    {"name": "mole", "weight": 1, "sees": {"team": "m"}}],
}
#: The teams no adversary tells apart.
ANONYMOUS = ("t0", "t1", "t2")
