"""``escolta redteam SCENARIO``: the plan against simulated adversaries, learners and baselines.

Solves the scenario (as ``escolta plan`` does), simulates drawn schedules night after night
(:func:`escolta.redteam.report.run_redteam`, both cores, a progress bar on stderr) and prints a
readable report, or with ``--json`` only the JSON of
:meth:`escolta.redteam.report.RedTeamReport.to_dict` on stdout.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from escolta.cli.plan import compute_plan
from escolta.errors import InputError
from escolta.labels import names_console, shown
from escolta.protect.phones import fold_tracker
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario, load_scenario
from escolta.redteam.baselines import baseline_plans
from escolta.redteam.report import RedTeamReport, run_redteam
from escolta.redteam.simulate import Settings


def register(app: typer.Typer) -> None:
    """Add the ``redteam`` command to ``app``."""
    app.command("redteam")(redteam_command)


def redteam_command(
    scenario_file: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML.")],
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
) -> None:
    """Measure the plan against simulated adversaries, learners and baselines."""
    scenario = load_scenario(scenario_file)
    settings = Settings(nights=nights, runs=runs, seed=seed,
                        workers=workers or max(1, min(2, os.cpu_count() or 1)))
    plan = (compute_plan(scenario, method=method) if plan_file is None
            else read_plan(plan_file))
    console = Console(stderr=True)
    total = settings.nights * settings.runs * (1 + len(baseline_plans(scenario)))
    # No refresh thread (auto_refresh=False): worker processes are forked while the bar is
    # up, and forking beside a running thread is not safe; the bar redraws after each run.
    with Progress(TextColumn("simulating"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("nights"), TimeElapsedColumn(), console=console,
                  transient=True, auto_refresh=False, disable=not console.is_terminal) as bar:
        task = bar.add_task("simulating", total=total)

        def advance(nights_done: int) -> None:
            bar.advance(task, nights_done)
            bar.refresh()

        report = run_redteam(scenario, plan, settings, advance=advance)
    written = [] if plots is None else _write_plots(report, plots)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
        return
    print_report(names_console(), scenario, report)
    for path in written:
        names_console().print(f"plot: {path}")


def read_plan(path: Path) -> Plan:
    """A plan exported by ``escolta plan --json``; unreadable files are an InputError."""
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


_NO = Text("no", style="red")


def print_report(console: Console, scenario: Scenario, report: RedTeamReport) -> None:
    """The report as Rich tables, then the verdict in sentences."""
    s = report.settings
    console.print(f"[bold]Red team for {shown(scenario.principal)}[/bold]: {s.runs} runs × "
                  f"{s.nights} nights per plan, seed {s.seed} (seeded simulation)", markup=True)
    console.print(adversary_table(scenario, report))
    console.print(learner_table(report))
    console.print(baseline_table(report))
    console.print(predictability_table(report))
    console.print("Verdict", style="bold")
    for line in report.verdict_lines():
        console.print(f"• {line}")


def adversary_table(scenario: Scenario, report: RedTeamReport) -> Table:
    """Each §4 adversary: the plan's figure, the simulated success and its interval."""
    table = Table(title="Adversaries of the scenario, played exactly (design §4)")
    for column in ("adversary", "sees", "lead", "plan's figure", "simulated", "95% CI, %",
                   "agrees"):
        table.add_column(column, justify="left" if column in ("adversary", "sees") else "right")
    for adversary in fold_tracker(scenario)[0].adversaries:
        o = report.plan.adversaries[adversary.name]
        sees = adversary.sees_kind if adversary.insider_team is None else (
            f"team {adversary.insider_team}" + (" (sabotage)" if adversary.sabotage else ""))
        table.add_row(adversary.name, sees, str(adversary.lead), _pct(o.predicted),
                      _pct(o.success.rate), _ci(o.success.low, o.success.high),
                      "yes" if o.agrees else _NO)
    o = report.plan.risk
    table.add_section()
    table.add_row("risk (weighted)", "", "", _pct(o.predicted), _pct(o.success.rate),
                  _ci(o.success.low, o.success.high), "yes" if o.agrees else _NO)
    return table


def learner_table(report: RedTeamReport) -> Table:
    """Each learner on the plan: success, the one-night figure, top-1 hit rate, chance."""
    table = Table(title="Learners, not told the odds (they watch where the principal slept)")
    for column in ("learner", "watches", "success", "95% CI, %", "one-night model", "top-1 hits",
                   "chance"):
        table.add_column(column, justify="left" if column in ("learner", "watches") else "right")
    for name, o in report.plan.learners.items():
        s = o.outcome.success
        flag = " ▲" if s.low > o.outcome.predicted else ""
        table.add_row(name.split("/")[0], o.view, Text.assemble(_pct(s.rate), (flag, "red")),
                      _ci(s.low, s.high),
                      _pct(o.outcome.predicted), _pct(o.hits.rate), _pct(o.chance))
    return table


def baseline_table(report: RedTeamReport) -> Table:
    """The plan and each baseline: risk exact and simulated, and the best learner's success."""
    table = Table(title="The plan against the baselines (risk of the scenario's adversaries)")
    for column in ("plan", "exact risk", "simulated", "95% CI, %", "best learner", "its success"):
        table.add_column(column, justify="left" if column in ("plan", "best learner")
                         else "right")
    for name, o in [("plan", report.plan), *report.baselines.items()]:
        best = max(o.learners.values(), key=lambda x: x.outcome.success.rate, default=None)
        table.add_row(name, _pct(o.risk.predicted), _pct(o.risk.success.rate),
                      _ci(o.risk.success.low, o.risk.success.high),
                      best.name if best else "", _pct(best.outcome.success.rate) if best else "")
    return table


def predictability_table(report: RedTeamReport) -> Table:
    """Conditional entropy of the site sequence (bits) given 0–3 previous sites."""
    table = Table(title="Predictability of the site sequence: H(site | previous k sites), bits")
    orders = sorted(report.plan.entropy)
    table.add_column("plan")
    for k in orders:
        table.add_column(f"k={k}", justify="right")
    table.add_column("exact k=1", justify="right")
    table.add_column("best top-1 hits", justify="right")
    for name, o in [("plan", report.plan), *report.baselines.items()]:
        best = max((x.hits.rate for x in o.learners.values()), default=0.0)
        table.add_row(name, *(f"{o.entropy.get(k, float('nan')):.3f}" for k in orders),
                      f"{o.exact_entropy[1]:.3f}", _pct(best))
    return table
