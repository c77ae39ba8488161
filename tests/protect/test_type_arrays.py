"""The pricing table built in NumPy (:mod:`escolta.protect.nightly.type_arrays`) against the
reference, one type at a time: :func:`table_types` / :func:`valid_types` for the types,
:meth:`ReducedGame.night_class` / :meth:`ReducedGame.feature` for their classes and
features, and :meth:`Master.static_entries` for every column's cost and entries."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from scenarios import random_scenario

from escolta.protect.nightly.master import Master
from escolta.protect.nightly.pricing import is_separable, table_types
from escolta.protect.nightly.reduce import reduce_scenario, valid_types
from escolta.protect.nightly.type_arrays import (
    has_fast_entries,
    static_entry_matrix,
    type_arrays,
    type_column,
)
from escolta.protect.scenario import load_scenario


def _national_like(rng: random.Random) -> dict[str, Any]:
    n_sites, n_teams = rng.randint(2, 5), rng.randint(1, 4)
    sites = [{"name": f"s{a}", "rooms": rng.randint(1, 3),
              "success": sorted((rng.randrange(0, 20) / 20 for _ in range(n_teams + 1)),
                                reverse=True)} for a in range(n_sites)]
    teams = [{"name": f"t{t}", "chain": "guard"} for t in range(n_teams)]
    adversaries: list[dict[str, Any]] = [
        {"name": "lookouts", "weight": 3, "sees": "posture"},
        {"name": "cell", "weight": 2, "sees": "nothing"},
        {"name": "phone", "weight": 1, "sees": "site"},
        {"name": "porter", "weight": 1, "sees": "room"},
        {"name": "housekeeping", "weight": 1, "sees": "room", "lead": 1},
        {"name": "mole", "weight": 1, "sees": {"team": f"t{rng.randrange(n_teams)}"},
         "sabotage": True},
        {"name": "talker", "weight": 1, "sees": {"team": f"t{rng.randrange(n_teams)}"},
         "lead": 1, "sabotage": rng.random() < 0.5},
    ]
    if rng.random() < 0.3:  # a second lead-1 insider: not separable
        adversaries.append({"name": "second", "weight": 1, "lead": 1,
                            "sees": {"team": f"t{rng.randrange(n_teams)}"}})
    return {"principal": "P", "sites": sites, "teams": teams, "adversaries": adversaries,
            "rules": {"min_teams_with_principal": rng.randint(0, 1),
                      "no_repeat": rng.random() < 0.5}}


def _cases() -> list[Any]:
    cases = [pytest.param(_national_like(random.Random(seed)), id=f"national{seed}")
             for seed in range(30)]
    cases += [pytest.param(random_scenario(random.Random(700 + seed), max_sites=4,
                                           max_teams=3, max_adversaries=4,
                                           allow_zero_weight=True, chains=seed % 2 == 1),
                           id=f"random{seed}") for seed in range(40)]
    return cases


@pytest.mark.parametrize("scenario_dict", _cases())
def test_table_in_numpy_matches_the_reference_type_by_type(
        scenario_dict: dict[str, Any]) -> None:
    game = reduce_scenario(load_scenario(scenario_dict))
    if game.class_depends_on_posture:
        pytest.skip("a lead-1 posture watcher has no table (enumeration)")
    separable = is_separable(game)
    types = type_arrays(game, separable)
    expected = table_types(game) if separable else valid_types(game)
    got = [(int(s), int(k), tuple(int(q) for q in p))
           for s, k, p in zip(types.site, types.teams, types.posts, strict=True)]
    assert got == expected
    columns = [type_column(game, s, k, p) for s, k, p in expected]
    if game.history_matters:
        assert [types.classes[c] for c in types.class_of] == \
            [game.night_class(c) for c in columns]
        assert [types.features[f] for f in types.feature_of] == \
            [game.feature(c) for c in columns]
        assert len(set(types.classes)) == len(types.classes)
        assert len(set(types.features)) == len(types.features)
    if not has_fast_entries(game):
        return
    master = Master(game, types.classes, types.features)
    cost, matrix = static_entry_matrix(game, types, master.rows, master.n_static_rows)
    dense = matrix.toarray()
    for t, column in enumerate(columns):
        reference_cost, entries = master.static_entries(column)
        reference = np.zeros(master.n_static_rows)
        for key, value in entries:
            reference[master.rows[key]] += value
        assert cost[t] == pytest.approx(reference_cost, abs=1e-15)
        np.testing.assert_allclose(dense[:, t], reference, atol=1e-15)
