"""Public appearances: the weekly distribution over sets of slots (design.md section 4c).

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

import bisect
import math
import random
import secrets
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError, SolverError
from escolta.lp import HighsModel, LinearProgram, Status, solve
from escolta.protect.plan import Plan
from escolta.protect.scenario import DAYS, Appearances, Slot

ENUMERATION_LIMIT = 20_000
"""``method="auto"`` enumerates every feasible set up to this many, else generates columns."""

_TOL = 1e-9


# --------------------------------------------------------------------------- feasible sets


def slot_minutes(slot: Slot) -> int:
    """Minutes from Monday 00:00 to the start of ``slot``."""
    hours, minutes = (int(part) for part in slot.start.split(":"))
    return DAYS.index(slot.day) * 24 * 60 + hours * 60 + minutes


@dataclass(frozen=True)
class SlotTimes:
    """The slots sorted by start: ``order[r]`` is the slot at rank r, ``before[r]`` the number
    of ranks ``< r`` whose start is at least the gap earlier (a prefix, since sorted)."""

    order: np.ndarray
    minutes: np.ndarray
    before: np.ndarray

    @classmethod
    def of(cls, appearances: Appearances) -> SlotTimes:
        minutes = np.array([slot_minutes(s) for s in appearances.slots], dtype=float)
        order = np.argsort(minutes, kind="stable")
        sorted_minutes = minutes[order]
        gap = appearances.min_gap_hours * 60.0
        before = np.array([
            min(rank, bisect.bisect_right(sorted_minutes.tolist(), start - gap + _TOL))
            for rank, start in enumerate(sorted_minutes)
        ], dtype=int)
        return cls(order=order, minutes=sorted_minutes, before=before)


def is_feasible(appearances: Appearances, slots: Sequence[int]) -> bool:
    """Whether ``slots`` (indices) is ``per_week`` distinct slots starting ``min_gap`` apart."""
    if len(set(slots)) != appearances.per_week or len(slots) != appearances.per_week:
        return False
    starts = sorted(slot_minutes(appearances.slots[i]) for i in slots)
    gap = appearances.min_gap_hours * 60.0
    return all(b - a >= gap - _TOL for a, b in zip(starts, starts[1:], strict=False))


def max_spaced_slots(appearances: Appearances) -> int:
    """The most slots a week can hold with starts ``min_gap_hours`` apart.

    Greedy by earliest start, which is optimal for points on a line with a minimum spacing
    (the exchange argument of interval scheduling, Kleinberg & Tardos, *Algorithm Design*,
    section 4.1).
    """
    times = SlotTimes.of(appearances)
    gap = appearances.min_gap_hours * 60.0
    count, last = 0, -math.inf
    for start in times.minutes:
        if start - last >= gap - _TOL:
            count, last = count + 1, start
    return count


def count_feasible_sets(appearances: Appearances) -> int:
    """The number of feasible sets, by a dynamic program over the slots sorted by start."""
    times = SlotTimes.of(appearances)
    n, k = len(times.minutes), appearances.per_week
    # ending[r][c]: sets of c slots whose latest is rank r; prefix sums over r
    prefix = [[0] * (n + 1) for _ in range(k + 1)]
    for r in range(n):
        for c in range(1, k + 1):
            ways = 1 if c == 1 else prefix[c - 1][times.before[r]]
            prefix[c][r + 1] = prefix[c][r] + ways
    return prefix[k][n]


def feasible_sets(appearances: Appearances) -> Iterator[tuple[int, ...]]:
    """Every feasible set, as sorted tuples of slot indices (exponentially many in general)."""
    times = SlotTimes.of(appearances)
    k = appearances.per_week

    def extend(chosen: list[int], limit: int) -> Iterator[tuple[int, ...]]:
        if len(chosen) == k:
            yield tuple(sorted(int(times.order[r]) for r in chosen))
            return
        for rank in range(limit - 1, -1, -1):
            chosen.append(rank)
            yield from extend(chosen, int(times.before[rank]))
            chosen.pop()

    yield from extend([], len(times.minutes))


def check_appearances(appearances: Appearances) -> None:
    """Refuse what no week can satisfy: duplicate slots, ``per_week`` beyond the gap's room.

    Raises
    ------
    InputError
        Naming ``appearances.slots[i]`` or ``appearances.per_week`` and the value.
    """
    seen: dict[tuple[str, str, str], int] = {}
    for i, slot in enumerate(appearances.slots):
        key = (slot.venue, slot.day, slot.start)
        if key in seen:
            raise InputError(f"appearances.slots[{i}]", f"{slot.venue} {slot.day} {slot.start}",
                             f"repeats appearances.slots[{seen[key]}]")
        seen[key] = i
    room = max_spaced_slots(appearances)
    if appearances.per_week > room:
        raise InputError(
            "appearances.per_week",
            appearances.per_week,
            f"exceeds the {room} slots a week can hold {appearances.min_gap_hours:g} h apart",
        )


# --------------------------------------------------------------------------- the plan


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
        """The ``appearances`` section of the plan JSON (design.md section 5)."""
        return {
            "risk": float(self.risk),
            "adversaries": {k: float(v) for k, v in self.adversaries.items()},
            "sets": [s.to_dict() for s in self.sets],
            "solver": {"method": self.method, "status": self.status,
                       "lower_bound": float(self.lower_bound), "seconds": float(self.seconds),
                       "iterations": int(self.iterations), "columns": int(self.columns)},
        }


def _weights(appearances: Appearances, announce_hours: float) -> tuple[float, float, list[str],
                                                                         list[str]]:
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


def _finish(appearances: Appearances, notice: float, columns: list[tuple[int, ...]],
            x: np.ndarray, *, method: str, status: str, lower_bound: float, seconds: float,
            iterations: int) -> AppearancePlan:
    keep = x > 1e-10
    p = np.where(keep, np.clip(x, 0.0, None), 0.0)
    p = p / p.sum()
    sets = tuple(WeekSet(float(pi), columns[j]) for j, pi in enumerate(p) if pi > 0)
    risk, adversaries = evaluate_sets(appearances, sets, notice)
    _, _, blind, informed = _weights(appearances, notice)
    marginal = np.zeros(len(appearances.slots))
    for week in sets:
        marginal[list(week.slots)] += week.p
    return AppearancePlan(
        risk=risk, adversaries=adversaries, sets=sets, announce_hours=notice,
        blind=tuple(blind), informed=tuple(informed), method=method, status=status,
        lower_bound=min(lower_bound, risk), seconds=seconds, iterations=iterations,
        columns=len(columns), marginals=tuple(float(m) for m in marginal),
    )


def _master_columns(success: np.ndarray, columns: Sequence[tuple[int, ...]],
                    informed_weight: float) -> tuple[np.ndarray, sp.csc_matrix]:
    """Costs and constraint columns of set variables: row 0 is the convexity row, row 1 + i
    the blind row of slot i (coefficient ``success_i`` when i is in the set)."""
    n = len(success)
    rows, cols, vals = [], [], []
    cost = np.empty(len(columns))
    for j, week in enumerate(columns):
        cost[j] = informed_weight * float(success[list(week)].max())
        rows.append(0)
        cols.append(j)
        vals.append(1.0)
        for i in week:
            rows.append(1 + i)
            cols.append(j)
            vals.append(float(success[i]))
    matrix = sp.csc_matrix((vals, (rows, cols)), shape=(n + 1, len(columns)))
    return cost, matrix


def _master(success: np.ndarray, columns: Sequence[tuple[int, ...]], blind_weight: float,
            informed_weight: float) -> LinearProgram:
    """The master LP over ``columns``; variable 0 is z, then one per set."""
    n = len(success)
    cost, matrix = _master_columns(success, columns, informed_weight)
    z_column = sp.csc_matrix(np.concatenate([[0.0], -np.ones(n)]).reshape(-1, 1))
    return LinearProgram(
        c=np.concatenate([[blind_weight], cost]),
        A=sp.hstack([z_column, matrix], format="csc"),
        row_lower=np.concatenate([[1.0], np.full(n, -math.inf)]),
        row_upper=np.concatenate([[1.0], np.zeros(n)]),
        col_lower=np.zeros(len(columns) + 1),
        col_upper=np.concatenate([[1.0], np.full(len(columns), math.inf)]),
    )


def _check(appearances: Appearances, announce_hours: float | None) -> float:
    check_appearances(appearances)
    notice = appearances.announce_hours if announce_hours is None else float(announce_hours)
    if not (math.isfinite(notice) and notice >= 0):
        raise InputError("appearances.announce_hours", announce_hours,
                         "must be a non-negative number of hours")
    return notice


def solve_enumerated(appearances: Appearances, announce_hours: float | None = None,
                     *, limit: int = 2_000_000) -> AppearancePlan:
    """The optimal plan by one LP over every feasible set (exact; for small cases).

    Raises
    ------
    InputError
        More than ``limit`` feasible sets (use :func:`solve_column_generation`).
    """
    started = time.perf_counter()
    notice = _check(appearances, announce_hours)
    count = count_feasible_sets(appearances)
    if count > limit:
        raise InputError("appearances.slots", f"{count} feasible sets",
                         f"too many to enumerate (limit {limit}); use column generation")
    columns = list(feasible_sets(appearances))
    success = np.array([s.success for s in appearances.slots])
    blind_w, informed_w, _, _ = _weights(appearances, notice)
    result = solve(_master(success, columns, blind_w, informed_w))
    if result.status is not Status.OPTIMAL or result.x is None:
        raise SolverError(f"appearance LP ended {result.status.value}")
    return _finish(appearances, notice, columns, result.x[1:], method="enumerate",
                   status="optimal", lower_bound=float(result.objective), iterations=1,
                   seconds=time.perf_counter() - started)


# --------------------------------------------------------------------------- pricing


def price_sets(appearances: Appearances, slot_cost: np.ndarray, max_weight: float,
               times: SlotTimes | None = None) -> list[tuple[float, tuple[int, ...]]]:
    """Exact pricing: for each threshold v of ``m_S``, the feasible set S with every
    ``success <= v`` minimizing ``max_weight * v + sum_{i in S} slot_cost_i``.

    The least value over the returned sets is ``min_S max_weight * m_S + sum_{i in S}
    slot_cost_i`` over all feasible sets: for the minimizing S the threshold v = m_S gives
    exactly its value, and any other (v, S) with S's successes ``<= v`` costs at least as
    much. Each threshold is a dynamic program over the slots sorted by start time,
    ``f[r, c] = cost_r + min_{r' < before[r]} f[r', c - 1]`` with prefix minima, vectorized
    over the thresholds: O(L n k) for L thresholds, n slots, k per week.

    Returns
    -------
    list of (value, set)
        One per threshold that admits a feasible set, sorted by value.
    """
    times = SlotTimes.of(appearances) if times is None else times
    success = np.array([s.success for s in appearances.slots])[times.order]
    cost = np.asarray(slot_cost, dtype=float)[times.order]
    k = appearances.per_week
    n = len(cost)
    levels = np.unique(success)
    # cost of each (threshold, rank), inf where the slot's success exceeds the threshold
    allowed = success[None, :] <= levels[:, None] + _TOL
    weights = np.where(allowed, cost[None, :], math.inf)
    L = len(levels)
    best = np.full((k + 1, L, n), math.inf)       # best[c, :, r]: c slots, latest at rank r
    prefix = np.full((k + 1, L, n + 1), math.inf)  # prefix[c, :, r]: min over ranks < r
    prefix_arg = np.full((k + 1, L, n + 1), -1, dtype=int)
    for r in range(n):
        best[1, :, r] = weights[:, r]
        b = times.before[r]
        for c in range(2, k + 1):
            best[c, :, r] = weights[:, r] + prefix[c - 1, :, b]
        for c in range(1, k + 1):
            better = best[c, :, r] < prefix[c, :, r]
            prefix[c, :, r + 1] = np.where(better, best[c, :, r], prefix[c, :, r])
            prefix_arg[c, :, r + 1] = np.where(better, r, prefix_arg[c, :, r])
    found: list[tuple[float, tuple[int, ...]]] = []
    for level in range(L):
        total = prefix[k, level, n]
        if not math.isfinite(total):
            continue
        ranks, c, limit = [], k, n
        while c >= 1:
            r = int(prefix_arg[c, level, limit])
            ranks.append(r)
            limit, c = int(times.before[r]), c - 1
        chosen = tuple(sorted(int(times.order[r]) for r in ranks))
        exact = max_weight * float(success[ranks].max()) + float(cost[ranks].sum())
        found.append((exact, chosen))
    found.sort()
    return found


def solve_column_generation(
    appearances: Appearances,
    announce_hours: float | None = None,
    *,
    tolerance: float = 1e-9,
    max_iterations: int = 10_000,
    time_limit: float | None = None,
) -> AppearancePlan:
    """The optimal plan by column generation with the exact pricing of :func:`price_sets`.

    Each round solves the restricted master on the sets found so far, reads its duals
    ``y`` (convexity ``y_0``, blind rows ``y_i <= 0``), and prices every threshold; the
    sets of negative reduced cost ``W_i m_S - y_0 - sum_{i in S} y_i success_i`` join the
    master. ``y_0 + min_S reduced cost + min(0, reduced cost of z)`` is a Lagrangian lower
    bound (z is boxed in [0, 1]); the method stops when no set prices out, i.e. when the
    bound meets the master's value, to ``tolerance``.

    Returns
    -------
    AppearancePlan
        ``status`` ``optimal``, or ``time_limit``/``iteration_limit`` with the best bound.
    """
    started = time.perf_counter()
    notice = _check(appearances, announce_hours)
    success = np.array([s.success for s in appearances.slots])
    times = SlotTimes.of(appearances)
    blind_w, informed_w, _, _ = _weights(appearances, notice)
    # start from the sets the pricing finds for plain success and for uniform slot costs
    columns: list[tuple[int, ...]] = []
    seen: set[tuple[int, ...]] = set()
    for slot_cost in (success, np.zeros(len(success))):
        for _, week in price_sets(appearances, slot_cost, informed_w, times):
            if week not in seen:
                seen.add(week)
                columns.append(week)
    model = HighsModel(_master(success, columns, blind_w, informed_w))
    bound = 0.0
    status = "iteration_limit"
    iterations = 0
    result = None
    while iterations < max_iterations:
        iterations += 1
        result = model.solve()
        if result.status is not Status.OPTIMAL or result.x is None or result.row_duals is None:
            raise SolverError(f"appearance master LP ended {result.status.value}")
        duals = result.row_duals
        y0, y = float(duals[0]), duals[1:]
        z_reduced = blind_w + float(y.sum())  # cost of z minus its column (0, -1, ..., -1) @ y
        priced = price_sets(appearances, -y * success, informed_w, times)
        if np.all(y <= 0.0):
            least = priced[0][0] - y0
            bound = max(bound, y0 + min(0.0, least) + min(0.0, z_reduced))
        else:  # the bound needs duals of the right sign: clip round-off, price again
            y_sign = np.minimum(y, 0.0)
            least = price_sets(appearances, -y_sign * success, informed_w, times)[0][0] - y0
            bound = max(bound, y0 + min(0.0, least)
                        + min(0.0, blind_w + float(y_sign.sum())))
        new = [week for value, week in priced if value - y0 < -tolerance and week not in seen]
        if not new:
            status = "optimal"
            break
        if time_limit is not None and time.perf_counter() - started > time_limit:
            status = "time_limit"
            break
        for week in new:
            seen.add(week)
            columns.append(week)
        cost, matrix = _master_columns(success, new, informed_w)
        model.add_columns(cost, np.zeros(len(new)), np.full(len(new), math.inf), matrix)
    assert result is not None and result.x is not None
    x = result.x[1:]
    if status != "optimal":
        # the last master was solved before the new columns joined; its x matches `columns`
        x = np.concatenate([x, np.zeros(len(columns) - len(x))])
    return _finish(appearances, notice, columns, x, method="column_generation", status=status,
                   lower_bound=bound, seconds=time.perf_counter() - started,
                   iterations=iterations)


def solve_appearances(appearances: Appearances, announce_hours: float | None = None,
                      *, method: str = "auto", time_limit: float | None = None
                      ) -> AppearancePlan:
    """The optimal weekly appearance plan (design.md section 4c).

    Parameters
    ----------
    appearances
        The scenario's ``appearances`` section.
    announce_hours
        Notice to assume instead of ``appearances.announce_hours`` (for the sweep).
    method
        ``enumerate`` (one LP over every feasible set), ``column_generation``, or ``auto``
        (enumerate up to :data:`ENUMERATION_LIMIT` sets).
    time_limit
        Seconds for column generation; on expiry the plan says ``time_limit`` with its bound.
    """
    if method == "auto":
        _check(appearances, announce_hours)
        small = count_feasible_sets(appearances) <= ENUMERATION_LIMIT
        method = "enumerate" if small else "column_generation"
    if method == "enumerate":
        return solve_enumerated(appearances, announce_hours)
    if method == "column_generation":
        return solve_column_generation(appearances, announce_hours, time_limit=time_limit)
    raise InputError("--method", method, "must be auto, enumerate or column_generation")


# --------------------------------------------------------------------------- notice sweep


@dataclass(frozen=True)
class NoticePoint:
    """The optimal weekly risk when appearances are announced ``announce_hours`` ahead."""

    announce_hours: float
    risk: float
    informed: tuple[str, ...]


def notice_sweep(appearances: Appearances, hours: Sequence[float] | None = None,
                 *, method: str = "auto") -> tuple[NoticePoint, ...]:
    """Risk against ``announce_hours``: what a shorter notice buys.

    The risk only changes where the notice crosses an adversary's ``prep_hours`` (an
    adversary is informed once ``prep_hours <= announce_hours``), so by default the sweep
    tries 0, each ``prep_hours`` and the scenario's own notice.
    """
    if hours is None:
        hours = sorted({0.0, float(appearances.announce_hours),
                        *(float(a.prep_hours) for a in appearances.adversaries)})
    points = []
    for notice in hours:
        plan = solve_appearances(appearances, notice, method=method)
        points.append(NoticePoint(float(notice), plan.risk, plan.informed))
    return tuple(points)


# --------------------------------------------------------------------------- drawing a week


@dataclass(frozen=True)
class WeekDraw:
    """This week's drawn set; ``seeded`` marks a simulation draw (design.md section 6)."""

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


def week_monday(day: date) -> date:
    """The Monday of the (ISO) week holding ``day``."""
    return day - timedelta(days=day.weekday())


def slot_start(slot: Slot, monday: date) -> datetime:
    """The start of ``slot`` in the week beginning ``monday`` (naive local time)."""
    return datetime.combine(monday, datetime.min.time()) + timedelta(minutes=slot_minutes(slot))


def attach_appearances(plan: Plan, appearances: Appearances | None) -> Plan:
    """The plan with its ``appearances`` section (design.md section 5), when there are any.

    The weekly figure stays apart from the nightly ``risk``.
    """
    if appearances is None:
        return plan
    section = solve_appearances(appearances).to_dict()
    return replace(plan, extra={**plan.extra, "appearances": section})
