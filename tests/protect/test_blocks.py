"""The master's blocks (docs/nightly.md §3f, Lemma 9): nights of one posture with shares.

A block alone in the master is a plan; the master's value for it must be that plan's risk,
read independently from its nights (``export.reduced_success``, each adversary's best
response summed over its signals), the posture watcher's included: its success is the
largest ``c_a(n_a) d_a`` over sites, with ``d_a`` the shares of *all* the block's nights at
site a (two nights at one site, with the insider teams posted differently, are one target).
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import numpy as np
import pytest

from escolta.protect.nightly import _all_columns
from escolta.protect.nightly.export import reduced_success
from escolta.protect.nightly.master import Master
from escolta.protect.nightly.reduce import reduce_scenario
from escolta.protect.scenario import load_scenario


def _lead0(rng: random.Random) -> dict[str, Any]:
    """A small lead-0 scenario with a posture watcher, insiders and linear adversaries (no
    history: the master has no J, and the plan's risk needs no history law)."""
    n_sites, n_teams = rng.randint(2, 4), rng.randint(2, 4)
    sites = [{"name": f"s{a}", "rooms": rng.randint(1, 2),
              "success": sorted((rng.randrange(1, 20) / 20 for _ in range(n_teams + 1)),
                                reverse=True)} for a in range(n_sites)]
    mole, talker = rng.randrange(n_teams), rng.randrange(n_teams)
    adversaries: list[dict[str, Any]] = [
        {"name": "lookouts", "weight": rng.choice([1, 3]), "sees": "posture"},
        {"name": "cell", "weight": rng.choice([0, 2]), "sees": "nothing"},
        {"name": "phone", "weight": rng.choice([0, 1]), "sees": "site"},
        {"name": "mole", "weight": 1, "sees": {"team": f"t{mole}"}, "sabotage": True},
        {"name": "talker", "weight": 1, "sees": {"team": f"t{talker}"}},
    ]
    return {"principal": "P", "sites": sites,
            "teams": [{"name": f"t{t}", "chain": "guard"} for t in range(n_teams)],
            "rules": {"min_teams_with_principal": rng.randint(0, 1)},
            "adversaries": adversaries}


def test_a_block_alone_costs_what_its_plan_costs() -> None:
    repeated = 0
    for seed in range(40):
        rng = random.Random(seed)
        game = reduce_scenario(load_scenario(_lead0(rng)))
        by_posture: dict[tuple[int, ...], list[Any]] = defaultdict(list)
        for column in _all_columns(game):
            by_posture[column[1]].append(column)
        nights_of = max(by_posture.values(), key=len)
        nights = rng.sample(nights_of, rng.randint(1, len(nights_of)))
        weights = np.array([rng.uniform(0.1, 1.0) for _ in nights])
        shares = weights / weights.sum()
        master = Master(game, (), ())
        assert master.add_blocks([(tuple(nights), tuple(float(s) for s in shares))]) == 1
        solution = master.solve()
        assert solution is not None
        success = reduced_success(game, nights, shares, {})
        expected = sum(a.weight * success[a.name] for a in game.adversaries)
        assert solution.objective == pytest.approx(expected, rel=1e-7, abs=1e-9)
        # the plan read back is the block's nights at their shares
        read = dict(zip(solution.columns, solution.p, strict=True))
        assert [read[night] for night in nights] == pytest.approx(list(shares), abs=1e-12)
        repeated += len({site for site, _, _ in nights}) < len(nights)
    assert repeated >= 5  # blocks with two nights at one site were met


def test_blocks_of_one_posture_only() -> None:
    game = reduce_scenario(load_scenario(_lead0(random.Random(0))))
    postures = list(dict.fromkeys(column[1] for column in _all_columns(game)))
    first = next(c for c in _all_columns(game) if c[1] == postures[0])
    second = next(c for c in _all_columns(game) if c[1] == postures[1])
    with pytest.raises(ValueError, match="one posture"):
        Master(game, (), ()).add_blocks([((first, second), (0.5, 0.5))])
