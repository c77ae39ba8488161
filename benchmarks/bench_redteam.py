"""Red-team simulation speed: nights simulated per second, one process against two.

Plays the optimal plan of ``examples/safehouses.yaml`` and its three baselines (four plans),
every scenario adversary exactly and every learner, for ``RUNS`` runs of ``NIGHTS`` nights per
plan; once with the cheap learners only (frequency, Markov 1-3: numpy) and once with all of
them (Active LeZi is a Python loop). Each configuration is timed with one worker process and
with two; the speed-up is the ratio measured in the same run.

Prints a Rich table and writes ``out/bench/redteam_speed.png``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan
from escolta.redteam.baselines import baseline_plans
from escolta.redteam.simulate import Settings, simulate
from escolta.redteam.tables import plan_tables

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "bench"
SCENARIO = ROOT / "examples" / "safehouses.yaml"
NIGHTS = 100_000
RUNS = 4
CHEAP = ("frequency", "markov-1", "markov-2", "markov-3")
ALL = (*CHEAP, "lempel-ziv")


def _contests():
    scenario = load_scenario(SCENARIO)
    plan = solve_plan(scenario)
    contests = [plan_tables(scenario, plan, "plan")]
    contests += [plan_tables(scenario, p, name) for name, p in baseline_plans(scenario).items()]
    return contests


def _rate(contests, learners, workers, nights, runs) -> tuple[float, float]:
    settings = Settings(nights=nights, runs=runs, seed=0, learners=learners, workers=workers)
    start = time.perf_counter()
    simulate(contests, settings)
    seconds = time.perf_counter() - start
    return nights * runs * len(contests) / seconds, seconds


def main() -> None:
    contests = _contests()
    rows = []
    for label, learners, nights in (("adversaries only", (), NIGHTS),
                                    ("+ frequency, Markov 1-3", CHEAP, NIGHTS),
                                    ("+ Lempel-Ziv (all learners)", ALL, NIGHTS // 10)):
        one, t1 = _rate(contests, learners, 1, nights, RUNS)
        two, t2 = _rate(contests, learners, 2, nights, RUNS)
        rows.append((label, nights * RUNS * len(contests), one, t1, two, t2))

    table = Table(title=f"red-team simulation, {len(contests)} plans × {RUNS} runs "
                        f"({SCENARIO.name})")
    for column in ("players", "nights", "1 process nights/s", "s", "2 processes nights/s", "s",
                   "speed-up"):
        table.add_column(column, justify="left" if column == "players" else "right")
    for label, total, one, t1, two, t2 in rows:
        table.add_row(label, f"{total:,}", f"{one:,.0f}", f"{t1:.2f}", f"{two:,.0f}",
                      f"{t2:.2f}", f"{two / one:.2f}×")
    Console().print(table)
    load = os.getloadavg()[0]
    Console().print(f"load average during the run: {load:.1f} on {os.cpu_count()} cores"
                    + (" — other work competes for the cores: the speed-up is understated"
                       if load > (os.cpu_count() or 1) else ""))

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    OUT.mkdir(parents=True, exist_ok=True)
    figure, axis = plt.subplots(figsize=(7, 4))
    x = range(len(rows))
    axis.bar([i - 0.2 for i in x], [r[2] for r in rows], width=0.4, label="1 process")
    axis.bar([i + 0.2 for i in x], [r[4] for r in rows], width=0.4, label="2 processes")
    axis.set_xticks(list(x))
    axis.set_xticklabels([r[0] for r in rows], fontsize=8)
    axis.set_yscale("log")
    axis.set_ylabel("nights simulated per second")
    axis.set_title("escolta redteam: simulation speed")
    axis.legend()
    figure.tight_layout()
    figure.savefig(OUT / "redteam_speed.png", dpi=120)
    plt.close(figure)


if __name__ == "__main__":
    main()
