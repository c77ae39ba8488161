"""What a night actually spent costs when it departs from the plan.

ARMOR warned its users when a manual change weakened the randomization (Pita et al.,
*Deployed ARMOR protection*, AAMAS 2008). escolta does the same for a recorded
night: when it is not the night drawn for the date, or one the plan would never draw after
yesterday's, or only rarely (conditional probability below :data:`RARE`), it reports each
adversary's success that night (:func:`escolta.protect.evaluate.night_cost`: the adversary
best-responds to the plan and observes what it sees of the night actually spent) next to the
plan's figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from escolta.protect.draws import next_night_law
from escolta.protect.evaluate import night_cost
from escolta.protect.plan import Night, Plan
from escolta.protect.scenario import Scenario

#: A night the plan draws with conditional probability below this is "rare".
RARE = 0.01


@dataclass(frozen=True)
class Assessment:
    """How a night spent compares with the plan.

    Attributes
    ----------
    probability
        ``P(tonight = this night | yesterday)`` under the plan (0 outside its support).
    conditioned_on
        What ``probability`` was conditioned on (see :mod:`escolta.protect.draws`).
    override
        True when the night is not the one drawn for the date, or has probability 0.
    reasons
        Why the night is flagged, in words (empty for a night the plan drew as usual).
    adversaries, risk
        Each adversary's success that night, and the weighted risk (None when not flagged).
    plan_adversaries, plan_risk
        The plan's own figures, for comparison.
    unseen
        Adversaries whose signal that night never happens under the plan (they can tell the
        plan was overridden; priced at an attack on the principal's room).
    """

    probability: float
    conditioned_on: str
    override: bool
    reasons: tuple[str, ...]
    plan_adversaries: Mapping[str, float]
    plan_risk: float
    adversaries: Mapping[str, float] | None = None
    risk: float | None = None
    unseen: tuple[str, ...] = field(default=())

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {
            "probability": self.probability, "conditioned_on": self.conditioned_on,
            "override": self.override, "reasons": list(self.reasons),
            "adversaries": None if self.adversaries is None else dict(self.adversaries),
            "risk": self.risk, "unseen": list(self.unseen),
            "plan": {"adversaries": dict(self.plan_adversaries), "risk": self.plan_risk},
        }


def assess_night(
    scenario: Scenario,
    plan: Plan,
    night: Night,
    *,
    yesterday: Night | None = None,
    drawn: Night | None = None,
) -> Assessment:
    """Compare a night spent with the plan; price it when it departs from the plan.

    Parameters
    ----------
    scenario, plan
        The plan in force and its scenario.
    night
        The night actually spent.
    yesterday
        The night spent the day before, if recorded (conditions the probability, and what
        lead-1 adversaries saw).
    drawn
        The night drawn for the date, if any.
    """
    law, conditioned_on = next_night_law(plan, yesterday)
    key = night.key()
    probability = float(sum(law[i] for i, n in enumerate(plan.nights) if n.key() == key))
    reasons: list[str] = []
    if drawn is not None and drawn.key() != key:
        reasons.append("not the night drawn for this date")
    if probability == 0.0:
        reasons.append("a night the plan never draws"
                       + (" after yesterday's" if conditioned_on != "stationary" else ""))
    elif probability < RARE:
        reasons.append(f"a rare night (probability {probability:.2%})")
    override = probability == 0.0 or (drawn is not None and drawn.key() != key)
    base = Assessment(probability=probability, conditioned_on=conditioned_on,
                      override=override, reasons=tuple(reasons),
                      plan_adversaries=dict(plan.adversaries), plan_risk=float(plan.risk))
    if not reasons:
        return base
    cost = night_cost(scenario, plan, night, yesterday)
    return Assessment(
        probability=probability, conditioned_on=conditioned_on, override=override,
        reasons=tuple(reasons), plan_adversaries=dict(plan.adversaries),
        plan_risk=float(plan.risk), adversaries=dict(cost.adversaries), risk=float(cost.risk),
        unseen=tuple(cost.unseen),
    )
