"""ORIGAMI at scale: 1,000,000 targets and 10,000 resources against ``numpy.argsort``.

Kiekintveld et al. (AAMAS 2009) solved 1,000,000 targets with 10,000 resources in 1.51 hours.
Payoffs are drawn as in that paper (defender covered and attacker uncovered U[0,100],
defender uncovered and attacker covered U[-100,0]). The target: at most 10 times the time
``numpy.argsort`` takes on 1,000,000 floats, measured in the same run, and peak memory under
1 GiB (tracemalloc, over the solve). Prints a Rich table and writes
``out/bench/games_origami_scaling.png``.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from escolta.games.origami import origami_solve  # noqa: E402
from escolta.games.random_games import kiekintveld_game  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "out" / "bench"
SIZES = (10_000, 100_000, 1_000_000)
REPEATS = 3


def _best(function, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rows = []
    for n in SIZES:
        game = kiekintveld_game(n, n // 100, 1, seed=0)
        floats = np.random.default_rng(1).random(n)
        sort_time = _best(lambda floats=floats: np.argsort(floats))
        solve_time = _best(lambda game=game: origami_solve(game))
        tracemalloc.start()
        solution = origami_solve(game)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append((n, n // 100, solve_time, sort_time, peak, solution.status))
    table = Table(title="ORIGAMI (Kiekintveld 2009 payoffs) vs numpy.argsort, best of 3")
    for header in ("targets", "resources", "ORIGAMI s", "argsort s", "ratio (<= 10)",
                   "peak MiB (< 1024)", "status"):
        table.add_column(header, justify="right")
    for n, m, solve_time, sort_time, peak, status in rows:
        table.add_row(f"{n:,}", f"{m:,}", f"{solve_time:.3f}", f"{sort_time:.3f}",
                      f"{solve_time / sort_time:.1f}", f"{peak / 2**20:.0f}", status)
    Console(width=150).print(table)
    n, m, solve_time, sort_time, peak, _ = rows[-1]
    Console(width=150).print(f"1,000,000 targets / 10,000 resources: ORIGAMI {solve_time:.2f} s = "
                    f"{solve_time / sort_time:.1f} x argsort; peak {peak / 2**20:.0f} MiB "
                    "(Kiekintveld 2009: 1.51 hours)")
    OUT.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog([r[0] for r in rows], [r[2] for r in rows], "o-", label="ORIGAMI (escolta)")
    ax.loglog([r[0] for r in rows], [r[3] for r in rows], "s--", label="numpy.argsort")
    ax.set_xlabel("targets (resources = targets / 100)")
    ax.set_ylabel("seconds")
    ax.set_title("ORIGAMI scaling")
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "games_origami_scaling.png", dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
