"""Drawing a week's set of appearances from the plan (docs/design.md §6)."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from escolta.errors import InputError
from escolta.protect.appearances.plan import AppearancePlan


@dataclass(frozen=True)
class WeekDraw:
    """This week's drawn set; ``seeded`` marks a simulation draw (docs/design.md §6)."""

    set_index: int
    slots: tuple[int, ...]
    seeded: bool
    seed: int | None = None


def draw_week(plan: AppearancePlan, seed: int | None = None) -> WeekDraw:
    """Draw a week's set from the plan with the OS CSPRNG (``secrets``), or, only for
    simulation and tests, from ``random.Random(seed)`` (the draw is then marked seeded)."""
    if seed is not None and seed < 0:
        raise InputError("--seed", seed, "must be 0 or more")
    probabilities = [s.p for s in plan.sets]
    if seed is None:
        # 53 random bits from the OS CSPRNG, as a uniform number in [0, 1)
        u = secrets.randbits(53) / (1 << 53)
    else:
        u = random.Random(seed).random()
    index = _pick(probabilities, u)
    return WeekDraw(index, plan.sets[index].slots, seed is not None, seed)


def draw_weeks(plan: AppearancePlan, count: int, seed: int) -> list[int]:
    """``count`` seeded draws (set indices), for simulation and tests only."""
    rng = random.Random(seed)
    probabilities = [s.p for s in plan.sets]
    return [_pick(probabilities, rng.random()) for _ in range(count)]


def _pick(probabilities: Sequence[float], u: float) -> int:
    cumulative = np.cumsum(probabilities)
    index = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
    return min(index, len(probabilities) - 1)
