"""The implicit history variables (:mod:`escolta.protect.nightly.history`) against the
explicit ones: every allowed J(y, f) as a column (the
entries of docs/nightly.md §3) and its reduced cost ``−πᵀA`` computed by sparse algebra;
the compiled scan must find the same least value, and the entering J must be exactly the
best of their class or of their feature."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from escolta.protect.nightly.master import Master
from escolta.protect.nightly.pricing import is_separable
from escolta.protect.nightly.reduce import reduce_scenario
from escolta.protect.nightly.type_arrays import type_arrays
from escolta.protect.scenario import load_scenario


def _scenario(rng: random.Random) -> dict[str, Any]:
    n_sites, n_teams = rng.randint(2, 5), rng.randint(1, 3)
    sites = [{"name": f"s{a}", "rooms": rng.randint(1, 2),
              "success": sorted((rng.randrange(0, 20) / 20 for _ in range(n_teams + 1)),
                                reverse=True)} for a in range(n_sites)]
    teams = [{"name": f"t{t}", "chain": "guard"} for t in range(n_teams)]
    adversaries: list[dict[str, Any]] = [
        {"name": "housekeeping", "weight": rng.choice([0, 1]), "sees": "room", "lead": 1},
        {"name": "talker", "weight": 1, "sees": {"team": f"t{rng.randrange(n_teams)}"},
         "lead": 1, "sabotage": rng.random() < 0.5},
        {"name": "phone", "weight": 1, "sees": "site", "lead": rng.choice([0, 1])},
    ]
    return {"principal": "P", "sites": sites, "teams": teams, "adversaries": adversaries,
            "rules": {"no_repeat": rng.random() < 0.6}}


def _reduced_cost(game: Any, master: Master, y: Any, f: Any, duals: np.ndarray) -> float:
    """``−πᵀA`` of the column J(y, f) written out from docs/nightly.md §3: +1 in the rows
    of class y and feature f, −loss in each weighted lead-1 adversary's row (its signal in
    y, the site of f)."""
    value = -duals[master.rows[("class", y)]] - duals[master.rows[("feature", f)]]
    for i, adversary in enumerate(game.adversaries):
        if adversary.role != "lead1" or adversary.weight <= 0.0:
            continue
        sigma = y[game.lead1.index(adversary)]
        value += game.feature_loss(adversary, f) * duals[master.rows[("lead1", i, sigma, f[0])]]
    return float(value)


@pytest.mark.parametrize("seed", range(25), ids=lambda s: f"seed{s}")
def test_scan_matches_the_explicit_reduced_costs(seed: int) -> None:
    rng = random.Random(seed)
    game = reduce_scenario(load_scenario(_scenario(rng)))
    types = type_arrays(game, is_separable(game))
    master = Master(game, types.classes, types.features)
    index = master.history_index
    every = index.every()
    duals = np.random.default_rng(seed).normal(0.0, 0.3, master.n_static_rows)
    reduced = np.array([_reduced_cost(game, master, *index.key(j), duals) for j in every])
    built = index.columns(every, master.n_static_rows)
    np.testing.assert_allclose(-(built.T @ duals), reduced, atol=1e-12)
    pricing = master.price_history(duals, 1e-10, 10**6)
    assert pricing.least == pytest.approx(reduced.min(), abs=1e-12)
    n_f = len(index.features)
    by_class: dict[int, float] = {}
    by_feature: dict[int, float] = {}
    for j, value in zip(every, reduced, strict=True):
        y, f = divmod(j, n_f)
        by_class[y] = min(by_class.get(y, np.inf), value)
        by_feature[f] = min(by_feature.get(f, np.inf), value)
    for y in range(len(index.classes)):
        assert pricing.class_least[y] == pytest.approx(by_class.get(y, np.inf), abs=1e-12)
    for f in range(n_f):
        assert pricing.feature_least[f] == pytest.approx(by_feature.get(f, np.inf), abs=1e-12)
    value_of = dict(zip(every, reduced, strict=True))
    for j in pricing.entering:
        y, f = divmod(int(j), n_f)
        assert value_of[int(j)] < -1e-10
        assert value_of[int(j)] in (pytest.approx(by_class[y], abs=1e-12),
                                    pytest.approx(by_feature[f], abs=1e-12))
    # every class and every feature with a negative J has one entering
    entering = {divmod(int(j), n_f) for j in pricing.entering}
    assert {y for y, v in by_class.items() if v < -1e-9} <= {y for y, _ in entering}
    assert {f for f, v in by_feature.items() if v < -1e-9} <= {f for _, f in entering}
