"""``escolta appearances SCENARIO --week DATE``: solve the weekly appearance plan, draw this
week's set with the OS CSPRNG, record it, and show it (docs/design.md §4c and §6).

A week already drawn is refused unless ``--force``: drawing again until a set pleases would
undo the randomization. ``--seed`` is for simulation only, and the draw is then marked seeded
in the record and in the output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from escolta.cli.common import SeedOption, console, esc, print_json

if TYPE_CHECKING:
    from rich.console import Console

    from escolta.operations.appearances import AppearanceWeek
    from escolta.protect.appearances import NoticePoint, WeekDraw
    from escolta.protect.plan import Plan
    from escolta.protect.scenario import Appearances, Scenario


def register(app: typer.Typer) -> None:
    """Add ``appearances`` to the ``escolta`` command."""
    app.command("appearances")(appearances_command)


def appearances_command(
    scenario_file: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML.")],
    week: Annotated[str, typer.Option(
        "--week", help="A date (YYYY-MM-DD) in the week to draw (weeks start on Monday).")],
    db: Annotated[str | None, typer.Option(
        "--db", help="The record (default: ESCOLTA_DB or per-user file).")] = None,
    seed: SeedOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Draw again a week already drawn (replaces the record).")] = False,
    method: Annotated[str, typer.Option(
        "--method", help="auto, enumerate or column_generation.")] = "auto",
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Save the risk-against-notice plot (PNG) here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only, on stdout.")] = False,
) -> None:
    """Draw this week's public appearances and record them."""
    from escolta.errors import InputError
    from escolta.operations.appearances import appearances_of, draw_appearance_week
    from escolta.operations.dates import parse_date, today
    from escolta.protect.scenario import load_scenario
    from escolta.reports.habit_plots import plot_notice_sweep
    from escolta.store import open_store

    scenario = load_scenario(scenario_file)
    appearances = appearances_of(scenario, scenario_file)
    day = parse_date(week, "--week", today())
    if plot is not None and plot.is_dir():
        raise InputError("--plot", str(plot), "is a directory; give a file name such as notice.png")
    if plot is not None:
        from escolta.privacy import existing_parent

        existing_parent(plot.expanduser(), "--plot")  # before the week is drawn and recorded
    with open_store(db) as store, console(stderr=True).status(
            "solving the weekly appearance plan"):
        drawn = draw_appearance_week(store, appearances, day, seed=seed, force=force,
                                     method=method)
    if plot is not None:
        plot = plot_notice_sweep(drawn.sweep, plot, current=appearances.announce_hours)
    if as_json:
        print_json(week_json(drawn))
        return
    out = console()
    print_week(out, appearances, drawn.monday, drawn.draw)
    print_appearance_plan(out, appearances, drawn.plan.to_dict())
    print_notice_sweep(out, appearances, drawn.sweep)
    if plot is not None:
        out.print(f"plot saved to {esc(plot)}")


def slot_rows(appearances: Appearances, monday: dt.date,
              slots: tuple[int, ...]) -> list[dict[str, Any]]:
    """The chosen slots with their dates, in time order."""
    from escolta.protect.appearances import slot_start

    rows = []
    for index in slots:
        slot = appearances.slots[index]
        start = slot_start(slot, monday)
        rows.append({"slot": index, "venue": slot.venue, "start": start.isoformat(),
                     "end": (start + dt.timedelta(hours=slot.hours)).isoformat(),
                     "success": slot.success})
    return sorted(rows, key=lambda row: row["start"])


def week_json(drawn: AppearanceWeek) -> dict[str, Any]:
    """What ``--json`` prints: the week's slots, the draw's origin, the plan and the sweep."""
    return {
        "week": drawn.monday.isoformat(),
        "slots": slot_rows(drawn.appearances, drawn.monday, drawn.draw.slots),
        "seeded": drawn.draw.seeded,
        "seed": drawn.draw.seed,
        "appearances": drawn.plan.to_dict(),
        "notice_sweep": [{"announce_hours": p.announce_hours, "risk": p.risk,
                          "informed": list(p.informed)} for p in drawn.sweep],
    }


def print_week(console: Console, appearances: Appearances, monday: dt.date,
               draw: WeekDraw) -> None:
    from rich.table import Table

    from escolta.reports.exports import SEEDED_MARK

    title = f"Appearances, week of {monday.isoformat()}"
    if draw.seeded:
        title += f" {esc(SEEDED_MARK)} (seed {draw.seed})"
    table = Table(title=title)
    for column in ("day", "start", "venue", "success"):
        table.add_column(column, justify="right" if column == "success" else "left")
    for row in slot_rows(appearances, monday, draw.slots):
        start = dt.datetime.fromisoformat(row["start"])
        table.add_row(f"{start:%a %Y-%m-%d}", f"{start:%H:%M}", esc(row["venue"]),
                      f"{row['success']:.2f}")
    console.print(table)
    console.print(f"Announce each appearance {appearances.announce_hours:g} h ahead, no earlier.")


def print_appearance_plan(console: Console, appearances: Appearances,
                          section: dict[str, Any]) -> None:
    """The weekly plan: risk, each adversary, the sets and their probabilities."""
    from rich.table import Table

    solver = section.get("solver", {})
    console.print(f"[bold]Weekly appearance risk[/bold] {section['risk']:.6f} "
                  f"(kept apart from the nightly risk; {solver.get('method', '')}, "
                  f"{solver.get('status', '')}, lower bound {solver.get('lower_bound', 0):.6f})")
    table = Table(title="Appearance adversaries")
    for column in ("adversary", "weight", "prep (h)", "knows the set", "success"):
        table.add_column(column, justify="left" if column == "adversary" else "right")
    for adversary in appearances.adversaries:
        informed = adversary.prep_hours <= appearances.announce_hours
        table.add_row(esc(adversary.name), f"{adversary.weight:g}", f"{adversary.prep_hours:g}",
                      "yes" if informed else "no",
                      f"{section['adversaries'].get(adversary.name, 0.0):.4f}")
    console.print(table)
    sets = sorted(section["sets"], key=lambda s: -s["p"])
    table = Table(title=f"Sets of {appearances.per_week} slots ({len(sets)} in the plan)")
    table.add_column("p", justify="right")
    table.add_column("slots")
    for week in sets[:12]:
        names = ", ".join(
            f"{appearances.slots[i].day} {appearances.slots[i].start} {appearances.slots[i].venue}"
            for i in sorted(week["slots"], key=lambda i: appearances.slots[i].week_hour))
        table.add_row(f"{week['p']:.4f}", esc(names))
    if len(sets) > 12:
        table.add_row("...", f"{len(sets) - 12} more")
    console.print(table)


def print_notice_sweep(console: Console, appearances: Appearances,
                       sweep: tuple[NoticePoint, ...]) -> None:
    """Risk against ``announce_hours``: what a shorter (or longer) notice would change."""
    from rich.table import Table

    table = Table(title="Risk against the notice given (announce_hours)")
    for column in ("notice (h)", "adversaries who learn the set", "weekly risk"):
        table.add_column(column, justify="left" if column.startswith("adv") else "right")
    for point in sweep:
        mark = " (plan)" if point.announce_hours == appearances.announce_hours else ""
        table.add_row(f"{point.announce_hours:g}{mark}", esc(", ".join(point.informed)) or "-",
                      f"{point.risk:.6f}")
    console.print(table)
    notice = appearances.announce_hours
    current = [p for p in sweep if p.announce_hours == notice]
    if not current:
        return
    # the risk is a step function of the notice: constant on [h_j, h_{j+1}) between sweep
    # points, so a notice under h_{j+1} gets the risk of h_j
    for point, above in zip(sweep, sweep[1:], strict=False):
        if point.announce_hours < notice and point.risk < current[0].risk - 1e-12:
            console.print(f"A notice shorter than {above.announce_hours:g} h (such as "
                          f"{point.announce_hours:g} h) would lower the weekly risk from "
                          f"{current[0].risk:.6f} to {point.risk:.6f}.")


def print_appearances_summary(console: Console, scenario: Scenario, plan: Plan) -> None:
    """The appearance part of the readable ``escolta plan`` report."""
    from escolta.protect.appearances import notice_sweep

    section = plan.extra.get("appearances")
    if scenario.appearances is None or section is None:
        return
    print_appearance_plan(console, scenario.appearances, section)
    print_notice_sweep(console, scenario.appearances, notice_sweep(scenario.appearances))
