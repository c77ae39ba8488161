"""Small roster problems and a brute-force oracle kept apart from the code under test."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from escolta.detail.check import check_roster, exposure
from escolta.detail.problem import Assignment, RosterNight, RosterProblem, TeamCrew
from escolta.protect.detail import RosterRules, StaffMember, team_positions

START = dt.date(2026, 12, 1)


def person(name: str, chain: str = "a", roles: tuple[str, ...] = ("agent",),
           trust: float = 1.0, days_off: tuple[dt.date, ...] = ()) -> StaffMember:
    return StaffMember(name=name, chain=chain, roles=list(roles), trust=trust,
                       days_off=list(days_off))


def team(name: str, crew: dict[str, int], mix: dict[str, int] | None = None) -> TeamCrew:
    return TeamCrew(name, tuple(team_positions(crew)), mix or {})


def nights(posts: list[dict[str, str]], start: dt.date = START,
           site: str = "home") -> tuple[RosterNight, ...]:
    """Night d is ``start + d``; the principal sleeps at ``site``."""
    return tuple(RosterNight(start + dt.timedelta(days=d), site, p) for d, p in enumerate(posts))


def random_problem(seed: int, people: int, teams: int, days: int, *, crew: int = 2,
                   rules: RosterRules | None = None) -> RosterProblem:
    """A random feasible-looking problem: two chains, two roles, a few trust levels."""
    rng = random.Random(seed)
    staff = tuple(person(f"p{i}", chain="ab"[i % 2],
                         roles=("lead", "agent") if i % 3 == 0 else ("agent",),
                         trust=rng.choice([1.0, 0.99, 0.97, 0.9]),
                         days_off=(START + dt.timedelta(days=rng.randrange(days)),)
                         if rng.random() < 0.3 else ())
                  for i in range(people))
    crews = tuple(team(f"t{j}", {"lead": 1, "agent": crew - 1}, {"a": 1} if j % 2 else {})
                  for j in range(teams))
    posts = [{t.name: rng.choice(["home", "away"]) for t in crews} for _ in range(days)]
    return RosterProblem(nights(posts), crews, staff, rules or RosterRules())


def brute_force(problem: RosterProblem) -> float | None:
    """The least exposure over every way to fill every position (None: no legal roster).

    Enumerates one person per (night, team, position) and keeps what :func:`check_roster`
    accepts; exponential, for a handful of positions only.
    """
    slots = [(n.date, t.name, pos, role) for n in problem.nights for t in problem.teams
             for pos, role in t.positions]
    choices = [[p.name for p in problem.staff if role in p.roles and date not in p.days_off]
               for date, _, _, role in slots]
    best = None
    for pick in itertools.product(*choices):
        roster = [Assignment(date, team_, pos, role, who)
                  for (date, team_, pos, role), who in zip(slots, pick, strict=True)]
        if check_roster(problem, roster):
            continue
        value = exposure(problem, roster)
        if best is None or value < best - 1e-12:
            best = value
    return best
