"""``escolta roster``: staff the drawn nights with the people of the detail (docs/design.md §9).

Parses the options, calls :func:`escolta.operations.roster.roster_nights` and prints who
stands where each night, each person's load, and the roster's status, exposure and bound;
``--json`` prints ``{"status", "objective", "bound", "assignments": [...], ...}`` alone.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Annotated

import typer

from escolta.cli.common import DbOption, JsonOption, console, esc, print_json

if TYPE_CHECKING:
    from rich.console import Console

    from escolta.operations.roster import RosterRun


def register(app: typer.Typer) -> None:
    """Add ``roster`` to the ``escolta`` command."""
    app.command("roster")(roster_command)


def roster_command(
    days: Annotated[int, typer.Option("--days", help="How many nights to roster.")] = 14,
    start: Annotated[str | None, typer.Option("--start", help="First night (default: today); "
                                              "never in the past.")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds for CP-SAT; at "
                                              "the limit the best roster and its bound.")] = 60.0,
    workers: Annotated[int, typer.Option("--workers", help="CP-SAT workers (8 includes its "
                                         "LP-based ones).")] = 8,
    force: Annotated[bool, typer.Option("--force", help="Replace the roster of nights "
                                        "already rostered.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Staff the nights drawn in the record (drawing the missing ones first) with CP-SAT.

    Every rule of the scenario's ``roster`` holds, rolling windows included across rosters
    stored before and after; the insider exposure Σ (1 − trust) · nights with the principal
    is minimized and reported with CP-SAT's proven bound.
    """
    import dataclasses

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from escolta.operations.dates import parse_date, today
    from escolta.operations.roster import check_roster_span, draw_nights_to_roster, roster_nights
    from escolta.store import open_store

    first = parse_date(start, "--start", today())
    check_roster_span(first, days, time_limit, workers)
    # The draws are committed first: a roster that fails must not make the nights redrawable.
    with open_store(db) as store, store.transaction() as session:
        _, _, newly_drawn = draw_nights_to_roster(session, first, days)
    stderr = console(stderr=True)
    with open_store(db) as store, store.transaction() as session, Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=stderr, transient=True, disable=not stderr.is_terminal) as bar:
        task = bar.add_task("rostering with CP-SAT", total=None)

        def update(objective: float, bound: float) -> None:
            bar.update(task, description=f"rostering: exposure {objective:.6f}, "
                       f"bound {bound:.6f}")

        run = roster_nights(session, first, days, time_limit, num_workers=workers,
                            force=force, on_solution=update)
    run = dataclasses.replace(run, newly_drawn=newly_drawn)
    if as_json:
        print_json(run.to_dict())
        return
    print_roster(console(), run)


def print_roster(console: Console, run: RosterRun) -> None:
    """Who stands where each night, each person's load, and what CP-SAT proved."""
    from rich.table import Table

    r = run.roster
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    teams: list[str] = []
    for a in r.assignments:
        if a.team not in teams:
            teams.append(a.team)
        cells[(a.date.isoformat(), a.team)].append(f"{esc(a.position)}: {esc(a.person)}")
    table = Table(title=f"Roster (plan #{run.plan_id}); * = posted with the principal")
    table.add_column("night", no_wrap=True)
    for team in teams:
        table.add_column(esc(team), overflow="fold")
    for night in run.nights:
        day = night.date.isoformat()
        table.add_row(f"{day} {night.date:%a}\n{esc(night.site)}", *(
            ("* " if night.with_principal(team) else "") + "\n".join(cells[(day, team)])
            for team in teams))
    console.print(table)
    load = Table(title="Load")
    for column in ("person", "trust", "nights", "with principal", "exposure", "share"):
        load.add_column(column, justify="left" if column == "person" else "right")
    for x in run.loads:
        load.add_row(esc(x.person), f"{x.trust:.6g}", str(x.nights), str(x.with_principal),
                     f"{x.exposure:.6f}", f"{x.share:.1%}")
    console.print(load)
    gap = f", gap {r.gap:.2%}" if r.status != "optimal" else ""
    console.print(f"[bold]{r.status}[/bold]: insider exposure {r.objective:.6f}, proven bound "
                  f"{r.bound:.6f}{gap}, {r.seconds:.1f} s with {r.num_workers} workers"
                  + ("; balanced among equal trust" if r.balanced else ""))
    console.print(f"{len(r.assignments)} assignments stored for {len(run.nights)} nights "
                  f"({run.newly_drawn} nights newly drawn"
                  + (f", {run.replaced} rostered nights replaced" if run.replaced else "")
                  + ")")
