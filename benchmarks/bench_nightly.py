"""Benchmark of the fast nightly solver (escolta.protect.nightly) against the reference LP.

For ``examples/capital.yaml``, ``examples/capital20.yaml`` and a sweep of sizes (sites x
teams, with the same mixture of adversaries as the capital: posture, nothing, site, room of
yesterday and of tonight, a saboteur insider, a lead-1 insider, and ``no_repeat``), prints the
solve time, the risk, the proven lower bound, the gap, the rounds of column generation and
the master's final size, in a Rich table; where the brute-force reference LP fits (small
sweep points) its time and risk stand beside, measured in the same run, with the speed-up
ratio. Saves ``out/bench/nightly_scaling.png`` (time against sites x teams).

Run: ``.venv/bin/python benchmarks/bench_nightly.py`` (or ``make bench``).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from escolta.errors import InputError  # noqa: E402
from escolta.protect.nightly import solve_nightly_report  # noqa: E402
from escolta.protect.reference import solve_reference  # noqa: E402
from escolta.protect.scenario import load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out" / "bench"

#: (sites, teams) of the sweep; the reference LP is tried where it fits its size limits.
SWEEP = [(3, 2), (4, 2), (5, 3), (6, 3), (8, 4), (10, 5), (12, 6), (15, 7), (20, 8)]
#: The reference LP is skipped above this many sites x teams (it refuses, or takes minutes).
REFERENCE_UP_TO = 18


def sweep_scenario(n_sites: int, n_teams: int, seed: int = 0, floor: float = 0.0
                   ) -> dict[str, Any]:
    """A capital-like scenario of the given size (deterministic in ``seed``); success
    probabilities below ``floor`` are raised to it (with many teams the curves otherwise
    reach 0, and the risk is 0 with all teams at one site)."""
    rng = random.Random(seed * 1000 + n_sites * 10 + n_teams)
    sites = []
    for a in range(n_sites):
        first = round(rng.uniform(0.3, 0.9), 2)
        curve = [first]
        # more than about half the teams at one site adds nothing: the rest are decoys
        for _ in range(max(1, (n_teams + 1) // 2)):
            curve.append(round(curve[-1] * rng.uniform(0.4, 0.7), 3))
        curve = [max(value, floor) for value in curve]
        sites.append({"name": f"site-{a + 1}", "rooms": rng.randint(1, 3), "success": curve})
    teams = [{"name": f"team-{t + 1}", "chain": "guard" if t % 2 == 0 else "army"}
             for t in range(n_teams)]
    adversaries = [
        {"name": "lookouts", "weight": 3, "sees": "posture"},
        {"name": "cell", "weight": 2, "sees": "nothing"},
        {"name": "phone", "weight": 1.5, "sees": "site"},
        {"name": "housekeeping", "weight": 1, "sees": "room", "lead": 1},
        {"name": "mole", "weight": 1, "sees": {"team": teams[-1]["name"]}, "sabotage": True},
        {"name": "porter", "weight": 0.5, "sees": "room"},
    ]
    if n_teams >= 2:
        adversaries.append({"name": "talker", "weight": 1, "sees": {"team": teams[0]["name"]},
                            "lead": 1})
    return {"principal": "P", "sites": sites, "teams": teams,
            "rules": {"min_teams_with_principal": 1, "no_repeat": True},
            "adversaries": adversaries}


def _measure(label: str, scenario_dict: dict[str, Any] | None, path: Path | None,
             with_reference: bool) -> dict[str, Any]:
    scenario = load_scenario(path if path is not None else scenario_dict)
    started = time.perf_counter()
    report = solve_nightly_report(scenario)
    seconds = time.perf_counter() - started
    plan, stats = report.plan, report.stats
    row: dict[str, Any] = {
        "label": label, "sites": len(scenario.sites), "teams": len(scenario.teams),
        "postures": stats.postures, "seconds": seconds, "risk": plan.risk,
        "bound": plan.solver.lower_bound, "gap": plan.risk - plan.solver.lower_bound,
        "status": plan.solver.status, "rounds": stats.rounds, "pricings": stats.pricings,
        "columns": stats.columns, "reference_seconds": None, "reference_risk": None,
    }
    if with_reference:
        try:
            started = time.perf_counter()
            reference = solve_reference(scenario)
            row["reference_seconds"] = time.perf_counter() - started
            row["reference_risk"] = reference.risk
        except InputError:
            pass  # too large for the reference LP
    return row


def main() -> None:
    console = Console(width=max(Console().width, 150))
    rows = []
    # compile the pricing kernels once, outside the timings
    solve_nightly_report(load_scenario(sweep_scenario(3, 2)))
    for name in ("capital", "capital20"):
        console.print(f"solving examples/{name}.yaml ...", style="dim")
        rows.append(_measure(name, None, ROOT / "examples" / f"{name}.yaml", False))
    for n_sites, n_teams in SWEEP:
        console.print(f"solving sweep {n_sites} sites x {n_teams} teams ...", style="dim")
        rows.append(_measure(f"sweep {n_sites}x{n_teams}", sweep_scenario(n_sites, n_teams),
                             None, n_sites * n_teams <= REFERENCE_UP_TO))

    table = Table(title="nightly game: fast exact solver (reference LP where it fits)")
    for column in ("scenario", "sites", "teams", "postures", "time s", "risk", "lower bound",
                   "gap", "status", "rounds", "columns", "reference s", "ref risk", "speed-up"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for row in rows:
        ref_s = row["reference_seconds"]
        table.add_row(
            row["label"], str(row["sites"]), str(row["teams"]), f"{row['postures']:,}",
            f"{row['seconds']:.2f}", f"{row['risk']:.6f}", f"{row['bound']:.6f}",
            f"{row['gap']:.1e}", row["status"], str(row["rounds"]), f"{row['columns']:,}",
            "-" if ref_s is None else f"{ref_s:.2f}",
            "-" if row["reference_risk"] is None else f"{row['reference_risk']:.6f}",
            "-" if ref_s is None else f"{ref_s / row['seconds']:.1f}x")
    console.print(table)

    OUT.mkdir(parents=True, exist_ok=True)
    sweep = [r for r in rows if r["label"].startswith("sweep")]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot([r["sites"] * r["teams"] for r in sweep], [r["seconds"] for r in sweep], "o-",
            label="fast (column generation)")
    with_ref = [r for r in sweep if r["reference_seconds"] is not None]
    if with_ref:
        ax.plot([r["sites"] * r["teams"] for r in with_ref],
                [r["reference_seconds"] for r in with_ref], "s--", label="reference LP")
    for r in rows:
        if not r["label"].startswith("sweep"):
            ax.plot(r["sites"] * r["teams"], r["seconds"], "*", markersize=12,
                    label=f"{r['label']}.yaml")
    ax.set_xlabel("sites x teams")
    ax.set_ylabel("seconds (log scale)")
    ax.set_yscale("log")
    ax.set_title("Nightly game solve time")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    target = OUT / "nightly_scaling.png"
    fig.savefig(target, dpi=120)
    plt.close(fig)
    console.print(f"plot: {target.relative_to(ROOT)}")
    bad = [r for r in rows if r["reference_risk"] is not None
           and abs(r["reference_risk"] - r["risk"]) > 1e-6]
    if bad:
        console.print(f"[red]fast and reference disagree on {[r['label'] for r in bad]}[/]")
        sys.exit(1)


if __name__ == "__main__":
    main()
