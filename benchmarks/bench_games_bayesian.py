"""Bayesian compact security games: hbgs against the plain big-M DOBSS MILP on HiGHS.

* 15 targets, 4 resources, 4 attacker types (Kiekintveld 2009 payoffs, random priors): both
  methods in the same run, same value to 1e-6, ratio of times (target: at least 50).
* 50 targets, 10 resources, 10 types: hbgs to proven optimality (target: under 60 s).

The baseline is ``benchmarks/baselines/dobss_bigm.py`` (DOBSS over the compact coverage, one
global M). The normal-form DOBSS of Paruchuri et al. 2008 needs C(15, 4) = 1,365 leader pure
strategies here and HiGHS does not finish it in ten minutes, so it is not run.
Prints a Rich table and writes ``out/bench/games_bayesian.png``.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.baselines.dobss_bigm import dobss_bigm_solve  # noqa: E402
from escolta.games.hbgs import hbgs_solve  # noqa: E402
from escolta.games.random_games import kiekintveld_game  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "out" / "bench"
SMALL_SEEDS = (0, 1, 2, 3, 4)
LARGE_SEEDS = (0, 1)
LARGE_LIMIT = 120.0


def main() -> None:
    console = Console(width=150)
    table = Table(title="Bayesian security games: hbgs vs plain big-M DOBSS (HiGHS)")
    for header in ("game", "seed", "hbgs s", "big-M DOBSS s", "ratio (>= 50)", "|Δ value|",
                   "hbgs nodes", "status"):
        table.add_column(header, justify="right")
    ratios, small = [], []
    for seed in SMALL_SEEDS:
        game = kiekintveld_game(15, 4, 4, seed)
        ours = hbgs_solve(game, progress=False)
        base = dobss_bigm_solve(game)
        ratio = base.seconds / ours.seconds
        ratios.append(ratio)
        small.append((ours.seconds, base.seconds))
        table.add_row("15 / 4 / 4", str(seed), f"{ours.seconds:.3f}", f"{base.seconds:.2f}",
                      f"{ratio:.0f}", f"{abs(ours.defender_value - base.defender_value):.1e}",
                      str(ours.params["nodes"]), f"{ours.status} / {base.status}")
    large = []
    for seed in LARGE_SEEDS:
        game = kiekintveld_game(50, 10, 10, seed)
        ours = hbgs_solve(game, time_limit=LARGE_LIMIT, progress=False)
        large.append(ours.seconds)
        gap = (ours.bound or ours.defender_value) - ours.defender_value
        table.add_row("50 / 10 / 10", str(seed), f"{ours.seconds:.1f}", "(not run)",
                      "< 60 s?" if ours.seconds < 60 else "over 60 s", f"gap {gap:.1e}",
                      str(ours.params["nodes"]), ours.status)
    console.print(table)
    console.print(f"15/4/4: median speed-up {statistics.median(ratios):.0f}x "
                  f"(min {min(ratios):.0f}x, max {max(ratios):.0f}x); 50/10/10: "
                  + ", ".join(f"{s:.1f} s" for s in large))
    OUT.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.bar([f"15/4/4 s{s}" for s in SMALL_SEEDS], [b for _, b in small], label="big-M DOBSS")
    ax.bar([f"15/4/4 s{s}" for s in SMALL_SEEDS], [o for o, _ in small], label="hbgs")
    ax.bar([f"50/10/10 s{s}" for s in LARGE_SEEDS], large, label="hbgs (50/10/10)")
    ax.set_yscale("log")
    ax.set_ylabel("seconds")
    ax.set_title("Bayesian security games")
    ax.tick_params(axis="x", rotation=45)
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "games_bayesian.png", dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
