"""Shared helpers of the appearance tests: random weeks and an independent brute force.

The brute force enumerates every ``per_week``-subset with ``itertools.combinations``, keeps
those whose start times are at least ``min_gap_hours`` apart (computed here from the day
names, not by the code under test) and solves the docs/design.md §4c LP over the explicit list
with ``scipy.optimize.linprog`` — a second LP solver, independent of escolta's HiGHS adapter.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from escolta.protect.scenario import Appearances

DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def start_hour(slot: dict) -> float:
    hours, minutes = slot["start"].split(":")
    return DAY_NAMES.index(slot["day"]) * 24 + int(hours) + int(minutes) / 60


def random_week(n: int, per_week: int, gap: float, seed: int, *, blind: float = 1.0,
                informed: float = 2.0, announce: float = 2.0) -> dict:
    """``n`` distinct slots at random half-hours 07:00-21:30, successes in [0.05, 0.6]."""
    rng = np.random.default_rng(seed)
    taken: set[tuple[int, int, int]] = set()
    slots = []
    while len(slots) < n:
        key = (int(rng.integers(7)), int(rng.integers(7, 22)), int(rng.choice([0, 30])))
        if key in taken:
            continue
        taken.add(key)
        slots.append({"venue": f"v{len(slots)}", "day": DAY_NAMES[key[0]],
                      "start": f"{key[1]:02d}:{key[2]:02d}",
                      "success": float(np.round(rng.uniform(0.05, 0.6), 2))})
    adversaries = []
    if blind:
        adversaries.append({"name": "sniper", "weight": blind, "prep_hours": announce + 22})
    if informed:
        adversaries.append({"name": "mob", "weight": informed, "prep_hours": announce / 2})
    return {"per_week": per_week, "announce_hours": announce, "min_gap_hours": gap,
            "slots": slots, "adversaries": adversaries}


@dataclass(frozen=True)
class BruteForce:
    risk: float
    sets: list[tuple[int, ...]]


def brute_force(section: dict) -> BruteForce:
    """The optimal weekly risk by linprog over every feasible set, listed by combinations."""
    slots = section["slots"]
    success = np.array([s["success"] for s in slots])
    starts = [start_hour(s) for s in slots]
    gap = section["min_gap_hours"]
    sets = [
        combo for combo in itertools.combinations(range(len(slots)), section["per_week"])
        if all(abs(starts[a] - starts[b]) >= gap - 1e-9
               for a, b in itertools.combinations(combo, 2))
    ]
    total = sum(a["weight"] for a in section["adversaries"])
    w_blind = sum(a["weight"] for a in section["adversaries"]
                  if a["prep_hours"] > section["announce_hours"]) / total
    w_informed = 1.0 - w_blind
    # variables: z, then one probability per set
    cost = np.concatenate([[w_blind], [w_informed * success[list(s)].max() for s in sets]])
    a_ub = np.zeros((len(slots), 1 + len(sets)))
    a_ub[:, 0] = -1.0
    for j, combo in enumerate(sets):
        for i in combo:
            a_ub[i, 1 + j] = success[i]
    a_eq = np.concatenate([[0.0], np.ones(len(sets))])[None, :]
    result = linprog(cost, A_ub=a_ub, b_ub=np.zeros(len(slots)), A_eq=a_eq, b_eq=[1.0],
                     bounds=[(0, None)] * (1 + len(sets)), method="highs-ipm")
    assert result.status == 0, result.message
    return BruteForce(float(result.fun), sets)


def independent_risk(section: dict, plan_sets: list[tuple[float, tuple[int, ...]]]) -> float:
    """Risk of a distribution over sets, recomputed from docs/design.md §4c's definitions."""
    success = np.array([s["success"] for s in section["slots"]])
    chosen = np.zeros(len(success))
    expected_max = 0.0
    for p, combo in plan_sets:
        chosen[list(combo)] += p
        expected_max += p * success[list(combo)].max()
    total = sum(a["weight"] for a in section["adversaries"])
    risk = 0.0
    for adversary in section["adversaries"]:
        blind = adversary["prep_hours"] > section["announce_hours"]
        value = (chosen * success).max() if blind else expected_max
        risk += adversary["weight"] / total * value
    return float(risk)


def load(section: dict) -> Appearances:
    return Appearances.model_validate(section)
