"""Running the plan: ``escolta tonight``, ``schedule``, ``record`` and ``report``.

Each command parses its options, calls the service layer (:mod:`escolta.operations`) inside
one transaction of the record (``--db``, ``ESCOLTA_DB`` or the per-user default), and prints
readable Rich output, or JSON alone on stdout with ``--json``. The rules (never redraw a
drawn night, price an override, CSPRNG draws, seeded draws marked) live in the service layer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from escolta.cli.common import DbOption, JsonOption, SeedOption, console, esc, print_json

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from escolta.operations.report import RecordReport
    from escolta.protect.plan import Night
    from escolta.reports.overrides import Assessment


def register(app: typer.Typer) -> None:
    """Add ``tonight``, ``schedule``, ``record`` and ``report`` to the ``escolta`` command."""
    app.command("tonight")(tonight_command)
    app.command("schedule")(schedule_command)
    app.command("record")(record_command)
    app.command("report")(report_command)


def post_lines(night: Night) -> list[str]:
    """Where the teams stand, grouped by site, the principal's site first (markup-safe)."""
    by_site: dict[str, list[str]] = {}
    for team, post in sorted(night.posts.items()):
        by_site.setdefault(post, []).append(esc(team))
    lines = []
    if night.site in by_site:
        lines.append("with the principal: " + ", ".join(by_site.pop(night.site)))
    lines += [f"{esc(site)}: {', '.join(teams)}" for site, teams in by_site.items()]
    return lines


def seeded_mark() -> str:
    from escolta.reports.exports import SEEDED_MARK

    return esc(SEEDED_MARK)


def tonight_command(
    date: Annotated[str | None, typer.Option("--date", help="The night's date, YYYY-MM-DD "
                                             "(default: today).")] = None,
    seed: SeedOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Draw tonight's night from the latest plan, conditioned on the last night recorded.

    A night already drawn for the date (from the same plan, not seeded) is shown again, not
    redrawn: drawing until a convenient night comes up would undo the randomization.
    """
    from escolta.operations.dates import parse_date, today
    from escolta.operations.nights import draw_tonight
    from escolta.store import open_store

    night_date = parse_date(date, "--date", today())
    with open_store(db) as store, store.transaction() as session:
        tonight = draw_tonight(session, night_date, seed)
    if as_json:
        print_json(tonight.to_dict())
        return
    out = console()
    entry = tonight.entry
    mark = f"[bold red]{seeded_mark()}[/bold red] " if entry.seeded else ""
    out.print(f"{mark}[bold]Tonight, {night_date.isoformat()}[/bold]: "
              f"{esc(entry.night.site)}, room {entry.night.room}")
    for line in post_lines(entry.night):
        out.print(f"    {line}")
    if entry.night.route is not None:  # docs/design.md §12: only the driver needs the nodes
        out.print(f"    convoy: {_route_size(entry.night.route)} (escolta route)")
    source = "a seed" if entry.seeded else "the OS CSPRNG"
    how = tonight.how + (f", from {source}" if tonight.new else "")
    out.print(f"plan #{tonight.plan_id} ({esc(tonight.scenario_name)}); {esc(how)}")


def schedule_command(
    days: Annotated[int, typer.Option("--days", help="How many nights to draw.")],
    start: Annotated[str | None, typer.Option("--start", help="First night, YYYY-MM-DD "
                                              "(default: today); never in the past.")] = None,
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
    from escolta.operations.dates import parse_date, today
    from escolta.operations.schedule import check_span, schedule_nights
    from escolta.reports.exports import csv_text, ics_text, write_private
    from escolta.store import open_store

    first = parse_date(start, "--start", today())
    check_span(first, days)
    with open_store(db) as store, store.transaction() as session:
        schedule = schedule_nights(session, first, days, seed)
    written = []
    if ics is not None:
        written.append(write_private(ics, ics_text(
            list(schedule.nights), principal=schedule.principal, phones=list(schedule.phones),
            appearances=list(schedule.appearances)), option="--ics"))
    if csv_file is not None:
        written.append(write_private(csv_file, csv_text(list(schedule.nights)), option="--csv"))
    if as_json:
        print_json(schedule.to_dict())
        return
    out = console()
    mark = f"  [bold red]{seeded_mark()}[/bold red]" if seed is not None else ""
    out.print(f"[bold]Schedule for {esc(schedule.principal)}[/bold] "
              f"(plan #{schedule.plan_id}){mark}")
    for entry in schedule.nights:
        out.print(f"[bold]{entry.date.isoformat()} {entry.date:%a}[/bold]  "
                  f"{esc(entry.night.site)}, room {entry.night.room}")
        for line in post_lines(entry.night):
            out.print(f"    {line}")
        if entry.night.route is not None:  # docs/design.md §12
            out.print(f"    convoy: {_route_size(entry.night.route)}")
        for event in (e for e in schedule.phones if e.date == entry.date):
            out.print(f"    phone: handset {esc(event.handset)} (day {event.day_in_cycle})")
    source = f"seed {seed} (simulation only)" if seed is not None else "the OS CSPRNG"
    out.print(f"{len(schedule.new)} of {len(schedule.nights)} nights newly drawn from "
              f"{source}; first: {esc(schedule.how)}.")
    if schedule.handsets is not None:
        handsets = schedule.handsets
        out.print(f"phones: a {handsets.cycle_days}-day cycle; the handset inventory runs out "
                  f"on {handsets.runs_out.isoformat()}")
    for path in written:
        out.print(f"wrote {esc(path)}")


def record_command(
    site: Annotated[str, typer.Option("--site", help="Where the principal slept.")],
    room: Annotated[int, typer.Option("--room", help="The room (from 1).")] = 1,
    post: Annotated[list[str] | None, typer.Option(
        "--post", help="TEAM=SITE, repeatable; teams not named stood as drawn.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="The night's date, YYYY-MM-DD "
                                             "(default: today).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record the night actually spent; an override is priced against the plan."""
    from escolta.operations.dates import parse_date, today
    from escolta.operations.nights import record_night
    from escolta.store import open_store

    night_date = parse_date(date, "--date", today())
    with open_store(db) as store, store.transaction() as session:
        recorded = record_night(session, night_date, site, room, post or [])
    if as_json:
        print_json(recorded.to_dict())
        return
    out = console()
    verb = "Replaced the record of" if recorded.replaced else "Recorded"
    out.print(f"{verb} {night_date.isoformat()}: {esc(recorded.night.site)}, "
              f"room {recorded.night.room}")
    for line in post_lines(recorded.night):
        out.print(f"    {line}")
    if recorded.assessment.flagged:
        out.print(cost_table(recorded.assessment))


def cost_table(assessment: Assessment) -> Table:
    """Each adversary's success that night against the plan's figure."""
    from rich.table import Table

    title = ("Override" if assessment.override else "Rare night") + ": " + "; ".join(
        assessment.reasons)
    table = Table(title=esc(title))
    table.add_column("adversary")
    table.add_column("that night", justify="right")
    table.add_column("plan", justify="right")
    table.add_column("change", justify="right")
    assert assessment.adversaries is not None
    for name, plan_value in assessment.plan_adversaries.items():
        tonight = assessment.adversaries.get(name)
        if tonight is None:
            table.add_row(esc(name), "-", f"{plan_value:.2%}", "")
            continue
        marker = " (sees the change)" if name in assessment.unseen else ""
        table.add_row(esc(name) + marker, f"{tonight:.2%}", f"{plan_value:.2%}",
                      f"{tonight - plan_value:+.2%}")
    if assessment.risk is not None:
        table.add_row("[bold]risk[/bold]", f"{assessment.risk:.4f}",
                      f"{assessment.plan_risk:.4f}",
                      f"{assessment.risk - assessment.plan_risk:+.4f}")
    return table


def report_command(
    plots: Annotated[Path | None, typer.Option(
        "--plots", help="Also write plots of the record to this directory.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show the record: the plan in force, nights spent, overrides and what they cost."""
    from escolta.operations.report import record_report
    from escolta.store import open_store

    with open_store(db) as store, store.transaction() as session:
        report = record_report(session)
        record_path = store.path
    written: list[Path] = []
    if plots is not None:
        from collections import Counter

        from escolta.reports.plots import plot_override_costs, plot_site_odds, prepare_dir

        directory = prepare_dir(plots, option="--plots")
        plan = report.in_force.plan
        counts = Counter(s.night.site for s in report.spent)
        written.append(plot_site_odds(plan, directory / "record-site-odds.png",
                                      spent=dict(counts) if report.spent else None))
        written.append(plot_override_costs(list(report.spent), plan.risk,
                                           directory / "record-override-costs.png"))
    data = report.to_dict()
    data["plots"] = [str(p) for p in written]
    if as_json:
        print_json(data)
        return
    print_report(console(), report, record_path, written)


def print_report(out: Console, report: RecordReport, record_path: Path,
                 plots: list[Path]) -> None:
    from rich.table import Table

    data = report.to_dict()
    plan = data["plan"]
    out.print(f"[bold]Record[/bold] {esc(record_path)}")
    out.print(f"plan in force: #{plan['id']} ({esc(plan['scenario'])}), risk "
              f"{plan['risk']:.6f}, {plan['status']}, stored {plan['created_at']} UTC")
    draws = data["draws"]
    out.print(f"nights drawn: {draws['total']} ({draws['seeded']} seeded, simulation only)")
    if draws["dates_drawn_more_than_once"]:
        out.print("[yellow]dates drawn more than once[/yellow] (redrawing undoes the "
                  "randomization): " + ", ".join(draws["dates_drawn_more_than_once"]))
    nights = data["nights_spent"]
    if nights["count"] == 0:
        out.print("nights spent: none recorded yet (`escolta record --site SITE`)")
    else:
        out.print(f"nights spent: {nights['count']}, {nights['first']} to {nights['last']}")
        table = Table(title="Where the principal slept")
        table.add_column("site")
        table.add_column("share of nights", justify="right")
        table.add_column("plan", justify="right")
        for share in report.sites:
            table.add_row(esc(share.site), f"{share.spent:.1%}", f"{share.plan:.1%}")
        out.print(table)
    overrides = data["overrides"]
    if overrides:
        table = Table(title="Overrides and rare nights")
        for column in ("date", "night", "why", "risk that night", "plan risk"):
            table.add_column(column, justify="right" if "risk" in column else "left",
                             no_wrap=column == "date", overflow="fold")
        for item in overrides:
            risk = "-" if item["risk"] is None else f"{item['risk']:.4f}"
            plan_risk = "-" if item["plan_risk"] is None else f"{item['plan_risk']:.4f}"
            table.add_row(item["date"], f"{esc(item['site'])}, room {item['room']}",
                          esc("; ".join(item["reasons"])), risk, plan_risk)
        out.print(table)
    elif nights["count"]:
        out.print("overrides: none")
    for path in plots:
        out.print(f"wrote {esc(path)}")


def _route_size(route: tuple[int, ...]) -> str:
    """"a drawn route of N segments" (one segment: no plural)."""
    segments = len(route) - 1
    return f"a drawn route of {segments} segment{'' if segments == 1 else 's'}"
