"""Exact evaluation of a plan (docs/design.md §4): each adversary's best response per
signal, its success, the risk (:mod:`.best_responses`); and what one specific night costs
against the plan (:mod:`.night_cost`).
"""

from __future__ import annotations

from escolta.protect.evaluate.best_responses import (
    TIE_TOLERANCE,
    AdversaryResult,
    BestResponse,
    Evaluation,
    evaluate_plan,
    evaluate_states,
    fold_phones,
)
from escolta.protect.evaluate.night_cost import NightCost, night_cost

__all__ = [
    "TIE_TOLERANCE",
    "AdversaryResult",
    "BestResponse",
    "Evaluation",
    "NightCost",
    "evaluate_plan",
    "evaluate_states",
    "fold_phones",
    "night_cost",
]
