"""The weekly appearance plan and what it is worth against each adversary (section 4c)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from escolta.protect.scenario import Appearances


@dataclass(frozen=True)
class WeekSet:
    """A set of slots (indices into ``appearances.slots``) and its probability."""

    p: float
    slots: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"p": float(self.p), "slots": [int(i) for i in self.slots]}


@dataclass(frozen=True)
class AppearancePlan:
    """The weekly appearance plan: the §5 ``appearances`` section and how it was found.

    ``risk`` is the weighted (normalized) sum of ``adversaries`` (name -> success);
    ``lower_bound`` is a proven lower bound on the optimal risk (equal to it, up to the
    tolerance, when ``status`` is ``optimal``).
    """

    risk: float
    adversaries: dict[str, float]
    sets: tuple[WeekSet, ...]
    announce_hours: float
    blind: tuple[str, ...]
    informed: tuple[str, ...]
    method: str
    status: str
    lower_bound: float
    seconds: float
    iterations: int = 0
    columns: int = 0
    marginals: tuple[float, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The ``appearances`` section of the plan JSON (docs/design.md §5)."""
        return {
            "risk": float(self.risk),
            "adversaries": {k: float(v) for k, v in self.adversaries.items()},
            "sets": [s.to_dict() for s in self.sets],
            "solver": {"method": self.method, "status": self.status,
                       "lower_bound": float(self.lower_bound), "seconds": float(self.seconds),
                       "iterations": int(self.iterations), "columns": int(self.columns)},
        }


def adversary_split(appearances: Appearances, announce_hours: float
                    ) -> tuple[float, float, list[str], list[str]]:
    """Normalized weights of the blind and the informed adversaries, and their names."""
    total = sum(a.weight for a in appearances.adversaries)
    blind = [a for a in appearances.adversaries if a.prep_hours > announce_hours]
    informed = [a for a in appearances.adversaries if a.prep_hours <= announce_hours]
    if total <= 0:
        return 0.0, 0.0, [a.name for a in blind], [a.name for a in informed]
    return (sum(a.weight for a in blind) / total, sum(a.weight for a in informed) / total,
            [a.name for a in blind], [a.name for a in informed])


def evaluate_sets(
    appearances: Appearances,
    sets: Sequence[WeekSet],
    announce_hours: float | None = None,
) -> tuple[float, dict[str, float]]:
    """Risk and each adversary's success against a distribution over sets (section 4c)."""
    notice = appearances.announce_hours if announce_hours is None else announce_hours
    success = np.array([s.success for s in appearances.slots])
    marginal = np.zeros(len(success))
    expected_max = 0.0
    for week in sets:
        marginal[list(week.slots)] += week.p
        expected_max += week.p * float(success[list(week.slots)].max())
    blind_value = float((marginal * success).max())
    total = sum(a.weight for a in appearances.adversaries)
    adversaries = {
        a.name: blind_value if a.prep_hours > notice else expected_max
        for a in appearances.adversaries
    }
    risk = 0.0 if total <= 0 else sum(
        a.weight / total * adversaries[a.name] for a in appearances.adversaries
    )
    return float(risk), adversaries


def finish_plan(appearances: Appearances, notice: float, columns: list[tuple[int, ...]],
                x: np.ndarray, *, method: str, status: str, lower_bound: float,
                seconds: float, iterations: int) -> AppearancePlan:
    """The plan of the distribution ``x`` over ``columns``: probabilities renormalized
    after dropping round-off, each adversary's success, the marginals per slot."""
    keep = x > 1e-10
    p = np.where(keep, np.clip(x, 0.0, None), 0.0)
    p = p / p.sum()
    sets = tuple(WeekSet(float(pi), columns[j]) for j, pi in enumerate(p) if pi > 0)
    risk, adversaries = evaluate_sets(appearances, sets, notice)
    _, _, blind, informed = adversary_split(appearances, notice)
    marginal = np.zeros(len(appearances.slots))
    for week in sets:
        marginal[list(week.slots)] += week.p
    return AppearancePlan(
        risk=risk, adversaries=adversaries, sets=sets, announce_hours=notice,
        blind=tuple(blind), informed=tuple(informed), method=method, status=status,
        lower_bound=min(lower_bound, risk), seconds=seconds, iterations=iterations,
        columns=len(columns), marginals=tuple(float(m) for m in marginal),
    )
