"""Bayesian compact security games: escolta's exact methods against the plain big-M DOBSS
MILP on HiGHS.

* 15 targets, 4 resources, 4 attacker types (Kiekintveld 2009 payoffs, random priors), five
  seeds: ``levels`` (what ``solve(method="auto")`` picks here), ``hbgs`` and the baseline in
  the same run, each the best of three runs; same value to 1e-6; ratio baseline / levels
  (target: at least 50 on every seed).
* 50 targets, 10 resources, 10 types: ``solve(method="auto")`` to proven optimality (target:
  under 60 s).

The baseline is ``benchmarks/baselines/dobss_bigm.py`` (DOBSS over the compact coverage, one
global M). The normal-form DOBSS of Paruchuri et al. 2008 needs C(15, 4) = 1,365 leader pure
strategies here and HiGHS does not finish it in ten minutes, so it is not run. ``levels``
compiles its kernels with numba on first use (cached on disk); a warm-up call on a small game
keeps that one-off cost out of the timings.
Prints a Rich table and writes ``out/bench/games_bayesian.png``.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.baselines.dobss_bigm import dobss_bigm_solve  # noqa: E402
from escolta.games.hbgs import hbgs_solve  # noqa: E402
from escolta.games.levels import levels_solve  # noqa: E402
from escolta.games.model import SecurityGame, Solution  # noqa: E402
from escolta.games.random_games import kiekintveld_game  # noqa: E402
from escolta.games.solve import solve  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "out" / "bench"
SMALL_SEEDS = (0, 1, 2, 3, 4)
LARGE_SEEDS = (0, 1)
LARGE_LIMIT = 120.0
REPEATS = 3


def _best_of(run: Callable[[SecurityGame], Solution], game: SecurityGame) -> Solution:
    """The fastest of :data:`REPEATS` runs (every run must agree on the value)."""
    runs = [run(game) for _ in range(REPEATS)]
    values = {round(r.defender_value, 9) for r in runs}
    if len(values) != 1:
        raise AssertionError(f"repeated runs disagree: {sorted(values)}")
    return min(runs, key=lambda r: r.seconds)


def main() -> None:
    console = Console(width=160)
    levels_solve(kiekintveld_game(5, 2, 2, 0), progress=False)  # compile (numba) once
    table = Table(title="Bayesian security games: exact methods vs plain big-M DOBSS (HiGHS)")
    for header in ("game", "seed", "method", "seconds", "big-M DOBSS s", "ratio (>= 50)",
                   "hbgs s", "|Δ value| max", "boxes / nodes", "status"):
        table.add_column(header, justify="right")
    ratios, small = [], []
    for seed in SMALL_SEEDS:
        game = kiekintveld_game(15, 4, 4, seed)
        ours = _best_of(lambda g: levels_solve(g, progress=False), game)
        second = _best_of(lambda g: hbgs_solve(g, progress=False), game)
        base = _best_of(dobss_bigm_solve, game)
        ratio = base.seconds / ours.seconds
        ratios.append(ratio)
        small.append((ours.seconds, second.seconds, base.seconds))
        delta = max(abs(ours.defender_value - base.defender_value),
                    abs(second.defender_value - base.defender_value))
        table.add_row("15 / 4 / 4", str(seed), ours.method, f"{ours.seconds:.4f}",
                      f"{base.seconds:.2f}", f"{ratio:.0f}", f"{second.seconds:.3f}",
                      f"{delta:.1e}", f"{ours.params['boxes']} / {second.params['nodes']}",
                      f"{ours.status} / {base.status}")
    large = []
    for seed in LARGE_SEEDS:
        game = kiekintveld_game(50, 10, 10, seed)
        ours = solve(game, time_limit=LARGE_LIMIT)
        large.append(ours.seconds)
        gap = (ours.bound or ours.defender_value) - ours.defender_value
        work = ours.params.get("nodes", ours.params.get("boxes"))
        table.add_row("50 / 10 / 10", str(seed), ours.method, f"{ours.seconds:.1f}",
                      "(not run)", "< 60 s" if ours.seconds < 60 else "over 60 s", "",
                      f"gap {gap:.1e}", str(work), ours.status)
    console.print(table)
    console.print(f"15/4/4: levels vs big-M DOBSS median {statistics.median(ratios):.0f}x "
                  f"(min {min(ratios):.0f}x, max {max(ratios):.0f}x); 50/10/10 (auto): "
                  + ", ".join(f"{s:.1f} s" for s in large))
    OUT.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 4))
    labels = [f"15/4/4 s{s}" for s in SMALL_SEEDS]
    ax.bar(labels, [b for _, _, b in small], label="big-M DOBSS")
    ax.bar(labels, [h for _, h, _ in small], label="hbgs")
    ax.bar(labels, [o for o, _, _ in small], label="levels")
    ax.bar([f"50/10/10 s{s}" for s in LARGE_SEEDS], large, label="auto (50/10/10)")
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
