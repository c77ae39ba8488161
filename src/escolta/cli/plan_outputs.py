"""What ``escolta plan`` does after solving: store the plan, write plots, sweep the teams.

Kept apart from :mod:`escolta.cli.plan` so that command stays a thin sequence of calls; it
calls :func:`plan_outputs` once. Messages go to stderr so ``--json`` stdout stays clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from escolta.errors import InputError
from escolta.labels import names_console
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario, read_scenario_text
from escolta.reports.sweep import SweepPoint, sweep_teams

DEFAULT_PLOTS = Path("out/plots")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="The record (SQLite file) the plan is stored in. Default: "
                 "$ESCOLTA_DB, else $XDG_DATA_HOME/escolta/escolta.db.", show_default=False),
]
PlotsOption = Annotated[
    Path, typer.Option("--plots", help="Directory for the plots written beside the summary.")
]
NoPlotsOption = Annotated[bool, typer.Option("--no-plots", help="Write no plots.")]
SweepOption = Annotated[
    int | None,
    typer.Option("--sweep-teams", help="Also re-solve with 0..N teams and plot the risk "
                 "against the number of teams.", show_default=False),
]


@dataclass(frozen=True)
class PlanOutputs:
    """Where the plan went: its id in the record, the plots written, the sweep's points."""

    plan_id: int
    record: Path
    plots: tuple[Path, ...]
    sweep: tuple[SweepPoint, ...]


def plan_outputs(
    scenario_file: Path,
    scenario: Scenario,
    plan: Plan,
    *,
    db: Path | None,
    plots: Path | None,
    sweep: int | None,
    method: str = "auto",
    time_limit: float | None = None,
) -> PlanOutputs:
    """Store the scenario and plan in the record; write the plots; run the team sweep.

    The sweep (when asked) runs before anything is written, so a sweep interrupted or
    refused leaves the record and the plot directory as they were.
    """
    # matplotlib and the record load only when a plan is actually being stored
    from escolta.protect.solve import solve_plan
    from escolta.reports.plots import (
        plot_adversary_risk,
        plot_site_odds,
        plot_team_sweep,
        prepare_dir,
    )
    from escolta.store import open_store
    from escolta.store.record import save_plan, save_scenario

    points: list[SweepPoint] = []
    if sweep is not None:
        console = Console(stderr=True)
        with Progress(TextColumn("sweeping teams"), BarColumn(), MofNCompleteColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task("sweep", total=sweep + 1)
            points = sweep_teams(
                scenario, sweep,
                lambda s: solve_plan(s, method=method, time_limit=time_limit),
                progress=lambda done, _total: bar.update(task, completed=done),
            )
    directory = None if plots is None else prepare_dir(
        plots, option="--plots", create_parents=plots == DEFAULT_PLOTS)
    text = read_scenario_text(scenario_file)
    with open_store(db) as store, store.transaction() as session:
        stored_scenario = save_scenario(session, text, scenario_file.name)
        stored_plan = save_plan(session, stored_scenario.id, plan)
        record_path = store.path
    written: list[Path] = []
    if directory is not None:
        written.append(plot_site_odds(plan, directory / "site-odds.png"))
        written.append(plot_adversary_risk(scenario, plan, directory / "risk-by-adversary.png"))
        if points:
            written.append(plot_team_sweep(points, directory / "risk-by-teams.png",
                                           current=len(scenario.teams)))
        from escolta.reports.habit_plots import write_habit_plots  # phones, appearances

        written += write_habit_plots(
            scenario, directory, lambda s: solve_plan(s, method=method, time_limit=time_limit))
    return PlanOutputs(stored_plan.id, record_path, tuple(written), tuple(points))


def check_options(scenario: Scenario, *, plots: Path | None, sweep: int | None) -> None:
    """Refuse a bad ``--sweep-teams`` or ``--plots`` before the plan is solved."""
    from escolta.privacy import existing_parent
    from escolta.reports.sweep import check_sweep

    if sweep is not None:
        check_sweep(scenario, sweep)
    if plots is not None and plots != DEFAULT_PLOTS:
        path = plots.expanduser()
        if path.is_symlink():
            raise InputError("--plots", str(path),
                             "is a symbolic link; escolta never writes through one")
        if path.exists() and not path.is_dir():
            raise InputError("--plots", str(path), "is a file, not a directory")
        if not path.exists():
            existing_parent(path, "--plots")


def print_outputs(outputs: PlanOutputs, console: Console | None = None) -> None:
    """Say where the plan was stored and the plots written (stderr by default)."""
    console = console or names_console(stderr=True, soft_wrap=True)
    if outputs.sweep:
        for point in outputs.sweep:
            console.print(f"  {point.teams} teams: risk {point.risk:.6f} ({point.status})")
    console.print(f"plan #{outputs.plan_id} in force in {outputs.record}")
    for path in outputs.plots:
        console.print(f"wrote {path}")
