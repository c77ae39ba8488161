"""``escolta phones``: the handset inventory (add, list, retire) and the phone schedule.

Phones follow docs/design.md §4b: each handset is carried for D consecutive days (the
scenario's cycle) and then retired for good. ``escolta phones schedule`` names the handset of
each coming day, records it, retires each handset whose D days are assigned, and says when
the inventory runs out.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from escolta.cli.common import command_group, console, esc, print_json

if TYPE_CHECKING:
    from rich.console import Console

    from escolta.protect.phones import HandsetSchedule
    from escolta.protect.plan import Plan
    from escolta.protect.scenario import Scenario

DbOption = Annotated[
    str | None, typer.Option("--db", help="The record (default: ESCOLTA_DB or per-user file).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only, on stdout.")]

phones_app = command_group("phones", "Handsets the principal carries (docs/design.md §4b).")


def register(app: typer.Typer) -> None:
    """Add ``phones`` (add, list, retire, schedule) to the ``escolta`` command."""
    app.add_typer(phones_app, name="phones")


@phones_app.command("add")
def add_command(
    labels: Annotated[list[str], typer.Argument(metavar="LABEL...", help="Handset labels.")],
    db: DbOption = None,
    notes: Annotated[str | None, typer.Option("--notes", help="A note kept with each.")] = None,
) -> None:
    """Add handsets to the inventory (issued in the order added)."""
    from escolta.operations.phones import add_handsets
    from escolta.store import open_store

    with open_store(db) as store, store.transaction() as session:
        added = add_handsets(session, labels, notes)
    console().print(f"added {len(added)} handset(s): {esc(', '.join(h.label for h in added))}")


@phones_app.command("retire")
def retire_command(
    label: Annotated[str, typer.Argument(metavar="LABEL", help="The handset to retire.")],
    db: DbOption = None,
) -> None:
    """Retire a handset for good: it is never issued again."""
    from escolta.store import open_store
    from escolta.store import phones as phone_store

    with open_store(db) as store, store.transaction() as session:
        handset = phone_store.retire_handset(session, label)
    console().print(f"retired {esc(handset.label)}")


@phones_app.command("list")
def list_command(
    db: DbOption = None,
    include_retired: Annotated[bool, typer.Option("--all", help="Show retired ones too.")] = False,
    as_json: JsonOption = False,
) -> None:
    """The inventory: each handset, the days it has been assigned, whether it is retired."""
    from rich.table import Table

    from escolta.operations.phones import handset_rows
    from escolta.store import open_store

    with open_store(db) as store, store.transaction() as session:
        rows = handset_rows(session, include_retired=include_retired)
    if as_json:
        print_json({"handsets": rows})
        return
    table = Table(title="Handsets")
    for column in ("label", "added", "days assigned", "retired", "notes"):
        table.add_column(column, justify="right" if column == "days assigned" else "left")
    for row in rows:
        table.add_row(esc(row["label"]), row["added"], str(row["days_assigned"]),
                      row["retired"] or "", esc(row["notes"] or ""))
    out = console()
    out.print(table)
    out.print(f"{sum(1 for row in rows if row['retired'] is None)} in service")


@phones_app.command("schedule")
def schedule_command(
    scenario_file: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML.")],
    days: Annotated[int, typer.Option("--days", min=1, help="How many days to assign.")] = 14,
    start: Annotated[str | None, typer.Option(
        "--start", help="First day (YYYY-MM-DD); default: the day after the last assigned.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Name the handset of each coming day on the scenario's cycle and record it."""
    from escolta.errors import InputError
    from escolta.operations.dates import parse_date, today
    from escolta.operations.phones import schedule_phones
    from escolta.protect.scenario import load_scenario
    from escolta.store import open_store

    scenario = load_scenario(scenario_file)
    if scenario.phones is None:
        raise InputError("phones", None, f"{scenario_file} has no phones section")
    first = None if start is None else parse_date(start, "--start", today())
    with open_store(db) as store, store.transaction() as session:
        schedule = schedule_phones(session, scenario, first, days, today())
    if as_json:
        print_json(schedule.to_dict())
        return
    print_schedule(console(), schedule)


@phones_app.command("sweep")
def sweep_command(
    scenario_file: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML.")],
    longest: Annotated[int, typer.Option("--max-days", min=1, help="Longest cycle tried.")] = 14,
    plot: Annotated[Path | None, typer.Option("--plot", help="Save the plot (PNG) here.")] = None,
    method: Annotated[str, typer.Option("--method", help="Nightly solver.")] = "auto",
    as_json: JsonOption = False,
) -> None:
    """The nightly risk against the cycle length D = 1..--max-days (what fresher phones buy)."""
    from rich.table import Table

    from escolta.errors import InputError
    from escolta.protect.phones import cycle_length, cycle_sweep
    from escolta.protect.scenario import load_scenario
    from escolta.protect.solve import solve_plan
    from escolta.reports.habit_plots import plot_cycle_sweep

    scenario = load_scenario(scenario_file)
    if scenario.phones is None:
        raise InputError("phones", None, f"{scenario_file} has no phones section")
    own = cycle_length(scenario.phones.per_month, scenario.phones.max_days)
    if plot is not None and plot.is_dir():
        raise InputError("--plot", str(plot), "is a directory; give a file name such as cycle.png")
    with console(stderr=True).status("solving the nightly game for each cycle length"):
        points = cycle_sweep(scenario, range(1, longest + 1),
                             solve=lambda s: solve_plan(s, method=method))
    if plot is not None:
        plot = plot_cycle_sweep(points, plot, current=own)
    if as_json:
        print_json({"cycle_days": own, "sweep": [
            {"cycle_days": p.cycle_days, "exposure": p.exposure, "risk": p.risk,
             "phone-tracker": p.tracker, "handsets_per_month": p.handsets_per_month,
             "allowed": p.allowed} for p in points]})
        return
    table = Table(title="Risk against phone cycle length")
    for column in ("D (days)", "handsets / 30 days", "exposure", "tracker success", "risk"):
        table.add_column(column, justify="right")
    for p in points:
        mark = " (plan)" if p.cycle_days == own else ("" if p.allowed else " (over per_month)")
        table.add_row(f"{p.cycle_days}{mark}", f"{p.handsets_per_month:.1f}",
                      f"{p.exposure:.4f}", f"{p.tracker:.4f}", f"{p.risk:.6f}")
    out = console()
    out.print(table)
    if plot is not None:
        out.print(f"plot saved to {esc(plot)}")


def print_schedule(console: Console, schedule: HandsetSchedule) -> None:
    """Each day's handset and its day in the cycle; the date the inventory runs out."""
    from rich.table import Table

    table = Table(title=f"Phones (a {schedule.cycle_days}-day cycle)")
    for column in ("date", "handset", "day of cycle"):
        table.add_column(column)
    for entry in schedule.days:
        handset = esc(entry.handset) if entry.handset else "[red]none left[/red]"
        table.add_row(entry.day.isoformat(), handset,
                      str(entry.day_in_cycle) if entry.handset else "")
    console.print(table)
    console.print(f"The inventory runs out on [bold]{schedule.runs_out.isoformat()}[/bold]"
                  " (add handsets with `escolta phones add`).")


def print_phones_summary(console: Console, scenario: Scenario, plan: Plan) -> None:
    """The plan's phone figures, for the readable ``escolta plan`` report."""
    section = plan.extra.get("phones")
    if scenario.phones is None or section is None:
        return
    console.print(
        f"[bold]Phones[/bold]: a {section['cycle_days']}-day cycle "
        f"({30 / section['cycle_days']:g} handsets per 30 days, "
        f"per_month = {scenario.phones.per_month}); tonight's phone is known to the tracker "
        f"with probability {section['exposure']:.4f} "
        f"(leak {scenario.phones.leak_per_day:g} a day)."
    )
