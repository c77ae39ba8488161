"""Planning a scenario: solve the nightly game, store the plan in force, plot it, sweep teams.

:func:`plan_scenario` is what ``escolta plan`` (and the web's plan page) does. The team
sweep, when asked, runs before anything is written, so a sweep interrupted or refused leaves
the record and the plot directory as they were. Planning an unchanged scenario again keeps
the plan in force and its number (:func:`escolta.store.record.save_plan`), so a night
already drawn stays drawn.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from escolta.errors import InputError
from escolta.protect.mix_effect import MixEffect, has_chain_adversary, mix_effect
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario, parse_scenario_text, read_scenario_text
from escolta.protect.solve import Progress, solve_plan
from escolta.reports.sweep import SweepPoint, sweep_teams
from escolta.store import open_store
from escolta.store.record import save_plan, save_scenario

#: ``advance(done, total)`` after each point of a sweep.
SweepProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class PlannedScenario:
    """A scenario planned: the plan, its number in the record, the plots, the team sweep."""

    scenario: Scenario
    plan: Plan
    plan_id: int
    record: Path
    plots: tuple[Path, ...]
    sweep: tuple[SweepPoint, ...]


def sweep_team_counts(scenario: Scenario, up_to: int, *, method: str = "auto",
                      time_limit: float | None = None,
                      progress: SweepProgress | None = None) -> tuple[SweepPoint, ...]:
    """The optimal risk with 0, 1, ..., ``up_to`` teams (what one more team buys)."""
    return tuple(sweep_teams(
        scenario, up_to, lambda s: solve_plan(s, method=method, time_limit=time_limit),
        progress=progress))


#: The solver a plan names, as a ``method`` to re-solve with.
_PLAN_METHODS = {"nightly": "fast", "reference": "reference"}


def chains_mix_effect(scenario: Scenario, plan: Plan) -> MixEffect | None:
    """What the scenario's ``mix`` rules buy against its hostile chains (docs/design.md §9):
    the scenario re-solved without them by the plan's own method; ``None`` without a chain
    adversary. Raises :class:`InputError` when the scenario without mixes is too large."""
    if not has_chain_adversary(scenario):
        return None
    method = _PLAN_METHODS.get(plan.solver.method or "", "auto")
    return mix_effect(scenario, plan=plan, method=method)


def plan_plots(scenario: Scenario, plan: Plan, directory: Path, sweep: tuple[SweepPoint, ...],
               *, method: str = "auto", time_limit: float | None = None) -> tuple[Path, ...]:
    """The plan's plots in ``directory`` (prepared by the caller): site odds, risk by
    adversary, the team sweep when there is one, and the phone and appearance habits."""
    from escolta.reports.habit_plots import write_habit_plots
    from escolta.reports.plots import plot_adversary_risk, plot_site_odds, plot_team_sweep

    written = [plot_site_odds(plan, directory / "site-odds.png"),
               plot_adversary_risk(scenario, plan, directory / "risk-by-adversary.png")]
    if sweep:
        written.append(plot_team_sweep(list(sweep), directory / "risk-by-teams.png",
                                       current=len(scenario.teams)))
    written += write_habit_plots(
        scenario, directory, lambda s: solve_plan(s, method=method, time_limit=time_limit))
    if plan.extra.get("routes"):  # docs/design.md §12: the convoy's map
        from escolta.protect.road_trips import road_context
        from escolta.reports.route_map import plot_route_map

        context = road_context(scenario)
        sites = {name: (context.graph.nodes[n]["lat"], context.graph.nodes[n]["lon"])
                 for name, n in context.nodes_of.items()}
        written.append(plot_route_map(plan, context.graph, sites, directory / "routes.png"))
    return tuple(written)


def check_plan_options(scenario: Scenario, *, plots: Path | None, sweep: int | None,
                       plots_parents: bool = False) -> None:
    """Refuse a bad team sweep or plot directory before the plan is solved."""
    from escolta.privacy import existing_parent
    from escolta.reports.sweep import check_sweep

    if sweep is not None:
        check_sweep(scenario, sweep)
    if plots is not None and not plots_parents:
        path = plots.expanduser()
        if path.is_symlink():
            raise InputError("--plots", str(path),
                             "is a symbolic link; escolta never writes through one")
        if path.exists() and not path.is_dir():
            raise InputError("--plots", str(path), "is a file, not a directory")
        if not path.exists():
            existing_parent(path, "--plots")


def plan_scenario(
    scenario_file: str | os.PathLike[str],
    *,
    db: str | os.PathLike[str] | None = None,
    method: str = "auto",
    time_limit: float | None = None,
    plots: Path | None = None,
    sweep: int | None = None,
    progress: Progress | None = None,
    sweep_progress: SweepProgress | None = None,
    scenario: Scenario | None = None,
    plots_parents: bool = False,
) -> PlannedScenario:
    """Solve a scenario file, store scenario and plan as the plan in force, plot, sweep.

    ``scenario``, when given, is the file already validated by the caller (it is not read
    twice for its meaning; its exact text is still what the record keeps).
    ``plots_parents`` lets the plot directory's missing parents be created (the default
    ``out/plots``); a directory the user names must have its parent already.
    """
    path = Path(scenario_file)
    text = read_scenario_text(path)
    if scenario is None:
        scenario = parse_scenario_text(text, origin=str(path))
    check_plan_options(scenario, plots=plots, sweep=sweep, plots_parents=plots_parents)
    plan = solve_plan(scenario, method=method, time_limit=time_limit, progress=progress)
    points: tuple[SweepPoint, ...] = ()
    if sweep is not None:
        points = sweep_team_counts(scenario, sweep, method=method, time_limit=time_limit,
                                   progress=sweep_progress)
    directory = None
    if plots is not None:
        from escolta.reports.plots import prepare_dir

        directory = prepare_dir(plots, option="--plots", create_parents=plots_parents)
    with open_store(db) as store, store.transaction() as session:
        stored_scenario = save_scenario(session, text, path.name)
        stored_plan = save_plan(session, stored_scenario.id, plan)
        record_path = store.path
    written: tuple[Path, ...] = ()
    if directory is not None:
        written = plan_plots(scenario, plan, directory, points, method=method,
                             time_limit=time_limit)
    return PlannedScenario(scenario, plan, stored_plan.id, record_path, written, points)
