"""The appearance optimum (docs/design.md §4c) against hand-worked cases and an independent brute
force over every feasible set (scipy linprog on the explicit list; see conftest)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from appearance_cases import brute_force, independent_risk, load, random_week, start_hour
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.protect.appearances import (
    count_feasible_sets,
    feasible_sets,
    is_feasible,
    max_spaced_slots,
    notice_sweep,
    price_sets,
    solve_appearances,
    solve_column_generation,
    solve_enumerated,
)

TWO_SLOTS = [{"venue": "plaza", "day": "mon", "start": "10:00", "success": 0.4},
             {"venue": "hall", "day": "tue", "start": "10:00", "success": 0.2}]


def _section(adversaries: list[dict], per_week: int = 1, slots: list[dict] = TWO_SLOTS) -> dict:
    return {"per_week": per_week, "announce_hours": 2, "min_gap_hours": 0, "slots": slots,
            "adversaries": adversaries}


@pytest.mark.parametrize(
    ("adversaries", "expected"),
    [
        # blind only: equalize P(i) * s_i: 0.4 p = 0.2 (1 - p) -> p = 1/3, risk 0.4/3
        pytest.param([{"name": "b", "weight": 1, "prep_hours": 24}], 0.4 / 3, id="blind"),
        # informed only: always the safer slot, risk 0.2
        pytest.param([{"name": "i", "weight": 1, "prep_hours": 1}], 0.2, id="informed"),
        # half and half, P(plaza) = p: 0.5 max(0.4p, 0.2(1-p)) + 0.5 (0.4p + 0.2(1-p));
        # for p <= 1/3 it is 0.5 * 0.2(1-p) + 0.5 (0.2 + 0.2p) = 0.2: flat, so risk 0.2
        pytest.param([{"name": "b", "weight": 1, "prep_hours": 24},
                      {"name": "i", "weight": 1, "prep_hours": 2}], 0.2, id="mixed-tie"),
        # blind weight 3, informed 1: 0.75 * 0.2(1-p) + 0.25 (0.2 + 0.2p) falls with p up
        # to p = 1/3: 0.75 * 0.2 * 2/3 + 0.25 * (0.2 + 0.2/3) = 0.1 + 0.0666... = 0.1666...
        pytest.param([{"name": "b", "weight": 3, "prep_hours": 24},
                      {"name": "i", "weight": 1, "prep_hours": 0}], 1 / 6, id="mixed-blind"),
    ],
)
@pytest.mark.parametrize("method", ["enumerate", "column_generation"])
def test_hand_worked_two_slots(adversaries: list[dict], expected: float, method: str) -> None:
    plan = solve_appearances(load(_section(adversaries)), method=method)
    assert plan.risk == pytest.approx(expected, abs=1e-9)


def test_blind_adversary_against_three_slots_two_a_week() -> None:
    # successes 0.6, 0.3, 0.3, two a week, no gap: sets {0,1}, {0,2}, {1,2}. Marginals sum
    # to 2; minimize max(0.6 c0, 0.3 c1, 0.3 c2): 0.6 c0 = 0.3 c1 = 0.3 c2 = t, c0 + c1 + c2 =
    # t/0.6 + 2t/0.3 = 2 -> t (1/0.6 + 2/0.3) = 2 -> t = 2 / 8.333 = 0.24
    slots = [{"venue": f"v{i}", "day": "wed", "start": f"1{i}:00", "success": s}
             for i, s in enumerate([0.6, 0.3, 0.3])]
    section = _section([{"name": "b", "weight": 1, "prep_hours": 9}], 2, slots)
    plan = solve_appearances(load(section))
    assert plan.risk == pytest.approx(0.24, abs=1e-9)


CASES = [
    pytest.param(8, 2, 0, 1, id="8-slots-2-no-gap"),
    pytest.param(10, 3, 12, 2, id="10-slots-3-gap12"),
    pytest.param(12, 3, 24, 3, id="12-slots-3-gap24"),
    pytest.param(12, 4, 6, 4, id="12-slots-4-gap6"),
    pytest.param(9, 1, 48, 5, id="9-slots-1"),
]


@pytest.mark.parametrize(("n", "per_week", "gap", "seed"), CASES)
@pytest.mark.parametrize(("blind", "informed"), [(1, 0), (0, 1), (1, 2), (3, 1)],
                         ids=["blind", "informed", "mixed-1-2", "mixed-3-1"])
@pytest.mark.parametrize("method", ["enumerate", "column_generation"])
def test_optimum_matches_brute_force(n: int, per_week: int, gap: float, seed: int,
                                     blind: float, informed: float, method: str) -> None:
    section = random_week(n, per_week, gap, seed, blind=blind, informed=informed)
    reference = brute_force(section)
    plan = solve_appearances(load(section), method=method)
    assert plan.status == "optimal"
    assert plan.risk == pytest.approx(reference.risk, abs=1e-7)
    assert plan.lower_bound == pytest.approx(reference.risk, abs=1e-7)
    # the plan's sets are feasible, its probabilities a distribution, its risk recomputable
    feasible = set(reference.sets)
    assert all(week.slots in feasible for week in plan.sets)
    assert sum(week.p for week in plan.sets) == pytest.approx(1.0)
    recomputed = independent_risk(section, [(w.p, w.slots) for w in plan.sets])
    assert recomputed == pytest.approx(plan.risk, abs=1e-9)


def test_column_generation_matches_brute_force_on_twenty_slots() -> None:
    section = random_week(20, 4, 12, 20)
    reference = brute_force(section)
    plan = solve_column_generation(load(section))
    assert plan.status == "optimal"
    assert plan.risk == pytest.approx(reference.risk, abs=1e-7)
    assert plan.lower_bound == pytest.approx(plan.risk, abs=1e-7)
    assert plan.columns < len(reference.sets)  # it did not need every set


@pytest.mark.parametrize("seed", [40, 41, 42])
def test_column_generation_on_forty_slots_meets_its_bound(seed: int) -> None:
    section = random_week(40, 5, 12, seed)
    appearances = load(section)
    plan = solve_column_generation(appearances)
    assert plan.status == "optimal"
    assert plan.lower_bound <= plan.risk + 1e-12
    assert plan.risk - plan.lower_bound <= 1e-7
    assert all(is_feasible(appearances, week.slots) for week in plan.sets)
    recomputed = independent_risk(section, [(w.p, w.slots) for w in plan.sets])
    assert recomputed == pytest.approx(plan.risk, abs=1e-9)


def test_column_generation_matches_enumeration_on_forty_slots() -> None:
    # 40 slots, 5 a week, 24 h apart: few enough sets for the full LP to be a second method
    section = random_week(40, 5, 24, 7)
    appearances = load(section)
    full = solve_enumerated(appearances)
    generated = solve_column_generation(appearances)
    assert generated.risk == pytest.approx(full.risk, abs=1e-7)


def _brute_sets(section: dict) -> list[tuple[int, ...]]:
    starts = [start_hour(s) for s in section["slots"]]
    return [c for c in itertools.combinations(range(len(starts)), section["per_week"])
            if all(abs(starts[a] - starts[b]) >= section["min_gap_hours"] - 1e-9
                   for a, b in itertools.combinations(c, 2))]


weeks = st.builds(
    random_week,
    n=st.integers(1, 9), per_week=st.integers(1, 3), gap=st.sampled_from([0, 3, 12, 24]),
    seed=st.integers(0, 10_000),
).filter(lambda s: len(_brute_sets(s)) > 0)


@settings(max_examples=40, deadline=None)
@given(weeks)
def test_feasible_sets_match_combinations(section: dict) -> None:
    appearances = load(section)
    expected = sorted(_brute_sets(section))
    assert sorted(feasible_sets(appearances)) == expected
    assert count_feasible_sets(appearances) == len(expected)
    most = max(k for k in range(1, len(section["slots"]) + 1)
               if _brute_sets({**section, "per_week": k}))
    assert max_spaced_slots(appearances) == most


@settings(max_examples=40, deadline=None)
@given(weeks, st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
def test_pricing_is_exact(section: dict, seed: int, max_weight: float) -> None:
    # the oracle's best set value equals the minimum over every feasible set
    rng = np.random.default_rng(seed)
    cost = rng.normal(size=len(section["slots"]))
    success = np.array([s["success"] for s in section["slots"]])
    expected = min(max_weight * success[list(c)].max() + cost[list(c)].sum()
                   for c in _brute_sets(section))
    priced = price_sets(load(section), cost, max_weight)
    assert priced[0][0] == pytest.approx(expected, abs=1e-9)


def test_shorter_notice_never_costs_more() -> None:
    section = random_week(10, 2, 12, 3)
    section["adversaries"] = [{"name": "a", "weight": 1, "prep_hours": 1},
                              {"name": "b", "weight": 1, "prep_hours": 6},
                              {"name": "c", "weight": 1, "prep_hours": 30}]
    points = notice_sweep(load(section))
    assert [p.announce_hours for p in points] == [0, 1, 2, 6, 30]
    risks = [p.risk for p in points]
    assert all(a <= b + 1e-9 for a, b in zip(risks, risks[1:], strict=False))
    # at each notice, the sweep's risk is the brute-force optimum with that notice
    for point in points:
        reference = brute_force({**section, "announce_hours": point.announce_hours})
        assert point.risk == pytest.approx(reference.risk, abs=1e-7)
    assert points[-1].informed == ("a", "b", "c")


@pytest.mark.parametrize("rounds", [1, 2, 4])
def test_stopped_early_the_bound_still_brackets_the_optimum(rounds: int) -> None:
    # blind-only weeks need many rounds; stopped after a few, the plan is feasible but maybe
    # not optimal, and its Lagrangian bound must still lie below the true optimum
    section = random_week(16, 3, 12, 16, informed=0)
    reference = brute_force(section)
    plan = solve_column_generation(load(section), max_iterations=rounds)
    assert plan.lower_bound <= reference.risk + 1e-9
    assert plan.risk >= reference.risk - 1e-9
    if plan.status != "optimal":
        assert plan.status == "iteration_limit"
