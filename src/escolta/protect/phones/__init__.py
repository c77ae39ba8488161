"""Phones: the exposure of a rotated handset, the tracker it feeds, the handset schedule.

Semantics are docs/design.md §4b. A phone on its a-th day in use (a = 1..D) is known to the
tracker with probability ``1 - (1 - q)**a`` (q = ``leak_per_day``: each day in use the number
leaks independently with probability q, and once known it stays known). Phones rotate on a
fixed cycle of D days and a retired phone never returns, so tonight's phone is on day a of its
cycle with probability 1/D, and is known with probability

    e = 1 - (1/D) * sum_{a=1..D} (1 - q)**a.

The tracker then enters the nightly game as two adversaries: weight ``tracker_weight * e`` that
``sees: site`` (``lead: 0``), and weight ``tracker_weight * (1 - e)`` that ``sees: nothing``.
:func:`fold_tracker` writes them into a scenario for the nightly solver and
:func:`unfold_plan` merges them back into one ``phone-tracker`` entry of the plan.

The package holds what only the phone commands use: :mod:`.handsets` (the handset of each
day) and :mod:`.sweep` (risk against the cycle). What the nightly game needs lives in leaves
beside it, re-exported here: :mod:`escolta.protect.rotation` (cycle and exposure, which the
scenario's validation uses), :mod:`escolta.protect.tracker` (the fold) and
:mod:`escolta.protect.unfold` (the plan with the tracker merged back).

Examples
--------
>>> round(exposure(0.02, 2), 6)      # 1 - (0.98 + 0.9604) / 2
0.0298
>>> cycle_length(per_month=15), cycle_length(per_month=7), cycle_length(per_month=30)
(2, 5, 1)
"""

from __future__ import annotations

from escolta.protect.phones.handsets import Handset, HandsetDay, HandsetSchedule, schedule_handsets
from escolta.protect.phones.sweep import CyclePoint, SolvePlan, cycle_sweep
from escolta.protect.rotation import (
    DAYS_PER_MONTH,
    PhoneExposure,
    cycle_length,
    day_exposure,
    exposure,
)
from escolta.protect.tracker import (
    TRACKER,
    TRACKER_KNOWN,
    TRACKER_UNKNOWN,
    TrackerFold,
    fold_tracker,
    merged_tracker_success,
    phone_exposure,
    plan_weights,
    tracker_adversaries,
    without_idle_tracker,
)
from escolta.protect.unfold import unfold_plan

__all__ = [
    "DAYS_PER_MONTH",
    "TRACKER",
    "TRACKER_KNOWN",
    "TRACKER_UNKNOWN",
    "CyclePoint",
    "Handset",
    "HandsetDay",
    "HandsetSchedule",
    "PhoneExposure",
    "SolvePlan",
    "TrackerFold",
    "cycle_length",
    "cycle_sweep",
    "day_exposure",
    "exposure",
    "fold_tracker",
    "merged_tracker_success",
    "phone_exposure",
    "plan_weights",
    "schedule_handsets",
    "tracker_adversaries",
    "unfold_plan",
    "without_idle_tracker",
]
