"""``escolta redteam SCENARIO``: the plan against simulated adversaries, learners and baselines.

Solves the scenario (as ``escolta plan`` does), simulates drawn schedules night after night
(:func:`escolta.redteam.report.run_redteam`, both cores, a progress bar on stderr) and prints a
readable report, or with ``--json`` only the JSON of
:meth:`escolta.redteam.report.RedTeamReport.to_dict` on stdout.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from escolta.cli.common import console, count_bar, esc, print_json, progress_bar, sees_label

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from escolta.protect.plan import Plan
    from escolta.protect.scenario import Scenario
    from escolta.redteam.report import RedTeamReport


def register(app: typer.Typer) -> None:
    """Add the ``redteam`` command to ``app``."""
    app.command("redteam")(redteam_command)


def redteam_command(
    scenario_file: Annotated[Path | None, typer.Argument(
        metavar="[SCENARIO]", help="Scenario YAML (or --scenarios DIR).")] = None,
    nights: Annotated[int, typer.Option("--nights", help="Nights per run (learners remember "
                                        "them all).")] = 5000,
    runs: Annotated[int, typer.Option("--runs", help="Independent runs per plan.")] = 8,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulation (simulation only; "
                                      "operational draws never use one).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    plots: Annotated[Path | None, typer.Option("--plots", metavar="DIR",
                                               help="Write PNG plots into DIR.")] = None,
    method: Annotated[str, typer.Option("--method", help="Solver: auto, fast, reference.")]
    = "auto",
    workers: Annotated[int | None, typer.Option("--workers", help="Processes (default: up to "
                                                "2, the cores there are).")] = None,
    plan_file: Annotated[Path | None, typer.Option(
        "--plan", metavar="PLAN_JSON",
        help="Test this exported plan (escolta plan --json) instead of solving.")] = None,
    scenarios: Annotated[Path | None, typer.Option(
        "--scenarios", metavar="DIR",
        help="Red-team every scenario file of DIR, on Dask (kept for resuming).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="With --scenarios: a Dask scheduler tcp://HOST:PORT (default: a "
        "local cluster of this machine's cores).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="With --scenarios: where the reports are kept (default: "
        "out/redteam/DIR).")] = None,
) -> None:
    """Measure the plan against simulated adversaries, learners and baselines."""
    from escolta.errors import InputError

    if (scenario_file is None) == (scenarios is None):
        raise InputError("SCENARIO", None if scenarios is None else str(scenario_file),
                         "give one scenario file, or --scenarios DIR")
    if scenarios is not None:
        if plan_file is not None or plots is not None:
            raise InputError("--scenarios", str(scenarios), "takes neither --plan nor --plots")
        _redteam_many(scenarios, nights=nights, runs=runs, seed=seed, method=method,
                      out=out, scheduler=scheduler, workers=workers, as_json=as_json)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from escolta.protect.scenario import load_scenario
    from escolta.protect.solve import solve_plan
    from escolta.redteam.baselines import baseline_plans
    from escolta.redteam.report import run_redteam
    from escolta.redteam.simulate import Settings

    scenario = load_scenario(scenario_file)
    settings = Settings(nights=nights, runs=runs, seed=seed,
                        workers=workers or max(1, min(2, os.cpu_count() or 1)))
    if plan_file is None:
        with progress_bar() as progress:
            plan = solve_plan(scenario, method=method, progress=progress)
    else:
        plan = read_plan(plan_file)
    err = console(stderr=True)
    total = settings.nights * settings.runs * (1 + len(baseline_plans(scenario)))
    # No refresh thread (auto_refresh=False): worker processes are forked while the bar is
    # up, and forking beside a running thread is not safe; the bar redraws after each run.
    with Progress(TextColumn("simulating"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("nights"), TimeElapsedColumn(), console=err,
                  transient=True, auto_refresh=False, disable=not err.is_terminal) as bar:
        task = bar.add_task("simulating", total=total)

        def advance(nights_done: int) -> None:
            bar.advance(task, nights_done)
            bar.refresh()

        report = run_redteam(scenario, plan, settings, advance=advance)
    written = [] if plots is None else _write_plots(report, plots)
    if as_json:
        print_json(report.to_dict())
        return
    out = console()
    print_report(out, scenario, report)
    for path in written:
        out.print(f"plot: {esc(path)}")


def _redteam_many(directory: Path, *, nights: int, runs: int, seed: int, method: str,
                  out: Path | None, scheduler: str | None, workers: int | None,
                  as_json: bool) -> None:
    from rich.table import Table

    from escolta.operations.redteam import redteam_scenarios

    with count_bar("red-teaming scenarios") as advance:
        results = redteam_scenarios(
            directory, nights=nights, runs=runs, seed=seed, method=method, out=out,
            scheduler=scheduler, workers=workers, advance=advance)
    if as_json:
        print_json({"scenarios": [r.to_dict() for r in results]})
        return
    table = Table(title=f"Red team of {len(results)} scenarios in {esc(directory)} "
                  f"({runs} runs x {nights} nights, seed {seed})")
    for column in ("scenario", "plan's risk", "simulated", "95% CI, %", "agree",
                   "best learner", "its success"):
        table.add_column(column, justify="left" if column in ("scenario", "best learner")
                         else "right")
    for result in results:
        simulated = result.simulated
        best = result.best_learner()
        table.add_row(esc(result.scenario), _pct(result.risk), _pct(simulated["success"]),
                      _ci(*simulated["ci"]), "yes" if result.all_agree else "[red]no[/red]",
                      esc(best[0].split("/")[0]) if best else "",
                      _pct(best[1]) if best else "")
    console().print(table)


def read_plan(path: Path) -> Plan:
    """A plan exported by ``escolta plan --json``; unreadable files are an InputError."""
    import json

    from escolta.errors import InputError
    from escolta.protect.plan import Plan

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("plan", str(path), "file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError("plan", str(path), f"is not a readable JSON plan: {error}") from None
    if not isinstance(data, dict):
        raise InputError("plan", str(path), "is not a plan export (a JSON object)")
    return Plan.from_dict(data)


def _write_plots(report: RedTeamReport, directory: Path) -> list[Path]:
    from escolta.redteam.plots import write_plots

    return write_plots(report, directory)


def _pct(p: float) -> str:
    return f"{100 * p:.2f}%"


def _ci(lo: float, hi: float) -> str:
    return f"{100 * lo:.2f}–{100 * hi:.2f}"


def print_report(console: Console, scenario: Scenario, report: RedTeamReport) -> None:
    """The report as Rich tables, then the verdict in sentences."""
    s = report.settings
    console.print(f"[bold]Red team for {esc(scenario.principal)}[/bold]: {s.runs} runs × "
                  f"{s.nights} nights per plan, seed {s.seed} (seeded simulation)")
    console.print(adversary_table(scenario, report))
    console.print(learner_table(report))
    if report.followers:
        from escolta.cli.chains import follower_table

        console.print(follower_table(report))
    console.print(baseline_table(report))
    console.print(predictability_table(report))
    console.print("[bold]Verdict[/bold]")
    for line in report.verdict_lines():
        console.print(f"• {esc(line)}")


def adversary_table(scenario: Scenario, report: RedTeamReport) -> Table:
    """Each §4 adversary: the plan's figure, the simulated success and its interval."""
    from rich.table import Table

    from escolta.protect.phones import fold_tracker

    table = Table(title="Adversaries of the scenario, played exactly (docs/design.md §4)")
    for column in ("adversary", "sees", "lead", "plan's figure", "simulated", "95% CI, %",
                   "agrees"):
        table.add_column(column, justify="left" if column in ("adversary", "sees") else "right")
    for adversary in fold_tracker(scenario)[0].adversaries:
        if adversary.name not in report.plan.adversaries:  # a road ambusher: not simulated
            continue
        o = report.plan.adversaries[adversary.name]
        sees = sees_label(adversary)
        table.add_row(esc(adversary.name), esc(sees), str(adversary.lead), _pct(o.predicted),
                      _pct(o.success.rate), _ci(o.success.low, o.success.high),
                      "yes" if o.agrees else "[red]no[/red]")
    o = report.plan.risk
    table.add_section()
    table.add_row("risk (weighted)", "", "", _pct(o.predicted), _pct(o.success.rate),
                  _ci(o.success.low, o.success.high), "yes" if o.agrees else "[red]no[/red]")
    return table


def learner_table(report: RedTeamReport) -> Table:
    """Each learner on the plan: success, the one-night figure, top-1 hit rate, chance."""
    from rich.table import Table

    table = Table(title="Learners, not told the odds (they watch where the principal slept)")
    for column in ("learner", "watches", "success", "95% CI, %", "one-night model", "top-1 hits",
                   "chance"):
        table.add_column(column, justify="left" if column in ("learner", "watches") else "right")
    for name, o in report.plan.learners.items():
        s = o.outcome.success
        flag = " [red]▲[/red]" if s.low > o.outcome.predicted else ""
        table.add_row(esc(name.split("/")[0]), esc(o.view), _pct(s.rate) + flag, _ci(s.low, s.high),
                      _pct(o.outcome.predicted), _pct(o.hits.rate), _pct(o.chance))
    return table


def baseline_table(report: RedTeamReport) -> Table:
    """The plan and each baseline: risk exact and simulated, and the best learner's success."""
    from rich.table import Table

    table = Table(title="The plan against the baselines (risk of the scenario's adversaries)")
    for column in ("plan", "exact risk", "simulated", "95% CI, %", "best learner", "its success"):
        table.add_column(column, justify="left" if column in ("plan", "best learner")
                         else "right")
    for name, o in [("plan", report.plan), *report.baselines.items()]:
        best = max(o.learners.values(), key=lambda x: x.outcome.success.rate, default=None)
        table.add_row(esc(name), _pct(o.risk.predicted), _pct(o.risk.success.rate),
                      _ci(o.risk.success.low, o.risk.success.high),
                      esc(best.name) if best else "",
                      _pct(best.outcome.success.rate) if best else "")
    return table


def predictability_table(report: RedTeamReport) -> Table:
    """Conditional entropy of the site sequence (bits) given 0–3 previous sites."""
    from rich.table import Table

    table = Table(title="Predictability of the site sequence: H(site | previous k sites), bits")
    orders = sorted(report.plan.entropy)
    table.add_column("plan")
    for k in orders:
        table.add_column(f"k={k}", justify="right")
    table.add_column("exact k=1", justify="right")
    table.add_column("best top-1 hits", justify="right")
    for name, o in [("plan", report.plan), *report.baselines.items()]:
        best = max((x.hits.rate for x in o.learners.values()), default=0.0)
        table.add_row(esc(name), *(f"{o.entropy.get(k, float('nan')):.3f}" for k in orders),
                      f"{o.exact_entropy[1]:.3f}", _pct(best))
    return table
