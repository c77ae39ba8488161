"""Staffing the drawn nights: ``escolta roster`` without the printing (docs/design.md §9).

:func:`roster_nights` draws the nights not yet drawn (as ``schedule`` does), reads the
rosters already stored around them (so the rolling windows continue across both seams),
solves the roster with CP-SAT, stores it and returns a :class:`RosterRun`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from escolta.detail.problem import MAX_NIGHTS, RosterNight, RosterProblem, roster_problem
from escolta.detail.roster import ProgressCallback, Roster, solve_roster
from escolta.errors import InputError
from escolta.operations.dates import today
from escolta.operations.nights import draw_schedule, plan_in_force
from escolta.store.rosters import rostered_between, rostered_dates, save_roster

MAX_TIME_LIMIT = 3_600.0
SEAM = 27  # the longest rolling window (28 nights) reaches this many nights either side


@dataclass(frozen=True)
class Load:
    """One person's share of a roster."""

    person: str
    trust: float
    nights: int
    with_principal: int
    exposure: float  # (1 - trust) * with_principal
    share: float  # of the roster's whole exposure (0 when it is 0)


@dataclass(frozen=True)
class RosterRun:
    """What ``escolta roster`` did: the plan, the nights, the roster and each person's load."""

    plan_id: int
    nights: tuple[RosterNight, ...]
    newly_drawn: int
    roster: Roster
    loads: tuple[Load, ...]
    replaced: int

    def to_dict(self) -> dict[str, object]:
        r = self.roster
        return {"status": r.status, "objective": r.objective, "bound": r.bound,
                "assignments": [a.to_dict() for a in r.assignments],
                "plan_id": self.plan_id, "seconds": r.seconds, "newly_drawn": self.newly_drawn,
                "balanced": r.balanced,
                "loads": [{"person": x.person, "trust": x.trust, "nights": x.nights,
                           "with_principal": x.with_principal, "exposure": x.exposure}
                          for x in self.loads]}


#: Most CP-SAT workers (8 include its LP-based ones; more only share the two cores).
MAX_WORKERS = 64


def draw_nights_to_roster(session: Session, start: dt.date, days: int) -> tuple[
        int, tuple[RosterNight, ...], int]:
    """The plan id, the nights from ``start`` (drawing the missing ones), how many new."""
    check_roster_span(start, days)
    in_force = plan_in_force(session)
    drawn = draw_schedule(session, in_force.plan, in_force.plan_id, start, days, None)
    nights = tuple(RosterNight(e.date, e.night.site, e.night.posts) for e in drawn.nights)
    return in_force.plan_id, nights, len(drawn.new)


def check_roster_span(start: dt.date, days: int, time_limit: float = 1.0,
                      workers: int = 1) -> None:
    """A roster's span and effort within their limits, from today on (before any work)."""
    if start < today():
        raise InputError("--start", start.isoformat(),
                         f"is in the past (today is {today().isoformat()})")
    if not 1 <= days <= MAX_NIGHTS:
        raise InputError("--days", days, f"must lie in 1..{MAX_NIGHTS}")
    if not 0 < time_limit <= MAX_TIME_LIMIT:
        raise InputError("--time-limit", time_limit, f"must lie in (0, {MAX_TIME_LIMIT:g}] s")
    if not 1 <= workers <= MAX_WORKERS:
        raise InputError("--workers", workers, f"must lie in 1..{MAX_WORKERS}")


def loads(problem: RosterProblem, roster: Roster) -> tuple[Load, ...]:
    """Each person's nights, nights with the principal and exposure, most exposed first."""
    nights: dict[str, int] = {}
    principal: dict[str, int] = {}
    for a in roster.assignments:
        nights[a.person] = nights.get(a.person, 0) + 1
        principal[a.person] = principal.get(a.person, 0) + int(a.with_principal)
    out = []
    for person in problem.staff:
        trust = person.trust_micro / 1_000_000
        exposure = (1 - trust) * principal.get(person.name, 0)
        share = exposure / roster.objective if roster.objective > 0 else 0.0
        out.append(Load(person.name, trust, nights.get(person.name, 0),
                        principal.get(person.name, 0), exposure, share))
    out.sort(key=lambda x: (-x.exposure, -x.with_principal, -x.nights, x.person))
    return tuple(out)


def roster_nights(session: Session, start: dt.date, days: int, time_limit: float = 60.0, *,
                  num_workers: int = 8, force: bool = False,
                  on_solution: ProgressCallback | None = None,
                  random_seed: int | None = None) -> RosterRun:
    """Roster the ``days`` nights from ``start`` and store the roster.

    Raises
    ------
    InputError
        A night already rostered (without ``force``), a rule no roster can meet, a size
        beyond the limits, or no roster found within ``time_limit``.
    """
    check_roster_span(start, days, time_limit, num_workers)
    last = start + dt.timedelta(days=days - 1)
    taken = rostered_dates(session, start, last)
    if taken and not force:
        raise InputError("--start", start.isoformat(),
                         f"{len(taken)} of these nights already have a roster (first "
                         f"{taken[0].isoformat()}); --force replaces them")
    plan_id, nights, new = draw_nights_to_roster(session, start, days)
    scenario = plan_in_force(session).scenario
    around = rostered_between(session, start - dt.timedelta(days=SEAM),
                              last + dt.timedelta(days=SEAM))
    history = [s for s in around if not start <= s.date <= last]
    problem = roster_problem(scenario, nights, history)
    roster = solve_roster(problem, time_limit=time_limit, num_workers=num_workers,
                          random_seed=random_seed, on_solution=on_solution)
    save_roster(session, plan_id, roster, replace=force)
    return RosterRun(plan_id, nights, new, roster, loads(problem, roster), len(taken))
