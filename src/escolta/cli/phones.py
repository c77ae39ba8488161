"""``escolta phones``: the handset inventory (add, list, retire) and the phone schedule.

Phones follow design.md section 4b: each handset is carried for D consecutive days (the
scenario's cycle) and then retired for good. ``escolta phones schedule`` names the handset of
each coming day, records it, retires each handset whose D days are assigned, and says when
the inventory runs out.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.labels import names_console
from escolta.protect.phones import (
    Handset,
    HandsetSchedule,
    cycle_length,
    cycle_sweep,
    schedule_handsets,
)
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario, load_scenario
from escolta.reports.calendar_events import PhoneEvent
from escolta.reports.habit_plots import plot_cycle_sweep
from escolta.store import open_store
from escolta.store import phones as phone_store

DbOption = Annotated[
    str | None, typer.Option("--db", help="The record (default: ESCOLTA_DB or per-user file).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only, on stdout.")]

phones_app = typer.Typer(help="Handsets the principal carries (design §4b).",
                         no_args_is_help=True)


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
    if len(set(labels)) != len(labels):
        twice = next(label for label, n in Counter(labels).items() if n > 1)
        raise InputError("LABEL", twice, "is given twice")
    with open_store(db) as store, store.transaction() as session:
        added = [phone_store.add_handset(session, label, notes) for label in labels]
    names_console().print(f"added {len(added)} handset(s): {', '.join(h.label for h in added)}")


@phones_app.command("retire")
def retire_command(
    label: Annotated[str, typer.Argument(metavar="LABEL", help="The handset to retire.")],
    db: DbOption = None,
) -> None:
    """Retire a handset for good: it is never issued again."""
    with open_store(db) as store, store.transaction() as session:
        handset = phone_store.retire_handset(session, label)
    names_console().print(f"retired {handset.label}")


@phones_app.command("list")
def list_command(
    db: DbOption = None,
    include_retired: Annotated[bool, typer.Option("--all", help="Show retired ones too.")] = False,
    as_json: JsonOption = False,
) -> None:
    """The inventory: each handset, the days it has been assigned, whether it is retired."""
    with open_store(db) as store, store.transaction() as session:
        handsets = phone_store.list_handsets(session, include_retired=include_retired)
        used = Counter(day.handset.label for day in phone_store.phone_days(session))
    rows = [{"label": h.label, "added": h.added_at.isoformat(timespec="seconds"),
             "days_assigned": used.get(h.label, 0),
             "retired": None if h.retired_at is None else
             h.retired_at.isoformat(timespec="seconds"), "notes": h.notes} for h in handsets]
    if as_json:
        sys.stdout.write(json.dumps({"handsets": rows}, indent=2) + "\n")
        return
    table = Table(title="Handsets")
    for column in ("label", "added", "days assigned", "retired", "notes"):
        table.add_column(column, justify="right" if column == "days assigned" else "left")
    for row in rows:
        table.add_row(row["label"], row["added"], str(row["days_assigned"]),
                      row["retired"] or "", row["notes"] or "")
    console = names_console()
    console.print(table)
    console.print(f"{sum(1 for h in handsets if not h.retired)} in service")


def inventory(session: Session) -> tuple[list[Handset], dt.date | None]:
    """The store's handsets as :class:`Handset` (days used = days assigned) and the last day
    already assigned a phone."""
    days = phone_store.phone_days(session)
    used = Counter(day.handset.label for day in days)
    handsets = [Handset(h.label, used.get(h.label, 0), h.retired)
                for h in phone_store.list_handsets(session, include_retired=True)]
    return handsets, (days[-1].date if days else None)


def record_handsets(session: Session, handsets: list[Handset], first: dt.date, days: int,
                    cycle: int) -> HandsetSchedule:
    """Schedule handsets from ``first`` and record it: each day's handset, and each handset
    whose D days are done retired (from the day after its last) so it is never issued again."""
    schedule = schedule_handsets(handsets, first, days, cycle)
    for entry in schedule.days:
        if entry.handset is not None:
            phone_store.assign_phone_day(session, entry.day, entry.handset, seeded=False)
    for label, last_day in schedule.retire:
        when = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time())
        phone_store.retire_handset(session, label, when)
    return schedule


def assign_phone_days(session: Session, scenario: Scenario, first: dt.date,
                      days: int) -> HandsetSchedule | None:
    """For ``escolta schedule``: give a handset to each of the days ``first..first+days-1``
    not yet assigned one (days already assigned keep theirs), continuing the cycle.

    ``None`` when the scenario has no phones or the record keeps no handsets at all.
    """
    if scenario.phones is None:
        return None
    handsets, last = inventory(session)
    if not handsets:
        return None
    cycle = cycle_length(scenario.phones.per_month, scenario.phones.max_days)
    end = first + dt.timedelta(days=days - 1)
    start = first if last is None else max(first, last + dt.timedelta(days=1))
    return record_handsets(session, handsets, start, max(0, (end - start).days + 1), cycle)


def phone_days_line(schedule: HandsetSchedule | None) -> str | None:
    """One line for the nightly schedule's output: when the handsets run out."""
    if schedule is None:
        return None
    return (f"phones: a {schedule.cycle_days}-day cycle; the handset inventory runs out on "
            f"{schedule.runs_out.isoformat()}")


def phone_context(schedule: HandsetSchedule | None,
                  events: Sequence[PhoneEvent]) -> dict[str, Any]:
    """For ``escolta schedule --json``: each day's handset and when the inventory runs out."""
    if schedule is None and not events:
        return {}
    return {"phones": {
        "handsets": {e.date.isoformat(): e.handset for e in events},
        "runs_out": None if schedule is None else schedule.runs_out.isoformat()}}


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
    scenario = load_scenario(scenario_file)
    if scenario.phones is None:
        raise InputError("phones", None, f"{scenario_file} has no phones section")
    cycle = cycle_length(scenario.phones.per_month, scenario.phones.max_days)
    with open_store(db) as store, store.transaction() as session:
        handsets, last = inventory(session)
        first = _start_day(start, last)
        if days > (dt.date.max - first).days:
            raise InputError("--days", days,
                             f"runs past the last date ({dt.date.max.isoformat()})")
        schedule = record_handsets(session, handsets, first, days, cycle)
    if as_json:
        sys.stdout.write(json.dumps(schedule.to_dict(), indent=2) + "\n")
        return
    print_schedule(names_console(), schedule)


@phones_app.command("sweep")
def sweep_command(
    scenario_file: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML.")],
    longest: Annotated[int, typer.Option("--max-days", min=1, help="Longest cycle tried.")] = 14,
    plot: Annotated[Path | None, typer.Option("--plot", help="Save the plot (PNG) here.")] = None,
    method: Annotated[str, typer.Option("--method", help="Nightly solver.")] = "auto",
    as_json: JsonOption = False,
) -> None:
    """The nightly risk against the cycle length D = 1..--max-days (what fresher phones buy)."""
    from escolta.protect.solve import solve_plan

    scenario = load_scenario(scenario_file)
    if scenario.phones is None:
        raise InputError("phones", None, f"{scenario_file} has no phones section")
    own = cycle_length(scenario.phones.per_month, scenario.phones.max_days)
    if plot is not None and plot.is_dir():
        raise InputError("--plot", str(plot), "is a directory; give a file name such as cycle.png")
    console = Console(stderr=True)
    with console.status("solving the nightly game for each cycle length"):
        points = cycle_sweep(scenario, range(1, longest + 1),
                             solve=lambda s: solve_plan(s, method=method))
    if plot is not None:
        plot = plot_cycle_sweep(points, plot, current=own)
    if as_json:
        sys.stdout.write(json.dumps({"cycle_days": own, "sweep": [
            {"cycle_days": p.cycle_days, "exposure": p.exposure, "risk": p.risk,
             "phone-tracker": p.tracker, "handsets_per_month": p.handsets_per_month,
             "allowed": p.allowed} for p in points]}, indent=2) + "\n")
        return
    table = Table(title="Risk against phone cycle length")
    for column in ("D (days)", "handsets / 30 days", "exposure", "tracker success", "risk"):
        table.add_column(column, justify="right")
    for p in points:
        mark = " (plan)" if p.cycle_days == own else ("" if p.allowed else " (over per_month)")
        table.add_row(f"{p.cycle_days}{mark}", f"{p.handsets_per_month:.1f}",
                      f"{p.exposure:.4f}", f"{p.tracker:.4f}", f"{p.risk:.6f}")
    out = names_console()
    out.print(table)
    if plot is not None:
        out.print(f"plot saved to {plot}")


def _start_day(start: str | None, last: dt.date | None) -> dt.date:
    if start is None:
        today = dt.date.today()
        return today if last is None else max(today, last + dt.timedelta(days=1))
    try:
        first = dt.date.fromisoformat(start)
    except ValueError:
        raise InputError("--start", start, "must be a date YYYY-MM-DD") from None
    if last is not None and first <= last:
        raise InputError("--start", start,
                         f"phones are already assigned up to {last.isoformat()}")
    return first


def print_schedule(console: Console, schedule: HandsetSchedule) -> None:
    """Each day's handset and its day in the cycle; the date the inventory runs out."""
    table = Table(title=f"Phones (a {schedule.cycle_days}-day cycle)")
    for column in ("date", "handset", "day of cycle"):
        table.add_column(column)
    for entry in schedule.days:
        table.add_row(entry.day.isoformat(), entry.handset or Text("none left", style="red"),
                      str(entry.day_in_cycle) if entry.handset else "")
    console.print(table)
    console.print(f"The inventory runs out on [bold]{schedule.runs_out.isoformat()}[/bold]"
                  " (add handsets with `escolta phones add`).", markup=True)


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
        f"(leak {scenario.phones.leak_per_day:g} a day).", markup=True
    )
