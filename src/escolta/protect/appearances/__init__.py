"""Public appearances: the weekly distribution over sets of slots (docs/design.md §4c).

Each week the plan picks a set S of exactly ``per_week`` slots whose **start times are at
least** ``min_gap_hours`` **apart within the week** (Monday 00:00 to Sunday 24:00; the week is
not wrapped, so Sunday night and the next Monday morning are not compared, and the slots'
durations play no part). Call these sets *feasible*.

Two kinds of adversary, by what they learn before acting:

- *blind* (``prep_hours > announce_hours``): chooses one slot in advance knowing only the odds;
  success ``max_i P(i in S) * success_i``;
- *informed* (``prep_hours <= announce_hours``): learns S and attacks its most dangerous slot;
  success ``E[max_{i in S} success_i]``.

With weights normalized to sum 1 (W_b over blind, W_i over informed adversaries) the plan
solves the LP over a distribution x on feasible sets

    minimize    W_b z + W_i sum_S x_S m_S          (m_S = max_{i in S} success_i)
    subject to  sum_S x_S = 1,
                success_i sum_{S ni i} x_S - z <= 0   for every slot i,
                x >= 0, 0 <= z <= 1.

Every blind adversary sees the same slot values, so they share one ``z``.

Two exact methods:

- :func:`solve_enumerated`: every feasible set is a column (small cases);
- :func:`solve_column_generation`: the restricted master above, priced by an exact oracle, a
  dynamic program over the slots sorted by start time for each threshold of ``m_S``
  (Desrosiers & Lübbecke, *A primer in column generation*, 2005, for the scheme and its
  Lagrangian bound ``z_RMP + min reduced cost`` under a convexity row).

The package, one idea a module: :mod:`.sets` (feasible sets counted and listed),
:mod:`.plan` (the plan and its evaluation), :mod:`.master` (the LP), :mod:`.enumerated` and
:mod:`.column_generation` with its oracle :mod:`.pricing` (the two methods), :mod:`.solve`
(the choice between them), :mod:`.notice` (the notice sweep), :mod:`.draws` (a week's draw).
The spacing rule and the week's calendar are leaves beside it, :mod:`escolta.protect.spacing`
and :mod:`escolta.protect.week`, which the scenario's validation uses too.

Examples
--------
>>> from escolta.protect.scenario import Appearances
>>> a = Appearances.model_validate({"per_week": 1, "announce_hours": 2, "slots": [
...     {"venue": "plaza", "day": "mon", "start": "10:00", "success": 0.4},
...     {"venue": "hall", "day": "tue", "start": "10:00", "success": 0.2}],
...     "adversaries": [{"name": "sniper", "weight": 1, "prep_hours": 24}]})
>>> plan = solve_appearances(a)
>>> round(plan.risk, 6)            # P(plaza) = 1/3: 0.4/3 = 0.2 * 2/3
0.133333
"""

from __future__ import annotations

from escolta.protect.appearances.column_generation import solve_column_generation
from escolta.protect.appearances.draws import WeekDraw, draw_week, draw_weeks
from escolta.protect.appearances.enumerated import solve_enumerated
from escolta.protect.appearances.notice import NoticePoint, notice_sweep
from escolta.protect.appearances.plan import AppearancePlan, WeekSet, evaluate_sets
from escolta.protect.appearances.pricing import price_sets
from escolta.protect.appearances.sets import SlotTimes, count_feasible_sets, feasible_sets
from escolta.protect.appearances.solve import (
    ENUMERATION_LIMIT,
    attach_appearances,
    solve_appearances,
)
from escolta.protect.spacing import check_appearances, is_feasible, max_spaced_slots
from escolta.protect.week import slot_minutes, slot_start, week_monday

__all__ = [
    "ENUMERATION_LIMIT",
    "AppearancePlan",
    "NoticePoint",
    "SlotTimes",
    "WeekDraw",
    "WeekSet",
    "attach_appearances",
    "check_appearances",
    "count_feasible_sets",
    "draw_week",
    "draw_weeks",
    "evaluate_sets",
    "feasible_sets",
    "is_feasible",
    "max_spaced_slots",
    "notice_sweep",
    "price_sets",
    "slot_minutes",
    "slot_start",
    "solve_appearances",
    "solve_column_generation",
    "solve_enumerated",
    "week_monday",
]
