"""Normal-form Stackelberg games: escolta's multiple LPs against OpenSpiel's
``open_spiel.python.algorithms.stackelberg_lp.solve_stackelberg`` (one cvxpy LP per follower
action, Conitzer & Sandholm 2006) on random 60x60 games (payoffs U[0,1]), same value, in the
same run (target: at least 20 times faster); and 300x300 alone (target: a few seconds).
Needs the ``bench`` extra (open-spiel, cvxpy). Prints a Rich table and writes
``out/bench/games_normal_form.png``.
"""

from __future__ import annotations

import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from escolta.games.multiple_lps import multiple_lps_solve  # noqa: E402
from escolta.games.random_games import random_normal_form_game  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "out" / "bench"
SEEDS = (0, 1, 2)
SIZES = (20, 60, 100, 300)


def _openspiel(game):
    import pyspiel
    from open_spiel.python.algorithms.stackelberg_lp import solve_stackelberg

    follower = game.followers[0]
    matrix_game = pyspiel.create_matrix_game(follower.leader.tolist(), follower.follower.tolist())
    start = time.perf_counter()
    result = solve_stackelberg(matrix_game)
    return float(result[2]), time.perf_counter() - start


def main() -> None:
    console = Console(width=150)
    try:
        import cvxpy  # noqa: F401
        import open_spiel  # noqa: F401
        have_openspiel = True
    except ImportError as missing:
        console.print(f"[yellow]OpenSpiel baseline unavailable ({missing}); install the bench "
                      "extra: pip install -e '.[bench]'[/yellow]")
        have_openspiel = False
    table = Table(title="Normal-form SSE: multiple LPs (escolta) vs OpenSpiel solve_stackelberg")
    for header in ("size", "seed", "escolta s", "OpenSpiel s", "ratio (>= 20)", "|Δ value|"):
        table.add_column(header, justify="right")
    ours_by_size: dict[int, list[float]] = {}
    theirs_by_size: dict[int, list[float]] = {}
    for size in SIZES:
        for seed in SEEDS if size == 60 else SEEDS[:1]:
            game = random_normal_form_game(size, size, seed)
            ours = multiple_lps_solve(game)
            ours_by_size.setdefault(size, []).append(ours.seconds)
            if have_openspiel and size <= 100:
                value, seconds = _openspiel(game)
                theirs_by_size.setdefault(size, []).append(seconds)
                table.add_row(f"{size}x{size}", str(seed), f"{ours.seconds:.3f}",
                              f"{seconds:.2f}", f"{seconds / ours.seconds:.0f}",
                              f"{abs(value - ours.defender_value):.1e}")
            else:
                table.add_row(f"{size}x{size}", str(seed), f"{ours.seconds:.3f}", "(not run)",
                              "", "")
    console.print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    sizes = sorted(ours_by_size)
    ax.loglog(sizes, [min(ours_by_size[s]) for s in sizes], "o-", label="escolta multiple LPs")
    if theirs_by_size:
        known = sorted(theirs_by_size)
        ax.loglog(known, [min(theirs_by_size[s]) for s in known], "s--",
                  label="OpenSpiel solve_stackelberg")
    ax.set_xlabel("actions per player")
    ax.set_ylabel("seconds")
    ax.set_title("Normal-form Stackelberg, one follower")
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "games_normal_form.png", dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
