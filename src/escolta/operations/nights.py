"""The plan in force, the night before a date, drawing tonight, and recording a night.

The rule that makes a randomized plan worth having lives here: a night already drawn for a
date is shown again, never redrawn (drawing until a convenient night comes up would undo
the randomization). Operational draws use the OS CSPRNG; a seed is for simulation only and
every seeded draw is marked where it is stored and shown (docs/design.md §6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.operations.dates import today
from escolta.protect.draws import draw_nights
from escolta.protect.plan import Night, Plan
from escolta.protect.route_draws import with_routes
from escolta.protect.scenario import Scenario, parse_scenario_text
from escolta.reports.exports import ScheduledNight
from escolta.reports.overrides import Assessment, assess_night
from escolta.store.record import (
    StoredPlan,
    drawn_night,
    get_scenario,
    last_spent_night,
    latest_plan,
    record_spent_night,
    save_drawn_nights,
)


@dataclass(frozen=True)
class PlanInForce:
    """The latest stored plan and the scenario it was solved for."""

    stored: StoredPlan
    scenario: Scenario
    scenario_name: str

    @property
    def plan(self) -> Plan:
        return self.stored.plan

    @property
    def plan_id(self) -> int:
        return self.stored.id


def plan_in_force(session: Session) -> PlanInForce:
    """The plan every draw comes from; an InputError when the record holds none yet."""
    stored = latest_plan(session)
    if stored is None:
        raise InputError("plan", None,
                         "the record holds no plan yet: run `escolta plan SCENARIO` first")
    scenario_row = get_scenario(session, stored.scenario_id)
    assert scenario_row is not None  # a foreign key guarantees it
    scenario = parse_scenario_text(scenario_row.text, origin=scenario_row.name)
    return PlanInForce(stored, scenario, scenario_row.name)


@dataclass(frozen=True)
class NightBefore:
    """The best knowledge of the night before a date: what, from where, how many days back."""

    night: Night | None
    date: dt.date | None
    source: str  # "recorded", "drawn" or "none"

    def describe(self) -> str:
        if self.night is None or self.date is None:
            return "no earlier night known: drawn from the plan's stationary odds"
        return f"conditioned on the night {self.source} for {self.date.isoformat()}"


def night_before(session: Session, plan_id: int, date: dt.date) -> NightBefore:
    """The night before ``date``: recorded, else drawn (unseeded), else the last recorded."""
    yesterday = date - dt.timedelta(days=1)
    spent = last_spent_night(session, before=date)
    if spent is not None and spent.date == yesterday:
        return NightBefore(spent.night, yesterday, "recorded")
    drawn = drawn_night(session, yesterday, plan_id=plan_id)
    if drawn is not None:
        return NightBefore(drawn.night, yesterday, "drawn")
    if spent is not None:
        return NightBefore(spent.night, spent.date, "recorded")
    return NightBefore(None, None, "none")


#: Most unrecorded nights drawn through between the last known night and the first date
#: drawn (beyond about a year the chain has long forgotten where it started).
MAX_GAP = 366


def draw_from(plan: Plan, before: NightBefore, start: dt.date, days: int,
              seed: int | None, then: Night | None = None) -> list[ScheduledNight]:
    """Draw ``days`` nights from ``start``; a gap after the known night is drawn through.

    When the last known night is ``g`` days before ``start``, the chain is run ``g - 1``
    unrecorded nights first, so tonight follows the ``g``-step law of the chain (a gap over
    :data:`MAX_GAP` starts from the stationary law instead: the chain has mixed by then).
    ``then`` is the night already drawn for the date after the run, if any: the run is then
    drawn conditioned on reaching it (:func:`escolta.protect.draws.draw_nights`).
    """
    gap = 1 if before.date is None else (start - before.date).days
    if gap > MAX_GAP:
        before, gap = NightBefore(None, None, "none"), 1
    draws = draw_nights(plan, gap - 1 + days, last=before.night, seed=seed, then=then)
    # docs/design.md §12: the day's route drawn with the night, conditioned on the pair
    nights = with_routes(plan, draws.nights, before.night, seed)[gap - 1:]
    return [ScheduledNight(start + dt.timedelta(days=k), night, draws.seeded)
            for k, night in enumerate(nights)]


@dataclass(frozen=True)
class DrawnSchedule:
    """The nights of a span: every date's night, those newly drawn, how the first was drawn."""

    nights: tuple[ScheduledNight, ...]
    new: tuple[ScheduledNight, ...]
    how: str


def draw_schedule(session: Session, plan: Plan, plan_id: int, start: dt.date, days: int,
                  seed: int | None) -> DrawnSchedule:
    """The nights from ``start``: those already drawn are kept, the others drawn and stored.

    Keeping earlier draws means no one can redraw until a convenient night comes up. Each
    run of dates not yet drawn is conditioned on the night before it. A seeded (simulation)
    schedule ignores earlier draws and draws every date afresh.
    """
    schedule: list[ScheduledNight] = []
    new: list[ScheduledNight] = []
    how = ""
    day = start
    end = start + dt.timedelta(days=days)
    while day < end:
        kept = None if seed is not None else drawn_night(session, day, plan_id=plan_id)
        if kept is not None:
            schedule.append(ScheduledNight(day, kept.night, kept.seeded))
            how = how or f"kept the night drawn earlier for {day.isoformat()}"
            day += dt.timedelta(days=1)
            continue
        run = 1
        while (day + dt.timedelta(days=run) < end and seed is None
               and drawn_night(session, day + dt.timedelta(days=run), plan_id=plan_id) is None):
            run += 1
        if schedule:
            previous = schedule[-1]
            before = NightBefore(previous.night, previous.date, "drawn")
        else:
            before = night_before(session, plan_id, day)
        how = how or before.describe()
        after = day + dt.timedelta(days=run)
        following = None if after >= end else drawn_night(session, after, plan_id=plan_id)
        drawn = draw_from(plan, before, day, run, seed,
                          then=None if following is None else following.night)
        save_drawn_nights(session, plan_id, [(e.date, e.night) for e in drawn],
                          seeded=seed is not None)
        schedule += drawn
        new += drawn
        day += dt.timedelta(days=run)
    return DrawnSchedule(tuple(schedule), tuple(new), how)


@dataclass(frozen=True)
class Tonight:
    """The night of a date, whether it was drawn just now, and how."""

    entry: ScheduledNight
    plan_id: int
    scenario_name: str
    new: bool
    how: str

    def to_dict(self) -> dict[str, object]:
        return {**self.entry.to_dict(), "plan_id": self.plan_id, "new": self.new,
                "how": self.how}


def draw_tonight(session: Session, date: dt.date, seed: int | None = None) -> Tonight:
    """The night of ``date`` from the plan in force: the one drawn earlier, else a fresh draw
    conditioned on the night before (stored). A seeded draw is always fresh and marked."""
    in_force = plan_in_force(session)
    plan_id = in_force.plan_id
    existing = None if seed is not None else drawn_night(session, date, plan_id=plan_id)
    if existing is not None:
        entry = ScheduledNight(date, existing.night, existing.seeded)
        return Tonight(entry, plan_id, in_force.scenario_name, False,
                       f"drawn earlier, at {existing.drawn_at:%Y-%m-%d %H:%M} UTC")
    before = night_before(session, plan_id, date)
    [entry] = draw_from(in_force.plan, before, date, 1, seed)
    save_drawn_nights(session, plan_id, [(date, entry.night)], seeded=entry.seeded)
    return Tonight(entry, plan_id, in_force.scenario_name, True, before.describe())


def parse_posts(posts: Sequence[str], scenario: Scenario) -> dict[str, str]:
    """``TEAM=SITE`` items as a mapping, each team and site checked against the scenario."""
    teams = {t.name for t in scenario.teams}
    sites = [s.name for s in scenario.sites]
    out: dict[str, str] = {}
    for item in posts:
        team, sep, site = item.partition("=")
        team, site = team.strip(), site.strip()
        if not sep or not team or not site:
            raise InputError("--post", item, "must be TEAM=SITE")
        if team not in teams:
            raise InputError("--post", team, f"no such team (teams: {', '.join(sorted(teams))})")
        if site not in sites:
            raise InputError("--post", site, f"no such site (sites: {', '.join(sites)})")
        if team in out and out[team] != site:
            raise InputError("--post", team, f"is posted twice ({out[team]} and {site}): a "
                             "team stands at one site")
        out[team] = site
    return out


def night_spent(scenario: Scenario, site: str, room: int, posts: Mapping[str, str],
                drawn: Night | None) -> Night:
    """The night as spent: the site and room given, each team where ``posts`` says, else as
    drawn for the date (a team neither given nor drawn is an InputError)."""
    names = [s.name for s in scenario.sites]
    if site not in names:
        raise InputError("--site", site, f"no such site (sites: {', '.join(names)})")
    rooms = scenario.site(site).rooms
    if not 1 <= room <= rooms:
        raise InputError("--room", room, f"{site} has rooms 1 to {rooms}")
    full: dict[str, str] = {}
    for team in scenario.teams:
        if team.name in posts:
            full[team.name] = posts[team.name]
        elif drawn is not None:
            full[team.name] = drawn.posts[team.name]  # as drawn for the date
        else:
            raise InputError("--post", team.name,
                             "no night was drawn for this date: say where this team stood "
                             "(--post TEAM=SITE)")
    return Night(p=0.0, site=site, room=room, posts=full)


@dataclass(frozen=True)
class RecordedNight:
    """A night written to the record, what it cost against the plan, whether it replaced one."""

    date: dt.date
    night: Night
    plan_id: int
    replaced: bool
    assessment: Assessment

    def to_dict(self) -> dict[str, object]:
        return {"date": self.date.isoformat(), "site": self.night.site, "room": self.night.room,
                "posts": dict(self.night.posts), "plan_id": self.plan_id,
                "replaced": self.replaced, **self.assessment.to_dict()}


def assess_spent(session: Session, date: dt.date, site: str, room: int,
                 posts: Sequence[str] = ()) -> tuple[PlanInForce, Night, Assessment]:
    """Price a night before it is recorded (what a chief is warned of): the plan in force,
    the night as it would be recorded, and its assessment against the plan."""
    in_force = plan_in_force(session)
    plan_id = in_force.plan_id
    drawn = drawn_night(session, date, plan_id=plan_id)
    night = night_spent(in_force.scenario, site, room, parse_posts(posts, in_force.scenario),
                        None if drawn is None else drawn.night)
    before = night_before(session, plan_id, date)
    known_yesterday = (before.night if before.date == date - dt.timedelta(days=1)
                       else None)  # recorded, else drawn; an older night says too little
    assessment = assess_night(in_force.scenario, in_force.plan, night,
                              yesterday=known_yesterday,
                              drawn=None if drawn is None else drawn.night)
    return in_force, night, assessment


def record_night(session: Session, date: dt.date, site: str, room: int = 1,
                 posts: Sequence[str] = ()) -> RecordedNight:
    """Record the night actually spent on ``date`` (not in the future); an override (a night
    other than the one drawn, or one the plan never draws) is priced and kept with it."""
    if date > today():
        raise InputError("--date", date.isoformat(),
                         f"is in the future (today is {today().isoformat()})")
    in_force, night, assessment = assess_spent(session, date, site, room, posts)
    _, replaced = record_spent_night(
        session, date, night, plan_id=in_force.plan_id, override=assessment.override,
        cost=assessment.to_dict() if assessment.flagged else None)
    return RecordedNight(date, night, in_force.plan_id, replaced, assessment)
