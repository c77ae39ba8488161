"""How fast the plan's chain is simulated, against a straightforward per-night sampler.

The red team runs millions of nights, so :func:`escolta.protect.draws.simulate_indices` walks
precomputed cumulative tables (``bisect`` inside ``itertools.accumulate``). The baseline,
timed in the same run on the same plan, draws each night with
``Generator.choice(n, p=row)``. Plans: the capital example solved by the planner (a chain),
and the same nights drawn independently (no ``pairs``: one vectorized ``searchsorted``).

Run: ``python benchmarks/bench_draws.py``. Prints a table; saves ``out/bench/draws.png``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from rich.console import Console
from rich.table import Table

from escolta.protect.draws import simulate_indices
from escolta.protect.plan import Plan
from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "bench"


def _baseline(plan: Plan, count: int, rng: np.random.Generator) -> np.ndarray:
    matrix = plan.transition_matrix()
    p = plan.night_probabilities / plan.night_probabilities.sum()
    out = np.empty(count, dtype=np.int64)
    state = int(rng.choice(len(p), p=p))
    for t in range(count):
        state = int(rng.choice(len(p), p=matrix[state]))
        out[t] = state
    return out


def _time(function, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    chain = solve_plan(load_scenario(ROOT / "examples" / "capital.yaml"))
    independent = replace(chain, pairs=None)
    table = Table(title="Simulating a plan (seconds per million nights)")
    for column in ("plan", "nights in support", "simulate_indices", "per-night choice",
                   "speed-up"):
        table.add_column(column, justify="left" if column == "plan" else "right")
    rows = []
    for label, plan in (("capital, chain", chain), ("capital, independent", independent)):
        fast = _time(simulate_indices, plan, 1_000_000, np.random.default_rng(0))
        slow = _time(_baseline, plan, 20_000, np.random.default_rng(0)) * 50  # per million
        rows.append((label, fast, slow))
        table.add_row(label, str(len(plan.nights)), f"{fast:.3f}", f"{slow:.2f}",
                      f"{slow / fast:.0f}x")
    Console().print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    figure = Figure(figsize=(6.4, 3.6))
    ax = figure.subplots()
    ys = range(len(rows))
    ax.barh([y - 0.2 for y in ys], [r[1] for r in rows], 0.4, label="simulate_indices")
    ax.barh([y + 0.2 for y in ys], [r[2] for r in rows], 0.4, label="per-night choice")
    ax.set_yticks(list(ys), [r[0] for r in rows])
    ax.set_xscale("log")
    ax.set_xlabel("seconds per million nights (log)")
    ax.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(OUT / "draws.png", dpi=120)
    print(f"wrote {OUT / 'draws.png'}")


if __name__ == "__main__":
    main()
