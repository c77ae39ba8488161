"""The second stage of a roster: who goes into which team, once the sides are chosen.

The first stage (:func:`escolta.detail.roster.build` with ``grouped=True``) decides, for
each person and night, whether they are on duty, on which side (with the principal or away)
and in which role; everything the exposure and the per-person windows depend on. This stage
splits each side's people among its teams: each team's role counts and mix, and the pair
windows of ``max_together_per_28`` (added lazily, as in the full model). It has no
objective: any split keeps the first stage's exposure, so when the first stage is optimal and
a split exists, the roster is optimal for the whole problem.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Mapping
from itertools import combinations

from ortools.sat.python import cp_model

from escolta.detail.problem import Assignment, RosterProblem

MAX_ROUNDS = 30


def _pairs_in(problem: RosterProblem,
              assignments: list[Assignment]) -> set[tuple[str, str]]:
    """Pairs of people together in a team more often than ``max_together_per_28`` allows."""
    length = problem.window("max_together_per_28")
    if length is None:
        return set()
    cap = problem.cap("max_together_per_28")
    crews: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
    for a in (*problem.history, *assignments):
        crews[a.date, a.team].append(a.person)
    days: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (date, _), members in crews.items():
        for pair in combinations(sorted(members), 2):
            days[pair].append(date.toordinal())
    out = set()
    for pair, ordinals in days.items():
        ordinals.sort()
        if any(ordinals[i + cap] - ordinals[i] < length for i in range(len(ordinals) - cap)):
            out.add(pair)
    return out


def place_teams(problem: RosterProblem, sides: Mapping[tuple[str, dt.date], tuple[bool, str]],
                deadline: float, num_workers: int,
                random_seed: int | None) -> tuple[Assignment, ...] | None:
    """Split each night's sides among the teams; ``None`` when no split exists in time.

    ``sides[(person, date)] = (with_principal, role)`` for every person on duty.
    """
    nights = {n.date: n for n in problem.nights}
    staff = {p.name: p for p in problem.staff}
    pairs: set[tuple[str, str]] = set()
    for _ in range(MAX_ROUNDS):
        model = cp_model.CpModel()
        b: dict[tuple[str, dt.date, str], cp_model.IntVar] = {}
        for (person, date), (side, role) in sides.items():
            night = nights[date]
            options = []
            for team in problem.teams:
                if night.with_principal(team.name) == side and any(
                        r == role for _, r in team.positions):
                    b[person, date, team.name] = var = model.NewBoolVar("")
                    options.append(var)
            if not options:
                return None
            model.AddExactlyOne(options)
        members: dict[tuple[dt.date, str], list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
        for (person, date, team_name), var in b.items():
            members[date, team_name].append((person, var))
        for date in nights:
            for team in problem.teams:
                here = members[date, team.name]
                counts: dict[str, int] = defaultdict(int)
                for _, role in team.positions:
                    counts[role] += 1
                for role, count in counts.items():
                    model.Add(sum(v for who, v in here if sides[who, date][1] == role) == count)
                for chain, least in team.mix.items():
                    model.Add(sum(v for who, v in here if staff[who].chain == chain) >= least)
        _pair_windows(problem, model, b, pairs)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(deadline - time.perf_counter(), 0.01)
        solver.parameters.num_workers = num_workers
        if random_seed is not None:
            solver.parameters.random_seed = random_seed
        status = solver.Solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        chosen: dict[tuple[dt.date, str, str], list[str]] = defaultdict(list)
        for (person, date, team), var in b.items():
            if solver.Value(var):
                chosen[date, team, sides[person, date][1]].append(person)
        out = []
        for date in sorted(nights):
            for team in problem.teams:
                fill = {role: sorted(chosen[date, team.name, role]) for _, role in team.positions}
                for position, role in team.positions:
                    out.append(Assignment(date, team.name, position, role, fill[role].pop(0),
                                          nights[date].with_principal(team.name)))
        crowded = _pairs_in(problem, out) - pairs
        if not crowded:
            return tuple(out)
        if time.perf_counter() >= deadline:
            return None
        pairs |= crowded
    return None


def _pair_windows(problem: RosterProblem, model: cp_model.CpModel,
                  b: Mapping[tuple[str, dt.date, str], cp_model.IntVar],
                  pairs: set[tuple[str, str]]) -> None:
    """``max_together_per_28`` for ``pairs``, history counted, in every window that meets
    the rostered nights."""
    if not pairs:
        return
    length = problem.window("max_together_per_28")
    assert length is not None
    cap = problem.cap("max_together_per_28")
    rostered = {n.date for n in problem.nights}
    crews: dict[tuple[dt.date, str], set[str]] = defaultdict(set)
    for a in problem.history:
        crews[a.date, a.team].add(a.person)
    first, last = min(rostered), max(rostered)
    for p, q in pairs:
        together: dict[dt.date, list[cp_model.IntVar]] = defaultdict(list)
        for date in rostered:
            for team in problem.teams:
                x, y = b.get((p, date, team.name)), b.get((q, date, team.name))
                if x is not None and y is not None:
                    z = model.NewBoolVar("")
                    model.Add(x + y - z <= 1)
                    together[date].append(z)
        past = {d for (d, _), members in crews.items() if p in members and q in members}
        start = first - dt.timedelta(days=length - 1)
        while start <= last:
            end = start + dt.timedelta(days=length - 1)
            vars_ = [z for d, zs in together.items() if start <= d <= end for z in zs]
            known = sum(1 for d in past if start <= d <= end)
            if vars_ and known + len(vars_) > cap:
                model.Add(sum(vars_) <= cap - known)
            start += dt.timedelta(days=1)
