"""Benchmark: the weekly appearance plan (docs/design.md §4c), column generation against
enumerating every feasible set, from 20 slots to 200.

For each size: the number of feasible sets (counted by dynamic program), column generation's
time, rounds, columns, risk and proven lower bound, and — where the sets number at most
ENUMERATE_UP_TO — the one-LP-over-every-set baseline's time and risk, measured in the same
run. Writes ``out/bench/appearances-time.png``.

Run: ``.venv/bin/python benchmarks/bench_appearances.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from escolta.protect.appearances import (
    count_feasible_sets,
    solve_column_generation,
    solve_enumerated,
)
from escolta.protect.scenario import DAYS, Appearances

OUT = Path("out/bench")
ENUMERATE_UP_TO = 300_000
# (slots, per week, min gap hours, adversaries: "both" = blind + informed, "blind" only)
SIZES = [(20, 4, 12, "both"), (40, 5, 12, "both"), (40, 5, 6, "both"), (40, 5, 12, "blind"),
         (60, 5, 12, "both"), (80, 6, 8, "both"), (120, 7, 6, "both"), (120, 7, 6, "blind"),
         (200, 7, 4, "both"), (200, 7, 4, "blind")]


def random_week(n: int, per_week: int, gap: float, seed: int, mix: str) -> Appearances:
    """``n`` distinct slots at random half-hours 07:00-21:30 with successes in [0.05, 0.6];
    a blind adversary (weight 1) and, unless ``mix`` is ``blind``, an informed one (2)."""
    rng = np.random.default_rng(seed)
    taken: set[tuple[int, int, int]] = set()
    slots = []
    while len(slots) < n:
        key = (int(rng.integers(7)), int(rng.integers(7, 22)), int(rng.choice([0, 30])))
        if key in taken:
            continue
        taken.add(key)
        slots.append({"venue": f"v{len(slots)}", "day": DAYS[key[0]],
                      "start": f"{key[1]:02d}:{key[2]:02d}",
                      "success": float(np.round(rng.uniform(0.05, 0.6), 2))})
    return Appearances.model_validate({
        "per_week": per_week, "announce_hours": 2, "min_gap_hours": gap, "slots": slots,
        "adversaries": [{"name": "sniper", "weight": 1, "prep_hours": 24}] + (
            [] if mix == "blind" else [{"name": "crowd", "weight": 2, "prep_hours": 1}])})


def main() -> None:
    console = Console()
    table = Table(title="Weekly appearance plan: column generation vs enumeration")
    for column in ("slots", "per week", "gap h", "adversaries", "feasible sets", "CG s",
                   "rounds", "columns", "risk", "bound gap", "enumerate s", "enum risk",
                   "speed-up"):
        table.add_column(column, justify="right")
    rows = []
    for n, k, gap, mix in SIZES:
        appearances = random_week(n, k, gap, n * 10 + k, mix)
        sets = count_feasible_sets(appearances)
        started = time.perf_counter()
        plan = solve_column_generation(appearances)
        cg_seconds = time.perf_counter() - started
        enum_seconds = enum_risk = None
        if sets <= ENUMERATE_UP_TO:
            started = time.perf_counter()
            enum_risk = solve_enumerated(appearances).risk
            enum_seconds = time.perf_counter() - started
        rows.append((n, k, gap, sets, cg_seconds, enum_seconds, mix))
        table.add_row(
            str(n), str(k), f"{gap:g}", mix, f"{sets:,}", f"{cg_seconds:.3f}", str(plan.iterations),
            str(plan.columns), f"{plan.risk:.6f}", f"{plan.risk - plan.lower_bound:.1e}",
            "-" if enum_seconds is None else f"{enum_seconds:.3f}",
            "-" if enum_risk is None else f"{enum_risk:.6f}",
            "-" if enum_seconds is None else f"{enum_seconds / cg_seconds:.0f}x",
        )
    console.print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.0))
    ax = figure.subplots()
    sets = [r[3] for r in rows]
    ax.loglog(sets, [r[4] for r in rows], marker="o", linestyle="", label="column generation")
    enumerated = [r for r in rows if r[5] is not None]
    ax.loglog([r[3] for r in enumerated], [r[5] for r in enumerated], marker="s",
              linestyle="", label="LP over every set")
    for n, k, gap, count, seconds, _, mix in rows:
        ax.annotate(f"{n}/{k}/{gap:g}h {mix}", (count, seconds), fontsize=7,
                    textcoords="offset points", xytext=(4, 4))
    ax.set_xlabel("feasible sets (slots / per week / gap)")
    ax.set_ylabel("seconds")
    ax.set_title("Weekly appearance plan: time to the proven optimum")
    ax.legend()
    figure.tight_layout()
    path = OUT / "appearances-time.png"
    figure.savefig(path, dpi=120)
    console.print(f"wrote {path}")


if __name__ == "__main__":
    main()
