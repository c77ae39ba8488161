"""A second formulation of the roster: one MILP on HiGHS, every rule stated up front.

It shares nothing with the CP-SAT model but the problem data: rows are built here from the
rule definitions of docs/design.md §9, ``max_together_per_28`` included for every pair
(``z[p, q, d, t] >= in[p, d, t] + in[q, d, t] - 1``), so it suits small instances only. The
tests compare its optimum with CP-SAT's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import combinations

import numpy as np
import scipy.sparse as sp

from escolta.detail.problem import RosterProblem
from escolta.errors import SolverError
from escolta.lp.highs import LinearProgram, Status, solve


class _Rows:
    """Rows ``lower <= a @ x <= upper`` collected one at a time."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, int, float]] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, columns: list[int], coefs: list[float], lower: float, upper: float) -> None:
        row = len(self.lower)
        self.entries += [(row, c, a) for c, a in zip(columns, coefs, strict=True)]
        self.lower.append(lower)
        self.upper.append(upper)


def milp_exposure(problem: RosterProblem, time_limit: float = 60.0) -> float | None:
    """The least insider exposure of ``problem`` by HiGHS, or ``None`` when infeasible."""
    staff, teams, nights = problem.staff, problem.teams, problem.nights
    cost: list[float] = []
    var: dict[tuple[int, int, int, int], int] = {}
    for p, person in enumerate(staff):
        for d, night in enumerate(nights):
            if night.date in person.days_off:
                continue
            for t, team in enumerate(teams):
                for k, (_, role) in enumerate(team.positions):
                    if role in person.roles:
                        var[p, d, t, k] = len(cost)
                        weight = 1_000_000 - person.trust_micro
                        cost.append(weight if night.with_principal(team.name) else 0.0)
    rows = _Rows()
    in_team: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    on: dict[tuple[int, int], list[int]] = defaultdict(list)
    slot: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    principal: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (p, d, t, k), j in var.items():
        in_team[p, d, t].append(j)
        on[p, d].append(j)
        slot[d, t, k].append(j)
        if nights[d].with_principal(teams[t].name):
            principal[p, d].append(j)
    for d in range(len(nights)):
        for t, team in enumerate(teams):
            for k in range(len(team.positions)):
                if not slot[d, t, k]:
                    return None
                rows.add(slot[d, t, k], [1.0] * len(slot[d, t, k]), 1.0, 1.0)
            for chain, least in team.mix.items():
                cols = [j for p, s in enumerate(staff) if s.chain == chain
                        for j in in_team.get((p, d, t), [])]
                rows.add(cols, [1.0] * len(cols), least, np.inf)
    for cols in on.values():
        rows.add(cols, [1.0] * len(cols), -np.inf, 1.0)
    ordinal = {n.date: d for d, n in enumerate(nights)}
    people = {s.name: p for p, s in enumerate(staff)}
    past_duty: dict[int, set[dt.date]] = defaultdict(set)
    past_principal: dict[int, set[dt.date]] = defaultdict(set)
    crews: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
    for a in problem.history:
        if a.person in people:
            past_duty[people[a.person]].add(a.date)
            if a.with_principal:
                past_principal[people[a.person]].add(a.date)
            crews[a.date, a.team].append(people[a.person])
    past_together: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    for (date, _), members in crews.items():
        for pair in combinations(sorted(members), 2):
            past_together[pair].add(date)

    def window_rows(rule: str, per_day: dict[int, list[int]], past: set[dt.date]) -> None:
        length = problem.window(rule)
        if length is None:
            return
        cap = problem.cap(rule)
        start = nights[0].date
        for s in range(-length + 1, len(nights)):
            first = start + dt.timedelta(days=s)
            last = first + dt.timedelta(days=length - 1)
            cols = [j for d in range(max(s, 0), min(s + length, len(nights)))
                    for j in per_day.get(d, [])]
            known = sum(1 for day in past if first <= day <= last and day not in ordinal)
            rows.add(cols, [1.0] * len(cols), -np.inf, cap - known)

    for p in range(len(staff)):
        duty = {d: on.get((p, d), []) for d in range(len(nights))}
        window_rows("max_nights_in_a_row", duty, past_duty[p])
        window_rows("min_nights_off_per_7", duty, past_duty[p])
        window_rows("max_with_principal_per_14",
                    {d: principal.get((p, d), []) for d in range(len(nights))},
                    past_principal[p])
    if problem.window("max_together_per_28") is not None:
        for p, q in combinations(range(len(staff)), 2):
            both: dict[int, list[int]] = defaultdict(list)
            for d in range(len(nights)):
                for t in range(len(teams)):
                    a, b = in_team.get((p, d, t)), in_team.get((q, d, t))
                    if a and b:
                        z = len(cost)
                        cost.append(0.0)
                        rows.add(a + b + [z], [1.0] * (len(a) + len(b)) + [-1.0], -np.inf, 1.0)
                        both[d].append(z)
            window_rows("max_together_per_28", both, past_together[(p, q)])
    n = len(cost)
    r, c, a = (zip(*rows.entries, strict=True) if rows.entries else ((), (), ()))
    matrix = sp.csr_matrix((np.array(a, float), (np.array(r, int), np.array(c, int))),
                           shape=(len(rows.lower), n))
    lp = LinearProgram(np.array(cost), matrix, np.array(rows.lower), np.array(rows.upper),
                       np.zeros(n), np.ones(n), np.ones(n, dtype=bool))
    result = solve(lp, time_limit=time_limit)
    if result.status == Status.INFEASIBLE:
        return None
    if result.status != Status.OPTIMAL or result.objective is None:
        raise SolverError(f"HiGHS ended with {result.status}")
    return round(result.objective) / 1_000_000
