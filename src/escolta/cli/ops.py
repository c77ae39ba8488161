"""Running the plan: ``escolta tonight``, ``schedule``, ``record`` and ``report``.

Each command opens the record (``--db``, ``ESCOLTA_DB`` or the per-user default), does all
its writes in one transaction, and prints readable Rich output, or JSON alone on stdout with
``--json``. Operational draws use the OS CSPRNG; ``--seed`` is for simulation and every
seeded draw is marked as such where it is stored and shown (design.md section 6).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session

from escolta.cli.phones import assign_phone_days, phone_context, phone_days_line
from escolta.errors import InputError
from escolta.labels import names_console, shown
from escolta.protect.draws import draw_nights
from escolta.protect.plan import Night, Plan
from escolta.protect.scenario import Scenario, parse_scenario_text
from escolta.reports.calendar_events import recorded_events
from escolta.reports.exports import (
    SEEDED_MARK,
    ScheduledNight,
    csv_text,
    ics_text,
    schedule_json,
    write_private,
)
from escolta.reports.overrides import Assessment, assess_night
from escolta.store import open_store
from escolta.store.record import (
    StoredPlan,
    drawn_night,
    drawn_nights,
    get_scenario,
    last_spent_night,
    latest_plan,
    record_spent_night,
    save_drawn_nights,
    spent_nights,
)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="The record (SQLite file). Default: $ESCOLTA_DB, else "
                 "$XDG_DATA_HOME/escolta/escolta.db.", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only, on stdout.")]
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", help="Simulation only: draw from this seed (marked SEEDED)."),
]


def register(app: typer.Typer) -> None:
    """Add ``tonight``, ``schedule``, ``record`` and ``report`` to the ``escolta`` command."""
    app.command("tonight")(tonight_command)
    app.command("schedule")(schedule_command)
    app.command("record")(record_command)
    app.command("report")(report_command)


# --------------------------------------------------------------------------- shared steps


def parse_date(value: str | None, option: str, default: dt.date) -> dt.date:
    """A ``YYYY-MM-DD`` option, or ``default`` when absent (InputError naming the option)."""
    if value is None:
        return default
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(option, value, "must be a date YYYY-MM-DD") from None
    if parsed in (dt.date.min, dt.date.max):  # the night before or after must exist too
        raise InputError(option, value, f"must lie after {dt.date.min.isoformat()} and "
                         f"before {dt.date.max.isoformat()}")
    return parsed


def today() -> dt.date:
    """The local calendar date (the evening a night starts)."""
    return dt.date.today()


@dataclass(frozen=True)
class PlanInForce:
    """The latest stored plan and the scenario it was solved for."""

    stored: StoredPlan
    scenario: Scenario
    scenario_name: str

    @property
    def plan(self) -> Plan:
        return self.stored.plan


def plan_in_force(session: Session) -> PlanInForce:
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


def draw_from(plan: Plan, before: NightBefore, start: dt.date, days: int,
              seed: int | None) -> list[ScheduledNight]:
    """Draw ``days`` nights from ``start``; a gap after the known night is drawn through.

    When the last known night is ``g`` days before ``start``, the chain is run ``g - 1``
    unrecorded nights first, so tonight follows the ``g``-step law of the chain.
    """
    gap = 1 if before.date is None else (start - before.date).days
    draws = draw_nights(plan, gap - 1 + days, last=before.night, seed=seed)
    nights = draws.nights[gap - 1:]
    return [ScheduledNight(start + dt.timedelta(days=k), night, draws.seeded)
            for k, night in enumerate(nights)]


def draw_schedule(session: Session, plan: Plan, plan_id: int, start: dt.date, days: int,
                  seed: int | None) -> tuple[list[ScheduledNight], list[ScheduledNight], str]:
    """The nights from ``start``: those already drawn are kept, the others drawn and stored.

    Keeping earlier draws means no one can redraw until a convenient night comes up. Each
    run of dates not yet drawn is conditioned on the night before it. A seeded (simulation)
    schedule ignores earlier draws and draws every date afresh.

    Returns the whole schedule, the nights newly drawn, and how the first was conditioned.
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
        drawn = draw_from(plan, before, day, run, seed)
        save_drawn_nights(session, plan_id, [(e.date, e.night) for e in drawn],
                          seeded=seed is not None)
        schedule += drawn
        new += drawn
        day += dt.timedelta(days=run)
    return schedule, new, how


def _post_lines(night: Night) -> list[str]:
    """Where the teams stand, grouped by site, the principal's site first."""
    by_site: dict[str, list[str]] = {}
    for team, post in sorted(night.posts.items()):
        by_site.setdefault(post, []).append(team)
    lines = []
    if night.site in by_site:
        lines.append("with the principal: " + ", ".join(by_site.pop(night.site)))
    lines += [f"{site}: {', '.join(teams)}" for site, teams in by_site.items()]
    return lines


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


# --------------------------------------------------------------------------- tonight


def tonight_command(
    date: Annotated[str | None, typer.Option("--date", help="The night's date (default: "
                                             "today).")] = None,
    seed: SeedOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Draw tonight's night from the latest plan, conditioned on the last night recorded.

    A night already drawn for the date (from the same plan, not seeded) is shown again, not
    redrawn: drawing until a convenient night comes up would undo the randomization.
    """
    night_date = parse_date(date, "--date", today())
    with open_store(db) as store, store.transaction() as session:
        in_force = plan_in_force(session)
        plan_id = in_force.stored.id
        existing = None if seed is not None else drawn_night(session, night_date,
                                                             plan_id=plan_id)
        if existing is not None:
            entry = ScheduledNight(night_date, existing.night, existing.seeded)
            how = f"drawn earlier, at {existing.drawn_at:%Y-%m-%d %H:%M} UTC"
            new = False
        else:
            before = night_before(session, plan_id, night_date)
            [entry] = draw_from(in_force.plan, before, night_date, 1, seed)
            save_drawn_nights(session, plan_id, [(night_date, entry.night)],
                              seeded=entry.seeded)
            how = before.describe()
            new = True
    if as_json:
        _print_json({**entry.to_dict(), "plan_id": plan_id, "new": new, "how": how})
        return
    console = names_console(soft_wrap=True)
    mark = f"[bold red]{SEEDED_MARK}[/bold red] " if entry.seeded else ""
    console.print(f"{mark}[bold]Tonight, {night_date.isoformat()}[/bold]: "
                  f"{shown(entry.night.site)}, room {entry.night.room}", markup=True)
    for line in _post_lines(entry.night):
        console.print(f"    {line}")
    source = "a seed" if entry.seeded else "the OS CSPRNG"
    console.print(f"plan #{plan_id} ({in_force.scenario_name}); "
                  f"{how if not new else how + f', from {source}'}")


# --------------------------------------------------------------------------- schedule


def schedule_command(
    days: Annotated[int, typer.Option("--days", help="How many nights to draw.")],
    start: Annotated[str | None, typer.Option("--start", help="First night (default: "
                                              "today); never in the past.")] = None,
    ics: Annotated[Path | None, typer.Option("--ics", help="Write an iCalendar file.")] = None,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Write a CSV file.")] = None,
    as_json: JsonOption = False,
    seed: SeedOption = None,
    db: DbOption = None,
) -> None:
    """Draw the next nights from the latest plan, store them, and export them.

    The first night is conditioned on the night before it (recorded, else drawn); each night
    after on the one before, as the plan's Markov chain says.
    """
    if days < 1:
        raise InputError("--days", days, "must be at least 1")
    first = parse_date(start, "--start", today())
    if first < today():
        raise InputError("--start", first.isoformat(),
                         f"is in the past (today is {today().isoformat()})")
    if days > (dt.date.max - first).days:
        raise InputError("--days", days, f"runs past the last date ({dt.date.max.isoformat()})")
    with open_store(db) as store, store.transaction() as session:
        in_force = plan_in_force(session)
        plan_id = in_force.stored.id
        schedule, new, how = draw_schedule(session, in_force.plan, plan_id, first, days, seed)
        handsets = assign_phone_days(session, in_force.scenario, first, days)  # design §4b
        phones, appearances = recorded_events(  # design §4b, §4c: handsets and appearances
            session, in_force.scenario, first, first + dt.timedelta(days=days - 1))
    principal = in_force.scenario.principal
    written = []
    if ics is not None:
        written.append(write_private(ics, ics_text(schedule, principal=principal, phones=phones,
                                              appearances=appearances),
                                     option="--ics"))
    if csv_file is not None:
        written.append(write_private(csv_file, csv_text(schedule), option="--csv"))
    if as_json:
        _print_json(schedule_json(schedule, plan_id=plan_id, principal=principal, how=how,
                                  newly_drawn=len(new), **phone_context(handsets, phones)))
        return
    console = names_console(soft_wrap=True)
    mark = f"  [bold red]{SEEDED_MARK}[/bold red]" if seed is not None else ""
    console.print(f"[bold]Schedule for {shown(principal)}[/bold] (plan #{plan_id}){mark}",
                  markup=True)
    for entry in schedule:
        console.print(f"[bold]{entry.date.isoformat()} {entry.date:%a}[/bold]  "
                      f"{shown(entry.night.site)}, room {entry.night.room}", markup=True)
        for line in _post_lines(entry.night):
            console.print(f"    {line}")
        for event in (e for e in phones if e.date == entry.date):
            console.print(f"    phone: handset {event.handset} (day {event.day_in_cycle})")
    source = f"seed {seed} (simulation only)" if seed is not None else "the OS CSPRNG"
    console.print(f"{len(new)} of {len(schedule)} nights newly drawn from {source}; "
                  f"first: {how}.")
    if handsets is not None:
        console.print(phone_days_line(handsets))
    for path in written:
        console.print(f"wrote {path}")


# --------------------------------------------------------------------------- record


def _parse_posts(posts: Sequence[str], scenario: Scenario) -> dict[str, str]:
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


def _night_spent(scenario: Scenario, site: str, room: int, posts: Sequence[str],
                 drawn: Night | None) -> Night:
    names = [s.name for s in scenario.sites]
    if site not in names:
        raise InputError("--site", site, f"no such site (sites: {', '.join(names)})")
    rooms = scenario.site(site).rooms
    if not 1 <= room <= rooms:
        raise InputError("--room", room, f"{site} has rooms 1 to {rooms}")
    given = _parse_posts(posts, scenario)
    full: dict[str, str] = {}
    for team in scenario.teams:
        if team.name in given:
            full[team.name] = given[team.name]
        elif drawn is not None:
            full[team.name] = drawn.posts[team.name]  # as drawn for the date
        else:
            raise InputError("--post", team.name,
                             "no night was drawn for this date: say where this team stood "
                             "(--post TEAM=SITE)")
    return Night(p=0.0, site=site, room=room, posts=full)


def record_command(
    site: Annotated[str, typer.Option("--site", help="Where the principal slept.")],
    room: Annotated[int, typer.Option("--room", help="The room (from 1).")] = 1,
    post: Annotated[list[str] | None, typer.Option(
        "--post", help="TEAM=SITE, repeatable; teams not named stood as drawn.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="The night's date (default: "
                                             "today).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record the night actually spent; an override is priced against the plan."""
    night_date = parse_date(date, "--date", today())
    if night_date > today():
        raise InputError("--date", night_date.isoformat(),
                         f"is in the future (today is {today().isoformat()})")
    with open_store(db) as store, store.transaction() as session:
        in_force = plan_in_force(session)
        plan_id = in_force.stored.id
        drawn = drawn_night(session, night_date, plan_id=plan_id)
        night = _night_spent(in_force.scenario, site, room, post or [],
                             None if drawn is None else drawn.night)
        before = night_before(session, plan_id, night_date)
        known_yesterday = (before.night if before.date == night_date - dt.timedelta(days=1)
                           else None)  # recorded, else drawn; an older night says too little
        assessment = assess_night(in_force.scenario, in_force.plan, night,
                                  yesterday=known_yesterday,
                                  drawn=None if drawn is None else drawn.night)
        _, replaced = record_spent_night(
            session, night_date, night, plan_id=plan_id, override=assessment.override,
            cost=assessment.to_dict() if assessment.flagged else None)
    if as_json:
        _print_json({"date": night_date.isoformat(), "site": night.site, "room": night.room,
                     "posts": dict(night.posts), "plan_id": plan_id, "replaced": replaced,
                     **assessment.to_dict()})
        return
    console = names_console(soft_wrap=True)
    verb = "Replaced the record of" if replaced else "Recorded"
    console.print(f"{verb} {night_date.isoformat()}: {night.site}, room {night.room}")
    for line in _post_lines(night):
        console.print(f"    {line}")
    if assessment.flagged:
        console.print(cost_table(assessment))


def cost_table(assessment: Assessment) -> Table:
    """Each adversary's success that night against the plan's figure."""
    title = ("Override" if assessment.override else "Rare night") + ": " + "; ".join(
        assessment.reasons)
    table = Table(title=title)
    table.add_column("adversary")
    table.add_column("that night", justify="right")
    table.add_column("plan", justify="right")
    table.add_column("change", justify="right")
    assert assessment.adversaries is not None
    for name, plan_value in assessment.plan_adversaries.items():
        tonight = assessment.adversaries.get(name)
        if tonight is None:
            table.add_row(name, "-", f"{plan_value:.2%}", "")
            continue
        marker = " (sees the change)" if name in assessment.unseen else ""
        table.add_row(name + marker, f"{tonight:.2%}", f"{plan_value:.2%}",
                      f"{tonight - plan_value:+.2%}")
    if assessment.risk is not None:
        table.add_row(Text("risk", style="bold"), f"{assessment.risk:.4f}",
                      f"{assessment.plan_risk:.4f}",
                      f"{assessment.risk - assessment.plan_risk:+.4f}")
    return table


# --------------------------------------------------------------------------- report


def report_data(session: Session) -> dict[str, Any]:
    """What the record says: the plan in force, nights drawn, nights spent, overrides."""
    in_force = plan_in_force(session)
    plan = in_force.plan
    spent = spent_nights(session)
    draws = drawn_nights(session)
    seeded = sum(1 for d in draws if d.seeded)
    per_date = Counter(d.date for d in draws if not d.seeded)
    site_counts = Counter(s.night.site for s in spent)
    flagged = [s for s in spent if s.cost is not None]
    return {
        "plan": {"id": in_force.stored.id, "scenario": in_force.scenario_name,
                 "risk": plan.risk, "status": plan.solver.status,
                 "created_at": in_force.stored.created_at.isoformat(timespec="seconds")},
        "draws": {"total": len(draws), "seeded": seeded,
                  "dates_drawn_more_than_once": sorted(d.isoformat() for d, n in
                                                       per_date.items() if n > 1)},
        "nights_spent": {
            "count": len(spent),
            "first": spent[0].date.isoformat() if spent else None,
            "last": spent[-1].date.isoformat() if spent else None,
            "sites": {site.name: {"spent": site_counts.get(site.name, 0) / len(spent)
                                  if spent else 0.0,
                                  "plan": plan.site_probability.get(site.name, 0.0)}
                      for site in in_force.scenario.sites},
        },
        "overrides": [
            {"date": s.date.isoformat(), "site": s.night.site, "room": s.night.room,
             "override": s.override, "reasons": (s.cost or {}).get("reasons", []),
             "risk": (s.cost or {}).get("risk"),
             "plan_risk": (s.cost or {}).get("plan", {}).get("risk"),
             "adversaries": (s.cost or {}).get("adversaries")}
            for s in flagged
        ],
    }


def report_command(
    plots: Annotated[Path | None, typer.Option(
        "--plots", help="Also write plots of the record to this directory.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show the record: the plan in force, nights spent, overrides and what they cost."""
    with open_store(db) as store, store.transaction() as session:
        data = report_data(session)
        record_path = store.path
        spent = spent_nights(session)
        plan = plan_in_force(session).plan
    written: list[Path] = []
    if plots is not None:
        from escolta.reports.plots import plot_override_costs, plot_site_odds, prepare_dir

        directory = prepare_dir(plots, option="--plots")
        counts = Counter(s.night.site for s in spent)
        written.append(plot_site_odds(plan, directory / "record-site-odds.png",
                                      spent=dict(counts) if spent else None))
        written.append(plot_override_costs(spent, plan.risk,
                                           directory / "record-override-costs.png"))
    data["plots"] = [str(p) for p in written]
    if as_json:
        _print_json(data)
        return
    _print_report(names_console(soft_wrap=True), data, record_path)


def _print_report(console: Console, data: dict[str, Any], record_path: Path) -> None:
    plan = data["plan"]
    console.print(f"[bold]Record[/bold] {shown(record_path)}", markup=True)
    console.print(f"plan in force: #{plan['id']} ({plan['scenario']}), risk "
                  f"{plan['risk']:.6f}, {plan['status']}, stored {plan['created_at']} UTC")
    draws = data["draws"]
    console.print(f"nights drawn: {draws['total']} ({draws['seeded']} seeded, simulation only)")
    if draws["dates_drawn_more_than_once"]:
        console.print("[yellow]dates drawn more than once[/yellow] (redrawing undoes the "
                      "randomization): " + ", ".join(draws["dates_drawn_more_than_once"]),
                      markup=True)
    nights = data["nights_spent"]
    if nights["count"] == 0:
        console.print("nights spent: none recorded yet (`escolta record --site SITE`)")
    else:
        console.print(f"nights spent: {nights['count']}, {nights['first']} to {nights['last']}")
        table = Table(title="Where the principal slept")
        table.add_column("site")
        table.add_column("share of nights", justify="right")
        table.add_column("plan", justify="right")
        for site, shares in nights["sites"].items():
            table.add_row(site, f"{shares['spent']:.1%}", f"{shares['plan']:.1%}")
        console.print(table)
    overrides = data["overrides"]
    if overrides:
        table = Table(title="Overrides and rare nights")
        for column in ("date", "night", "why", "risk that night", "plan risk"):
            table.add_column(column, justify="right" if "risk" in column else "left",
                             no_wrap=column == "date", overflow="fold")
        for item in overrides:
            risk = "-" if item["risk"] is None else f"{item['risk']:.4f}"
            plan_risk = "-" if item["plan_risk"] is None else f"{item['plan_risk']:.4f}"
            table.add_row(item["date"], f"{item['site']}, room {item['room']}",
                          "; ".join(item["reasons"]), risk, plan_risk)
        console.print(table)
    elif nights["count"]:
        console.print("overrides: none")
    for path in data["plots"]:
        console.print(f"wrote {path}")
