"""``escolta plan SCENARIO``: the optimal nightly plan; ``escolta schema``: the scenario schema.

The command parses its options, calls :func:`escolta.operations.planning.plan_scenario`
(solve, store as the plan in force, plots, team sweep) and shows the result
(:mod:`escolta.cli.plan_summary`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from escolta.cli.common import DbOption, console, count_bar, esc, print_json, progress_bar

#: The nightly solvers (``escolta.protect.solve.METHODS``; a test keeps the two equal, so
#: the help is right without loading the solvers at start-up).
METHODS = ("auto", "fast", "reference")
DEFAULT_PLOTS = Path("out/plots")

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the plan as JSON (docs/design.md §5).")
]
MethodOption = Annotated[
    str, typer.Option("--method", help=f"Solver: {', '.join(METHODS)}.", show_default=True)
]
TimeLimitOption = Annotated[
    float | None, typer.Option("--time-limit", help="Seconds before returning the best plan.")
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


def register(app: typer.Typer) -> None:
    """Add ``plan`` and ``schema`` to the ``escolta`` command."""
    app.command("plan")(plan_command)
    app.command("schema")(schema_command)


def plan_command(
    scenario_file: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML.")],
    as_json: JsonOption = False,
    method: MethodOption = "auto",
    time_limit: TimeLimitOption = None,
    db: DbOption = None,
    plots: PlotsOption = DEFAULT_PLOTS,
    no_plots: NoPlotsOption = False,
    sweep_teams: SweepOption = None,
) -> None:
    """Compute the risk-minimizing nightly plan of a scenario, store it, plot it."""
    from escolta.cli.plan_summary import print_plan_summary
    from escolta.operations.planning import plan_scenario
    from escolta.protect.scenario import load_scenario

    scenario = load_scenario(scenario_file)  # a mistake in the file: before any solving
    with progress_bar() as progress, count_bar("sweeping teams") as sweep_progress:
        planned = plan_scenario(
            scenario_file, db=db, method=method, time_limit=time_limit,
            plots=None if no_plots else plots, sweep=sweep_teams, progress=progress,
            sweep_progress=sweep_progress, scenario=scenario,
            plots_parents=plots == DEFAULT_PLOTS)
    if as_json:
        print_json(planned.plan.to_dict())
    else:
        print_plan_summary(console(), planned.scenario, planned.plan)
    err = console(stderr=True)
    for point in planned.sweep:
        err.print(f"  {point.teams} teams: risk {point.risk:.6f} ({point.status})")
    err.print(f"plan #{planned.plan_id} in force in {esc(planned.record)}")
    for path in planned.plots:
        err.print(f"wrote {esc(path)}")


def schema_command() -> None:
    """Print the JSON Schema of scenario files (for editors)."""
    from escolta.protect.scenario import scenario_json_schema

    print_json(scenario_json_schema())
