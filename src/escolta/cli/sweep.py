"""``escolta sweep SPEC.yaml``: solve a grid of scenario variants on Dask, table and plot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from escolta.cli.common import JsonOption, console, count_bar, esc, print_json


def register(app: typer.Typer) -> None:
    """Add ``sweep`` to the ``escolta`` command."""
    app.command("sweep")(sweep_command)


def sweep_command(
    spec_file: Annotated[Path, typer.Argument(metavar="SPEC", help="Sweep file (YAML).")],
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="A Dask scheduler tcp://HOST:PORT (default: a local cluster of "
        "this machine's cores).")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Local worker processes (default: the cores).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Directory the results are kept in (default: out/sweeps/SPEC); an "
        "interrupted sweep run again resumes from it.")] = None,
    method: Annotated[str, typer.Option("--method", help="Nightly solver.")] = "auto",
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", help="Seconds per variant before its best plan and bound.")] = None,
    no_plot: Annotated[bool, typer.Option("--no-plot", help="Write no plot.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Solve every variant of a sweep exactly (on Dask) and show risk against each axis."""
    from rich.table import Table

    from escolta.operations.sweep import load_sweep, solve_sweep
    from escolta.sweeps.plot import axis_label

    loaded = load_sweep(spec_file, out)  # every variant checked before the bar comes up
    with count_bar("solving variants") as advance:
        outcome = solve_sweep(loaded, scheduler=scheduler, workers=workers, method=method,
                              time_limit=time_limit, plot=not no_plot, advance=advance)
    if as_json:
        print_json(outcome.to_dict())
        return
    names = [a.name for a in outcome.spec.axes]
    table = Table(title=f"Sweep of {esc(outcome.spec.scenario)} ({len(outcome.results)} variants)")
    for name in names:
        table.add_column(esc(name))
    for column in ("risk", "lower bound", "status", "weekly appearances", "seconds"):
        table.add_column(column, justify="right")
    for result in outcome.results:
        table.add_row(*(esc(axis_label(result.setting[n])) for n in names),
                      f"{result.risk:.6f}", f"{result.lower_bound:.6f}", result.status,
                      "-" if result.appearance_risk is None else f"{result.appearance_risk:.6f}",
                      f"{result.seconds:.2f}")
    out_console = console()
    out_console.print(table)
    out_console.print(f"results kept in {esc(outcome.directory)} (run again to resume)")
    if outcome.plot is not None:
        out_console.print(f"wrote {esc(outcome.plot)}")
