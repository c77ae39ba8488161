"""An independent checker of every roster rule of docs/design.md §9 (plain Python).

It shares no code with the CP-SAT model: it counts, night by night and window by window,
over the assignments given plus the history, and lists every rule broken. The tests run it
on every roster they make.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from escolta.detail.problem import Assignment, RosterProblem


@dataclass(frozen=True)
class Violation:
    """A rule broken: which, where, by whom, and how."""

    rule: str
    date: dt.date | None
    team: str | None
    person: str | None
    detail: str

    def __str__(self) -> str:
        where = " ".join(x for x in (self.date and self.date.isoformat(), self.team,
                                      self.person) if x)
        return f"{self.rule} [{where}]: {self.detail}"


def exposure(problem: RosterProblem, assignments: Sequence[Assignment]) -> float:
    """Σ_p (1 − trust_p) · N_p over the rostered nights (trust to the nearest 1e-6)."""
    trust = {p.name: p.trust_micro for p in problem.staff}
    nights = {n.date: n for n in problem.nights}
    micro = sum(1_000_000 - trust[a.person] for a in assignments
                if nights[a.date].with_principal(a.team))
    return micro / 1_000_000


def _windows(days: set[dt.date], length: int, first: dt.date,
             last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Every window of ``length`` nights that meets [first, last]."""
    out = []
    start = first - dt.timedelta(days=length - 1)
    while start <= last:
        out.append((start, start + dt.timedelta(days=length - 1)))
        start += dt.timedelta(days=1)
    return out


def check_roster(problem: RosterProblem, assignments: Sequence[Assignment]) -> list[Violation]:
    """Every rule the roster ``assignments`` (of ``problem.nights``) breaks; empty when legal."""
    out: list[Violation] = []
    staff = {p.name: p for p in problem.staff}
    nights = {n.date: n for n in problem.nights}
    teams = {t.name: t for t in problem.teams}
    filled: dict[tuple[dt.date, str, str], list[str]] = defaultdict(list)
    on_duty: dict[tuple[str, dt.date], int] = Counter()
    for a in assignments:
        if a.date not in nights or a.team not in teams:
            out.append(Violation("unknown", a.date, a.team, a.person, "not a night or team "
                                 "of the roster"))
            continue
        filled[(a.date, a.team, a.position)].append(a.person)
        on_duty[(a.person, a.date)] += 1
        person = staff.get(a.person)
        roles = dict((pos, role) for pos, role in teams[a.team].positions)
        if person is None:
            out.append(Violation("staff", a.date, a.team, a.person, "not in staff"))
            continue
        if roles.get(a.position) is None:
            out.append(Violation("crew", a.date, a.team, a.person,
                                 f"no position {a.position}"))
        elif roles[a.position] not in person.roles:
            out.append(Violation("roles", a.date, a.team, a.person,
                                 f"fills {a.position} without the role {roles[a.position]}"))
        if a.date in person.days_off:
            out.append(Violation("days_off", a.date, a.team, a.person, "on a day off"))
    for (person, date), count in on_duty.items():
        if count > 1:
            out.append(Violation("one_position", date, None, person,
                                 f"fills {count} positions"))
    for date in nights:
        for team in problem.teams:
            members = []
            for position, _ in team.positions:
                who = filled.get((date, team.name, position), [])
                if len(who) != 1:
                    out.append(Violation("crew", date, team.name, None,
                                         f"{position} filled by {len(who)} people"))
                members += who
            for chain, least in team.mix.items():
                have = sum(1 for m in members if m in staff and staff[m].chain == chain)
                if have < least:
                    out.append(Violation("mix", date, team.name, None,
                                         f"{have} of chain {chain}, needs {least}"))
    if not nights:
        return out
    out += _rolling(problem, assignments)
    return out


def _rolling(problem: RosterProblem, assignments: Sequence[Assignment]) -> list[Violation]:
    out: list[Violation] = []
    nights = {n.date: n for n in problem.nights}
    everything = list(problem.history) + list(assignments)
    duty: dict[str, set[dt.date]] = defaultdict(set)
    principal: dict[str, set[dt.date]] = defaultdict(set)
    crews: dict[tuple[dt.date, str], set[str]] = defaultdict(set)
    for a in everything:
        duty[a.person].add(a.date)
        at_principal = (nights[a.date].with_principal(a.team) if a.date in nights
                        else a.with_principal)
        if at_principal:
            principal[a.person].add(a.date)
        crews[(a.date, a.team)].add(a.person)
    first, last = min(nights), max(nights)
    counted = {
        "max_nights_in_a_row": duty,
        "min_nights_off_per_7": duty,
        "max_with_principal_per_14": principal,
    }
    for rule, days_of in counted.items():
        length = problem.window(rule)
        if length is None:
            continue
        cap = problem.cap(rule)
        for person, days in days_of.items():
            for start, end in _windows(days, length, first, last):
                count = sum(1 for d in days if start <= d <= end)
                if count > cap:
                    out.append(Violation(rule, end, None, person,
                                         f"{count} nights from {start} to {end}, at most {cap}"))
    length = problem.window("max_together_per_28")
    if length is not None:
        cap = problem.cap("max_together_per_28")
        together: dict[tuple[str, str], set[dt.date]] = defaultdict(set)
        for (date, _), members in crews.items():
            for pair in combinations(sorted(members), 2):
                together[pair].add(date)
        for (p, q), days in together.items():
            for start, end in _windows(days, length, first, last):
                count = sum(1 for d in days if start <= d <= end)
                if count > cap:
                    out.append(Violation("max_together_per_28", end, None, f"{p}+{q}",
                                         f"{count} nights together from {start} to {end}, "
                                         f"at most {cap}"))
    return out
