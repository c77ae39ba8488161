"""How long the ``escolta`` command takes to answer before doing any work.

Every command-line user pays the start-up: ``escolta --help`` and ``escolta schema`` should
answer in under 0.3 s of wall time (issue: fast start). The yardstick, timed in the same run
and interleaved with them (A B A B ...), is ``python -c pass`` with the same interpreter: what
no Python command can beat. Each figure is the median of 15 runs after 2 warm-ups.

Run: ``python benchmarks/bench_startup.py``. Prints a table.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

RUNS = 15
WARMUP = 2
GOAL_SECONDS = 0.3
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "escolta --help": [sys.executable, "-m", "escolta.cli.main", "--help"],
    "escolta schema": [sys.executable, "-m", "escolta.cli.main", "schema"],
}


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   timeout=60)
    return time.perf_counter() - start


def measure() -> dict[str, list[float]]:
    """Wall seconds of each command, the commands interleaved so drift hits them alike."""
    for _ in range(WARMUP):
        for command in COMMANDS.values():
            _wall(command)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(RUNS):
        for name, command in COMMANDS.items():
            times[name].append(_wall(command))
    return times


def main() -> None:
    times = measure()
    baseline = statistics.median(times["python -c pass"])
    table = Table(title=f"Start-up, wall seconds (median of {RUNS}; goal < {GOAL_SECONDS} s)")
    for column in ("command", "median", "min", "max", "over python -c pass", "goal"):
        table.add_column(column, justify="left" if column == "command" else "right")
    for name, values in times.items():
        median = statistics.median(values)
        goal = "" if name == "python -c pass" else ("met" if median < GOAL_SECONDS else "MISSED")
        table.add_row(name, f"{median:.3f}", f"{min(values):.3f}", f"{max(values):.3f}",
                      f"{median / baseline:.1f}x", goal)
    Console().print(table)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
