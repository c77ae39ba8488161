"""The knapsack pricing of postures (:mod:`escolta.protect.nightly.knapsack`).

Every expected value comes from an independent computation: the DP against brute force
over every posture, the pricer's ``min_n B(n)`` against the enumeration of every posture
(:class:`escolta.protect.nightly.pricing.PosturePricer`, the reference pricing) on the
duals of real reduced games (separable and not, with insider teams), and whole solves
against the reference LP in ``test_fast_vs_reference.py`` (strategy ``knapsack``).
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from json_evaluator import check_export

from escolta.errors import InputError
from escolta.protect.nightly import solve_nightly_report
from escolta.protect.nightly.knapsack import (
    KnapsackPricer,
    knapsack_alternatives,
    knapsack_min,
)
from escolta.protect.nightly.limits import MAX_ENUMERATION_BYTES, enumeration_bytes
from escolta.protect.nightly.master import Master
from escolta.protect.nightly.pricing import (
    PosturePricer,
    all_postures_fast,
    build_type_table,
    is_separable,
    table_types,
    type_costs,
)
from escolta.protect.nightly.reduce import reduce_scenario, valid_types
from escolta.protect.nightly.type_arrays import type_column
from escolta.protect.scenario import load_scenario


def _brute_phi(h: np.ndarray, c: np.ndarray, lo: np.ndarray, hi: np.ndarray, weight: float,
               lam: float) -> float:
    """``min_n W + Σ_a min(0, (h − λ)/c)`` over every posture within the bounds."""
    n_sites, n_k = h.shape
    best = np.inf
    for posture in all_postures_fast(n_sites, n_k - 1):
        if np.any(posture < lo) or np.any(posture > hi):
            continue
        total = weight
        for a, k in enumerate(posture):
            value = h[a, k]
            if not np.isfinite(value):
                continue
            if c[a, k] <= 1e-15:
                total += -1e30 if value < lam else 0.0
            else:
                total += min(0.0, (value - lam) / c[a, k])
        best = min(best, total)
    return best


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 5), st.integers(0, 5), st.integers(0, 2**31 - 1))
def test_knapsack_matches_brute_force(n_sites: int, n_teams: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(n_sites, n_teams + 1))
    h[rng.random(h.shape) < 0.2] = np.inf
    c = rng.choice([0.0, 0.05, 0.3, 0.9], size=h.shape)
    lo = rng.integers(0, 2, n_sites)
    hi = np.maximum(lo, rng.integers(0, n_teams + 1, n_sites))
    lam, weight = float(rng.normal()), float(rng.uniform(0.1, 2))
    posture = np.zeros(n_sites, dtype=np.int64)
    got = knapsack_min(h, c, lo, hi, weight, lam, posture)
    expected = _brute_phi(h, c, lo, hi, weight, lam)
    assert got == pytest.approx(expected)
    if np.isfinite(expected):  # the posture returned attains it, within the bounds
        assert posture.sum() == n_teams and np.all(lo <= posture) and np.all(posture <= hi)
        single = _brute_phi(h, c, posture, posture, weight, lam)
        assert single == pytest.approx(expected)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(0, 5), st.integers(0, 2**31 - 1))
def test_alternatives_are_the_best_posture_of_each_site_and_count(
        n_sites: int, n_teams: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(n_sites, n_teams + 1))
    h[rng.random(h.shape) < 0.2] = np.inf
    c = rng.choice([0.05, 0.3, 0.9], size=h.shape)
    lo = np.zeros(n_sites, dtype=np.int64)
    hi = np.full(n_sites, n_teams, dtype=np.int64)
    lam, weight = float(rng.normal()), float(rng.uniform(0.1, 2))
    most = n_sites * (n_teams + 1)
    out = np.zeros((most, n_sites), dtype=np.int64)
    n = knapsack_alternatives(h, c, lo, hi, weight, lam, most, out)
    # brute force: for every (site, count) the least Φ over postures with that count there
    best: dict[tuple[int, int], float] = {}
    for posture in all_postures_fast(n_sites, n_teams):
        phi = _brute_phi(h, c, posture, posture, weight, lam)
        for a, k in enumerate(posture):
            best[(a, int(k))] = min(best.get((a, int(k)), np.inf), phi)
    below = sorted(v for v in best.values() if v < 0.0)
    assert n == len(below)
    got = sorted(_brute_phi(h, c, row, row, weight, lam) for row in out[:n])
    for row in out[:n]:
        assert row.sum() == n_teams and np.all(row >= 0)
    assert got == pytest.approx(below)


def _national_like(rng: random.Random, n_sites: int, n_teams: int) -> dict[str, Any]:
    """A small scenario with the national mix: posture, blind, site, lead-1 room, a
    sabotaging insider and a lead-1 insider (sometimes in the same team, sometimes a
    second lead-1 insider in another team: not separable)."""
    sites = [{"name": f"s{a}", "rooms": rng.randint(1, 2),
              "success": sorted((rng.randrange(1, 20) / 20 for _ in range(n_teams + 1)),
                                reverse=True)} for a in range(n_sites)]
    teams = [{"name": f"t{t}", "chain": "guard"} for t in range(n_teams)]
    mole, talker = rng.randrange(n_teams), rng.randrange(n_teams)
    adversaries: list[dict[str, Any]] = [
        {"name": "lookouts", "weight": rng.choice([1, 3]), "sees": "posture"},
        {"name": "cell", "weight": rng.choice([0, 2]), "sees": "nothing"},
        {"name": "phone", "weight": rng.choice([0, 1]), "sees": "site"},
        {"name": "housekeeping", "weight": rng.choice([0, 1]), "sees": "room", "lead": 1},
        {"name": "mole", "weight": 1, "sees": {"team": f"t{mole}"}, "sabotage": True},
        {"name": "talker", "weight": 1, "sees": {"team": f"t{talker}"}, "lead": 1},
    ]
    if rng.random() < 0.25:
        adversaries.append({"name": "second", "weight": 1, "sees": {"team": f"t{mole}"},
                            "lead": 1})
    rules: dict[str, Any] = {"min_teams_with_principal": rng.randint(0, 1)}
    if rng.random() < 0.5:
        rules["no_repeat"] = True
    return {"principal": "P", "sites": sites, "teams": teams, "rules": rules,
            "adversaries": adversaries}


def _pricers(scenario_dict: dict[str, Any]):
    game = reduce_scenario(load_scenario(scenario_dict))
    representatives = [(s, game.canonical_posture(s, k, p), p) for s, k, p in valid_types(game)]
    if is_separable(game):
        representatives += [type_column(game, s, k, p) for s, k, p in table_types(game)]
    master = Master(game, (game.night_class(c) for c in representatives),
                    (game.feature(c) for c in representatives))
    table = build_type_table(master)
    return (game, master, KnapsackPricer(game, table, master.n_static_rows),
            PosturePricer(game, table, master.n_static_rows))


@pytest.mark.parametrize("seed", range(40), ids=lambda s: f"seed{s}")
def test_knapsack_pricing_matches_the_enumeration(seed: int) -> None:
    rng = random.Random(seed)
    scenario_dict = _national_like(rng, rng.randint(2, 4), rng.randint(1, 4))
    game, master, knapsack, enumeration = _pricers(scenario_dict)
    duals_rng = np.random.default_rng(seed)
    # any duals will do: min_n B(n) is a function of them, whatever the master makes of it
    duals = duals_rng.exponential(0.3, master.n_static_rows)
    duals[0] = float(duals_rng.normal())
    knapsack.prepare(duals)
    enumeration.prepare(duals)
    values = enumeration.bounds()
    pricing = knapsack.price(float(duals[0]))
    assert pricing.exact
    assert pricing.bound == pytest.approx(float(values.min()), abs=1e-9)
    # every posture the knapsack met has the block value the enumeration gives it
    index = {tuple(int(v) for v in row): i for i, row in enumerate(enumeration.postures)}
    for posture, value in zip(pricing.postures, pricing.values, strict=True):
        assert value == pytest.approx(float(values[index[posture]]), abs=1e-9)
        # and the same best nights (h_a) per site
        _, h_k, _, _ = knapsack.block(posture)
        _, h_e, _, _ = enumeration.block(index[posture])
        assert np.sort(h_k) == pytest.approx(np.sort(h_e), abs=1e-9)


def _big_blind(n_sites: int, n_teams: int) -> dict[str, Any]:
    sites = [{"name": f"s{a}", "rooms": 1 + a % 2,
              "success": [round(0.9 - 0.5 * a / n_sites, 3), 0.3, 0.1, 0.05]}
             for a in range(n_sites)]
    return {"principal": "P", "sites": sites,
            "teams": [{"name": f"t{t}", "chain": "guard"} for t in range(n_teams)],
            "rules": {"min_teams_with_principal": 1},
            "adversaries": [{"name": "lookouts", "weight": 3, "sees": "posture"},
                            {"name": "cell", "weight": 2, "sees": "nothing"},
                            {"name": "mole", "weight": 1, "sees": {"team": "t0"},
                             "sabotage": True}]}


def test_too_many_postures_to_enumerate_is_refused_in_one_line_and_solved_by_knapsack(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from escolta.protect.nightly import limits

    # 25 sites x 10 teams: 131 million postures, about 7 GiB to enumerate
    assert enumeration_bytes(25, 10) > MAX_ENUMERATION_BYTES
    # the same refusal on a scenario small enough for a unit test: a lower limit
    scenario_dict = _big_blind(9, 5)
    monkeypatch.setattr(limits, "MAX_ENUMERATION_BYTES", enumeration_bytes(9, 5) - 1)
    scenario = load_scenario(scenario_dict)
    with pytest.raises(InputError, match=r"strategy: would enumerate every posture") as error:
        solve_nightly_report(scenario, strategy="generate")
    assert "\n" not in str(error.value)
    report = solve_nightly_report(scenario)
    plan = report.plan
    assert report.stats.strategy == "knapsack"
    assert plan.solver.status == "optimal"
    assert plan.risk - plan.solver.lower_bound <= 1e-6
    # the plan's figures recompute from its export alone
    check_export(plan.to_dict(), scenario_dict, tol=1e-7)


def test_history_beyond_the_limit_is_refused_in_one_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from escolta.protect.nightly import limits

    scenario_dict = _national_like(random.Random(3), 4, 3)
    scenario_dict["adversaries"][3]["weight"] = 1
    monkeypatch.setattr(limits, "MAX_HISTORY", 10)
    with pytest.raises(InputError, match=r"history variables exceed") as error:
        solve_nightly_report(load_scenario(scenario_dict))
    assert "\n" not in str(error.value)


def _national(n_sites: int, n_teams: int, extra: list[dict[str, Any]]) -> dict[str, Any]:
    sites = [{"name": f"s{a}", "success": [0.8, 0.4, 0.2]} for a in range(n_sites)]
    teams = [{"name": f"t{t}", "chain": "guard"} for t in range(n_teams)]
    adversaries = [{"name": "lookouts", "weight": 3, "sees": "posture"},
                   {"name": "mole", "weight": 1, "sees": {"team": "t0"}, "sabotage": True},
                   {"name": "talker", "weight": 1, "sees": {"team": "t1"}, "lead": 1}]
    return {"principal": "P", "sites": sites, "teams": teams, "adversaries": adversaries + extra}


@pytest.mark.parametrize(("scenario_dict", "message"), [
    pytest.param(_national(250, 64, []), r"above the fast solver's limit of 8,000,000",
                 id="250x64-table"),
    pytest.param(_national(100, 30, [{"name": "second", "weight": 1,
                                      "sees": {"team": "t2"}, "lead": 1}]),
                 r"coupled \(lead-1 insiders in two teams", id="two-lead1-insiders"),
    pytest.param(_national(30, 10, [{"name": "watcher", "weight": 1, "sees": "posture",
                                     "lead": 1}]),
                 r"make the posture watcher lead 0", id="lead1-posture-watcher"),
])
def test_beyond_the_limits_one_line_before_any_work(scenario_dict: dict[str, Any],
                                                    message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        solve_nightly_report(load_scenario(scenario_dict))
    assert "\n" not in str(error.value)


def _feasible_duals(master: Master, rng: np.random.Generator) -> np.ndarray:
    """Random duals that the Lagrangian bound accepts (docs/nightly.md §3): each adversary
    and signal's best-response rows ≥ 0 summing to at most its weight; the equality rows
    (convexity, classes, features) anything."""
    duals = rng.normal(0.0, 0.3, master.n_static_rows)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for key, row in master.rows.items():
        if row < master.n_static_rows and key[0] in ("max0", "lead1"):
            groups.setdefault(key[:3], []).append(row)
    for (_, i, _), rows in groups.items():
        weight = master.game.adversaries[i].weight
        share = rng.dirichlet(np.ones(len(rows) + 1))[:-1]  # the rest left unspent
        duals[rows] = weight * share
    return duals


@pytest.mark.parametrize("seed", range(30), ids=lambda s: f"seed{s}")
def test_the_bound_at_moved_duals_never_passes_the_optimum(seed: int) -> None:
    """Lemma 6 (docs/nightly.md §3c): the class and feature duals may be moved at will; the
    bound at moved duals stays below the reference LP's optimum, and moves after the first
    only raise it."""
    from escolta.protect.nightly.generate import shifted_duals
    from escolta.protect.reference import solve_reference

    rng = random.Random(seed)
    scenario_dict = _national_like(rng, rng.randint(2, 3), rng.randint(1, 3))
    scenario_dict["rules"]["no_repeat"] = rng.random() < 0.7
    game, master, knapsack, _ = _pricers(scenario_dict)
    if not master.history:
        pytest.skip("no lead-1 adversary with weight: no history rows to move")
    optimum = solve_reference(load_scenario(scenario_dict)).risk
    duals_rng = np.random.default_rng(seed)
    for _ in range(5):
        duals = _feasible_duals(master, duals_rng)
        bounds = {}
        for order in ("", "c", "f", "cf", "fc", "fcf"):
            moved, least = shifted_duals(master, duals, order)
            others = np.ones(master.n_static_rows, dtype=bool)
            others[master.history_index.class_rows] = False
            others[master.history_index.feature_rows] = False
            assert np.array_equal(moved[others], duals[others])
            if order:
                assert least >= -1e-12  # no J prices below 0 after a move
            knapsack.prepare(moved)
            pricing = knapsack.price(float(moved[0]))
            assert pricing.exact
            bounds[order] = pricing.bound + least
            assert bounds[order] <= optimum + 1e-9
        assert bounds["cf"] >= bounds["c"] - 1e-12
        assert bounds["fc"] >= bounds["f"] - 1e-12
        assert bounds["fcf"] >= bounds["fc"] - 1e-12
        # Lemma 4's bound (the class move) is never below the plain one
        assert bounds["c"] >= bounds[""] - 1e-12


def _v_columns(program) -> list[int]:
    """The best-response columns of the model as HiGHS holds it, read from the matrix alone:
    a positive cost and only +1 entries, all in rows ``≥ 0`` (P columns have a convexity
    entry, J columns cost nothing)."""
    A = program.A.tocsc()
    out = []
    for j in range(A.shape[1]):
        rows = A.indices[A.indptr[j]:A.indptr[j + 1]]
        values = A.data[A.indptr[j]:A.indptr[j + 1]]
        if (program.c[j] > 0.0 and np.all(values == 1.0) and np.all(program.row_lower[rows] == 0.0)
                and np.all(np.isinf(program.row_upper[rows]))):
            out.append(j)
    return out


@pytest.mark.parametrize("seed", range(12), ids=lambda s: f"seed{s}")
def test_the_masters_duals_are_exactly_feasible_for_every_best_response_column(seed: int
                                                                               ) -> None:
    """The bound needs duals feasible for the v columns (docs/nightly.md §3); HiGHS's are so
    up to its tolerances. :meth:`Master.feasible_duals` makes them exactly so: checked on
    the matrix read back from HiGHS, after a few rounds, and the change is within HiGHS's
    tolerances; duals already feasible are left as they are."""
    from escolta.protect.nightly import _initial_columns, _seed_history, checked_types
    from escolta.protect.nightly.generate import column_generation

    rng = random.Random(seed)
    scenario_dict = _national_like(rng, rng.randint(2, 4), rng.randint(2, 4))
    game = reduce_scenario(load_scenario(scenario_dict))
    types = checked_types(game, "knapsack")
    master = Master(game, types.classes, types.features)
    table = build_type_table(master, types)
    master.add_columns(_initial_columns(game))
    master.add_history(_seed_history(master, _initial_columns(game)))
    column_generation(master, table, KnapsackPricer(game, table, master.n_static_rows),
                      None, None)
    raw = master.model.solve().row_duals
    duals = master.feasible_duals(raw)
    program = master.model.program()
    v_columns = _v_columns(program)
    # the static ones alone: the posture watcher's cost is in the blocks' (§3f)
    assert len(v_columns) == master.n_v
    A = program.A.tocsc()
    for j in v_columns:
        rows = A.indices[A.indptr[j]:A.indptr[j + 1]]
        assert np.all(duals[rows] >= 0.0)
        assert float(duals[rows].sum()) <= program.c[j] * (1.0 + 1e-15)
    assert np.abs(duals - raw).max() <= 1e-6
    # duals that are feasible already do not move
    feasible = _feasible_duals(master, np.random.default_rng(seed))
    padded = np.concatenate([feasible, np.zeros(len(raw) - len(feasible))])
    assert np.array_equal(master.feasible_duals(padded), padded)
    # and any duals at all come out feasible
    noisy = master.feasible_duals(np.random.default_rng(seed).normal(0.0, 1.0, len(raw)))
    for j in v_columns:
        rows = A.indices[A.indptr[j]:A.indptr[j + 1]]
        assert np.all(noisy[rows] >= 0.0)
        assert float(noisy[rows].sum()) <= program.c[j] * (1.0 + 1e-12)


@pytest.mark.parametrize("seed", range(20), ids=lambda s: f"seed{s}")
def test_the_bound_without_a_posture_watcher_never_passes_the_optimum(seed: int) -> None:
    """Without a posture watcher the loop's bound is min D + min rc_J at the better of the
    moves of Lemma 6 (docs/nightly.md §3c): below the reference LP's optimum at random duals
    feasible for the v columns, and never below the bound at unmoved duals."""
    from escolta.protect.nightly.generate import _type_columns
    from escolta.protect.reference import solve_reference

    rng = random.Random(seed)
    scenario_dict = _national_like(rng, rng.randint(2, 3), rng.randint(1, 3))
    scenario_dict["adversaries"] = [a for a in scenario_dict["adversaries"]
                                    if a["sees"] != "posture"]
    scenario_dict["rules"]["no_repeat"] = rng.random() < 0.7
    game, master, _, _ = _pricers(scenario_dict)
    if not master.history:
        pytest.skip("no lead-1 adversary with weight: no history rows to move")
    table = build_type_table(master)
    optimum = solve_reference(load_scenario(scenario_dict)).risk
    duals_rng = np.random.default_rng(seed)
    for _ in range(5):
        duals = _feasible_duals(master, duals_rng)
        bound, _ = _type_columns(master, table, duals, float(duals[0]))
        plain = master.price_history(duals, 1e-10, 0).least
        unmoved = float(np.min(type_costs(table, duals, master.n_static_rows))) + plain
        assert bound <= optimum + 1e-9
        assert bound >= unmoved - 1e-12


@pytest.mark.parametrize("seed", range(16), ids=lambda s: f"seed{s}")
def test_without_a_posture_watcher_the_knapsack_alone_is_exact(seed: int,
                                                              monkeypatch) -> None:
    """A separable game without a posture watcher whose every placement would pass the
    table's limit is priced by the knapsack with W = 0 (its block value is the posture's
    least D). Forced here on small games (the limit is what picks it), it agrees with the
    reference LP."""
    import escolta.protect.nightly as nightly
    from escolta.protect.reference import solve_reference

    monkeypatch.setattr(nightly, "prices_by_knapsack_alone",
                        lambda game: is_separable(game) and game.posture_weight == 0.0)
    rng = random.Random(seed)
    scenario_dict = _national_like(rng, rng.randint(2, 4), rng.randint(1, 4))
    scenario_dict["adversaries"] = [a for a in scenario_dict["adversaries"]
                                    if a["sees"] != "posture"]
    scenario = load_scenario(scenario_dict)
    if not is_separable(reduce_scenario(scenario)):
        pytest.skip("two lead-1 insiders: not separable, priced over every placement")
    report = solve_nightly_report(scenario)
    assert report.plan.solver.status == "optimal"
    assert report.plan.risk == pytest.approx(solve_reference(scenario).risk, abs=1e-7)
    check_export(report.plan.to_dict(), scenario_dict, tol=1e-7)


def test_a_national_game_without_a_posture_watcher_is_not_refused() -> None:
    """100 sites x 30 teams, a lead-1 insider and a sabotaging one, no posture watcher:
    spread over every placement its table would hold 31 million types (it was refused, and
    the line blamed coupled insiders that are not); priced by the knapsack it holds the
    base placement and the one-insider moves."""
    from escolta.protect.nightly.limits import (
        MAX_TABLE_TYPES,
        check_table,
        prices_by_knapsack_alone,
        table_type_count,
    )

    scenario = _national(100, 30, [])
    scenario["adversaries"] = [a for a in scenario["adversaries"] if a["sees"] != "posture"]
    game = reduce_scenario(load_scenario(scenario))
    assert is_separable(game) and game.n_insider_teams == 2
    assert 100 * 31 * 100**2 > MAX_TABLE_TYPES  # every placement: over the limit
    assert prices_by_knapsack_alone(game)
    assert table_type_count(game) == 100 * 31 * (1 + 2 * 99)
    check_table(game, "knapsack")  # no refusal
