"""Boundedly rational attackers: the certified PASAQ-style solver at up to 1,000 targets,
QR (λ = 0.76/scale) and SUQR (weights (-9.85, 0.37, 0.15) on payoffs scaled to [-10, 10],
the magnitudes of Nguyen et al. 2013), beside a baseline: SciPy SLSQP from 10 random starts
(local, no guarantee), in the same run. Prints a Rich table and writes
``out/bench/games_quantal.png``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

from escolta.games.model import AttackerModel  # noqa: E402
from escolta.games.quantal import pasaq_solve, quantal_value  # noqa: E402
from escolta.games.random_games import kiekintveld_game  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "out" / "bench"
SIZES = (8, 10, 100, 1000)
STARTS = 10
MODELS = {
    "QR λ=0.076": AttackerModel("quantal", lam=0.076),
    "SUQR": AttackerModel("suqr", weights=(-9.85, 0.037, 0.015)),
}


def _multistart(game, starts: int) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    n, m = game.n_targets, game.resources
    best = -np.inf
    start_time = time.perf_counter()
    for _ in range(starts):
        x0 = rng.uniform(0, 1, n)
        x0 *= min(1.0, m / x0.sum())
        result = minimize(lambda c: -quantal_value(game, c), x0, method="SLSQP",
                          bounds=[(0, 1)] * n,
                          constraints=[{"type": "ineq", "fun": lambda c: m - c.sum()}])
        c = np.clip(result.x, 0, 1)
        if c.sum() <= m + 1e-9:
            best = max(best, quantal_value(game, c))
    return best, time.perf_counter() - start_time


def main() -> None:
    table = Table(title="QR / SUQR: certified PASAQ-style solver vs multistart SLSQP")
    for header in ("model", "targets", "ours s", "value", "proven gap", "SLSQP s",
                   "SLSQP best", "ours - SLSQP"):
        table.add_column(header, justify="right")
    points: dict[str, list[tuple[int, float]]] = {}
    for label, model in MODELS.items():
        for n in SIZES:
            game = replace(kiekintveld_game(n, max(1, n // 10), 1, seed=0), attacker_model=model)
            ours = pasaq_solve(game, tolerance=1e-4)
            points.setdefault(label, []).append((n, ours.seconds))
            if n <= 100:
                best, seconds = _multistart(game, STARTS)
                baseline = (f"{seconds:.2f}", f"{best:.4f}", f"{ours.defender_value - best:+.1e}")
            else:
                baseline = ("(not run)", "", "")
            table.add_row(label, str(n), f"{ours.seconds:.3f}", f"{ours.defender_value:.4f}",
                          f"{ours.params['gap']:.1e}", *baseline)
    Console(width=150).print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, pts in points.items():
        ax.loglog(*zip(*pts, strict=True), "o-", label=label)
    ax.set_xlabel("targets (resources = targets / 10)")
    ax.set_ylabel("seconds (certified to 1e-4)")
    ax.set_title("Quantal-response attackers")
    ax.legend()
    fig.tight_layout()
    fig.savefig(OUT / "games_quantal.png", dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
