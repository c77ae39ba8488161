"""The CP-SAT model of a roster (docs/design.md §9), shared by every stage.

:func:`build` states the hard rules over *units*: each night's teams, or, grouped, the side
with the principal and the side away (their crews and mixes added). One Boolean per
(person, night, unit, role) the person may fill; positions of one role are interchangeable,
so the model chooses who fills a role and the positions are named afterwards. Duty and duty
with the principal are one Boolean per (person, night), so each rolling window sums a few
Booleans, with the history as constants. Trust is in units of 1e-6 (:data:`SCALE`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from ortools.sat.python import cp_model

from escolta.detail.problem import RosterNight, RosterProblem
from escolta.errors import InputError

SCALE = 1_000_000  # trust in units of 1e-6: the objective is an exact integer
ProgressCallback = Callable[[float, float], None]


@dataclass(frozen=True)
class Tag:
    """What one assumption literal stands for: a rule at a date and team, or for a person."""

    rule: str
    date: dt.date | None = None
    team: str | None = None
    person: str | None = None
    first: dt.date | None = None
    last: dt.date | None = None


@dataclass
class RosterModel:
    """A CP-SAT model of one problem and the variables the rest of this module reads."""

    problem: RosterProblem
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, int, int, int], cp_model.IntVar] = field(default_factory=dict)
    tags: dict[int, Tag] = field(default_factory=dict)  # literal index -> what it enforces
    assumptions: list[cp_model.IntVar] = field(default_factory=list)
    exposure: cp_model.LinearExpr | int = 0
    principal_nights: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)
    in_unit: dict[tuple[int, int, int], list[cp_model.IntVar]] = field(default_factory=dict)

    def literal(self, tag: Tag | None) -> cp_model.IntVar | None:
        if tag is None:
            return None
        lit = self.model.NewBoolVar(tag.rule)
        self.tags[lit.Index()] = tag
        self.assumptions.append(lit)
        return lit


def enforce(ct: cp_model.Constraint, lit: cp_model.IntVar | None) -> None:
    if lit is not None:
        ct.OnlyEnforceIf(lit)


def history_counts(problem: RosterProblem) -> tuple[dict, dict, dict]:
    """Per person: nights on duty, nights with the principal; per pair: nights together."""
    people = {p.name: i for i, p in enumerate(problem.staff)}
    duty: dict[int, set[dt.date]] = defaultdict(set)
    principal: dict[int, set[dt.date]] = defaultdict(set)
    crews: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
    for a in problem.history:
        p = people.get(a.person)
        if p is None:  # someone no longer in staff: their windows no longer matter
            continue
        duty[p].add(a.date)
        if a.with_principal:
            principal[p].add(a.date)
        crews[(a.date, a.team)].append(p)
    together: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    for (date, _), members in crews.items():
        for pair in combinations(sorted(members), 2):
            together[pair].add(date)
    return duty, principal, together


def build(problem: RosterProblem, pairs: set[tuple[int, int]], *, explain: bool = False,
          grouped: bool = False, principal_only: bool = False) -> RosterModel:
    """The CP-SAT model of ``problem`` with ``max_together_per_28`` stated for ``pairs``.

    With ``explain``, every rule is stated under an assumption literal (see :class:`Tag`).
    With ``grouped``, the teams of each night are merged into two units, those posted with
    the principal and the others (see :func:`units`): a relaxation, without pair windows.
    """
    assert not (grouped and pairs)
    m = RosterModel(problem)
    model = m.model
    staff, teams, nights = problem.staff, problem.teams, problem.nights
    days = len(nights)
    start = nights[0].date
    index = {n.date: d for d, n in enumerate(nights)}
    by_night = [units(problem, night, grouped, principal_only) for night in nights]
    for p, person in enumerate(staff):
        off = set(person.days_off)
        roles = set(person.roles)
        for d, night in enumerate(nights):
            if night.date in off:
                continue
            for u, unit in enumerate(by_night[d]):
                for r, (role, _) in enumerate(unit.roles):
                    if role in roles:
                        m.x[p, d, u, r] = model.NewBoolVar("")
    in_team: dict[tuple[int, int, int], list[cp_model.IntVar]] = defaultdict(list)
    on: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    at_principal: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    slots: dict[tuple[int, int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (p, d, u, r), var in m.x.items():
        in_team[p, d, u].append(var)
        on[p, d].append(var)
        slots[d, u, r].append(var)
        if by_night[d][u].with_principal:
            at_principal[p, d].append(var)
    for d, night in enumerate(nights):
        for u, unit in enumerate(by_night[d]):
            lit = m.literal(Tag("crew", night.date, unit.name)) if explain else None
            for r, (role, count) in enumerate(unit.roles):
                if lit is None and len(slots[d, u, r]) < count:
                    raise unfillable(night.date, unit.name, role, count, len(slots[d, u, r]))
                enforce(model.Add(sum(slots[d, u, r]) == count), lit)
            for chain, least in unit.mix.items():
                members = [v for p, person in enumerate(staff) if person.chain == chain
                           for v in in_team.get((p, d, u), [])]
                lit = m.literal(Tag("mix", night.date, unit.name)) if explain else None
                enforce(model.Add(sum(members) >= least), lit)
    m.in_unit = in_team
    # One Boolean per (person, night) for duty, and for duty at the principal's site: the
    # rolling windows then sum a few Booleans, not every (team, role) choice of each night.
    on = {key: [boolean_sum(model, vars_)] for key, vars_ in on.items()}
    at_principal = {key: [boolean_sum(model, vars_)] for key, vars_ in at_principal.items()}
    duty, principal, together = history_counts(problem)

    def windows(rule: str, person: str, counted: Callable[[int], list[cp_model.IntVar]],
                known: set[dt.date]) -> None:
        length = problem.window(rule)
        if length is None:
            return
        cap = problem.cap(rule)
        for s in range(-length + 1, days):
            first = start + dt.timedelta(days=s)
            last = first + dt.timedelta(days=length - 1)
            vars_ = [v for d in range(max(s, 0), min(s + length, days)) for v in counted(d)]
            constant = sum(1 for day in known if first <= day <= last and day not in index)
            if not vars_:
                if constant > cap:
                    raise InputError(f"roster.{rule}", getattr(problem.rules, rule),
                                     f"already broken in the record for {person} from "
                                     f"{first} to {last}")
                continue
            if constant + len(vars_) <= cap:
                continue  # cannot bind
            lit = m.literal(Tag(rule, person=person, first=first, last=last)) if explain else None
            enforce(model.Add(sum(vars_) <= cap - constant), lit)

    for p, person in enumerate(staff):
        for rule in ("max_nights_in_a_row", "min_nights_off_per_7"):
            windows(rule, person.name, lambda d, p=p: on.get((p, d), []), duty.get(p, set()))
        windows("max_with_principal_per_14", person.name,
                lambda d, p=p: at_principal.get((p, d), []), principal.get(p, set()))
    if problem.window("max_together_per_28") is not None:
        for p, q in sorted(pairs):
            both: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for d in range(days):
                for t in range(len(teams)):
                    a, b = in_team.get((p, d, t)), in_team.get((q, d, t))
                    if a and b:
                        z = model.NewBoolVar("")
                        model.Add(sum(a) + sum(b) - z <= 1)
                        model.AddImplication(z, on[p, d][0])
                        model.AddImplication(z, on[q, d][0])
                        both[d].append(z)
            name = f"{staff[p].name}+{staff[q].name}"
            windows("max_together_per_28", name, lambda d, b=both: b.get(d, []),
                    together.get((p, q), set()))
    weights = [SCALE - person.trust_micro for person in staff]
    m.exposure = sum(weights[p] * v for (p, _), vars_ in at_principal.items() if weights[p]
                     for v in vars_)
    for (p, _), vars_ in at_principal.items():
        m.principal_nights.setdefault(p, []).extend(vars_)
    return m


def boolean_sum(model: cp_model.CpModel, vars_: list[cp_model.IntVar]) -> cp_model.IntVar:
    """A Boolean equal to the sum of ``vars_`` (so at most one of them is true)."""
    if len(vars_) == 1:
        return vars_[0]
    total = model.NewBoolVar("")
    model.Add(sum(vars_) == total)
    return total


def crew_roles(positions: tuple[tuple[str, str], ...]) -> list[tuple[str, int]]:
    """A team's roles in crew order with how many positions each.

    The model chooses who fills a role, not which of its positions: positions of one role
    are interchangeable, and naming them in the model would multiply every roster by their
    permutations (a symmetry CP-SAT would have to break by search).
    """
    counts: dict[str, int] = {}
    for _, role in positions:
        counts[role] = counts.get(role, 0) + 1
    return list(counts.items())


def unfillable(date: dt.date, team: str, role: str, count: int, free: int) -> InputError:
    return InputError(f"teams[{team}].crew.{role}", count,
                      f"cannot be met for team {team} on {date.isoformat()}: "
                      f"{'no one' if free == 0 else f'only {free}'} in staff with the role "
                      f"{role} is free")


@dataclass(frozen=True)
class Unit:
    """What the model staffs on one night: a team, or (grouped) all teams at one side."""

    name: str
    roles: list[tuple[str, int]]
    mix: dict[str, int]
    with_principal: bool


def units(problem: RosterProblem, night: RosterNight, grouped: bool,
           principal_only: bool = False) -> list[Unit]:
    """The teams of ``night``; grouped, the sums over the teams with the principal and the
    teams away (their role counts and mixes added); ``principal_only``: the first alone."""
    teams = [Unit(t.name, crew_roles(t.positions), dict(t.mix), night.with_principal(t.name))
             for t in problem.teams]
    if not grouped:
        return teams
    out = []
    for side in (True,) if principal_only else (True, False):
        members = [t for t in teams if t.with_principal == side]
        if not members:
            continue
        roles: dict[str, int] = {}
        mix: dict[str, int] = {}
        for t in members:
            for role, count in t.roles:
                roles[role] = roles.get(role, 0) + count
            for chain, least in t.mix.items():
                mix[chain] = mix.get(chain, 0) + least
        name = ", ".join(t.name for t in members)
        out.append(Unit(name, list(roles.items()), mix, side))
    return out


class SolutionProgress(cp_model.CpSolverSolutionCallback):
    def __init__(self, callback: ProgressCallback | None) -> None:
        super().__init__()
        self._callback = callback

    def on_solution_callback(self) -> None:
        if self._callback is not None:
            self._callback(self.ObjectiveValue() / SCALE, self.BestObjectiveBound() / SCALE)


def make_solver(seconds: float, num_workers: int, random_seed: int | None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.num_workers = num_workers
    if random_seed is not None:
        solver.parameters.random_seed = random_seed
    return solver


