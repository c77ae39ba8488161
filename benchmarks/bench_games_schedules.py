"""Security games with schedules: ASPEN-style column generation in the ERASER-C setting of
Kiekintveld et al. 2009 (three resource types with availability 3, 3, 2; twice as many
schedules as targets; two targets per schedule), one attacker type, up to 1,000 targets;
two attacker types at the smaller sizes. Every solve is exact (status optimal) and returns a
mixed strategy over joint assignments (two attacker types: branch and price, much harder;
shown at 20 and 50 targets). The baseline is enumerating every joint assignment
(what a MILP over explicit pure strategies needs): their count is shown.
Prints a Rich table and writes ``out/bench/games_schedules.png``.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from escolta.games.random_games import eraser_c_game  # noqa: E402
from escolta.games.schedules import aspen_solve  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "out" / "bench"
SIZES = (50, 100, 200, 500, 1000)
TWO_TYPE_SIZES = (20, 50)
TIME_LIMIT = 120.0


def _assignments(game) -> int:
    total = 1
    for kind in game.resource_types:
        total *= sum(math.comb(len(kind.schedules), k) for k in range(kind.count + 1))
    return total


def main() -> None:
    table = Table(title="ASPEN (column generation + branch and bound), ERASER-C setting")
    for header in ("targets", "types", "seconds", "status", "value", "bound", "columns",
                   "mix size",
                   "attackable", "joint assignments"):
        table.add_column(header, justify="right")
    points = {1: [], 2: []}
    for types in (1, 2):
        for n in SIZES if types == 1 else TWO_TYPE_SIZES:
            game = eraser_c_game(n, seed=0, types=types)
            s = aspen_solve(game, time_limit=TIME_LIMIT, progress=False)
            points[types].append((n, s.seconds))
            table.add_row(str(n), str(types), f"{s.seconds:.2f}", s.status,
                          f"{s.defender_value:.3f}", f"{s.bound:.3f}", str(s.params["columns"]),
                          str(len(s.mixed_strategy)), str(s.params["attackable"]),
                          f"{float(_assignments(game)):.1e}")
    Console(width=150).print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    for types, marker in ((1, "o-"), (2, "s--")):
        ax.loglog(*zip(*points[types], strict=True), marker, label=f"{types} attacker type(s)")
    ax.set_xlabel("targets (schedules = 2 x targets)")
    ax.set_ylabel("seconds")
    ax.set_title("ASPEN, ERASER-C setting (resources 3+3+2)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "games_schedules.png", dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
