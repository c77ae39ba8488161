"""The nightly game at national scale (issue 15): the knapsack pricing beside the enumeration.

Synthetic scenarios with the adversary mix of the issue's table (posture, blind, site,
lead-1 room, a sabotaging insider and a lead-1 insider, ``no_repeat``; the generator of
``bench_nightly.py``; ``examples/capital20.yaml`` for 20 x 8), at 20 x 8, 20 x 10, 50 x 6,
30 x 10, 100 x 30 and 200 x 50 sites x teams. Each solve runs in a fresh process (so its
peak memory is its own, ``VmHWM``) with a time limit, by the default strategy
(``knapsack``) and, where its postures fit in memory, by the enumeration (``generate``).
Prints sites, teams, postures, method, seconds, peak MiB, status (or the one line of a
refusal) and gap; saves ``out/bench/national.png`` (time against sites x teams).

Run: ``.venv/bin/python benchmarks/bench_national.py`` (or ``make bench``); ``--quick`` (or
``ESCOLTA_BENCH_QUICK=1``) runs the three smallest sizes with a short limit; ``--baseline
DIR`` also solves each size by the checkout in DIR (e.g. ``/work/main``), in the same run,
and prints the time ratio where both are optimal; ``--seeds SITES TEAMS LIMIT K [--baseline
DIR]`` solves one size on K scenario seeds and prints the gaps, peak memory and the mean
gap; ``--help`` prints this. Success probabilities are floored at :data:`FLOOR` (only 100 x
30 and 200 x 50 reach it). The load average (1 min) at the start of each solve stands beside
it: the machine is shared.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out" / "bench"
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: (sites, teams) of the issue's table and its scale targets.
SIZES = [(20, 8), (20, 10), (50, 6), (30, 10), (100, 30), (200, 50)]
#: Seconds per solve (the issue: 60 s for 100 x 30, 10 minutes for 200 x 50).
TIME_LIMIT = {(100, 30): 60.0, (200, 50): 600.0}
DEFAULT_LIMIT = 300.0
QUICK_SIZES = [(20, 8), (50, 6), (30, 10)]
QUICK_LIMIT = 60.0
#: Success probabilities are floored here (``sweep_scenario``): at 100 x 30 and beyond the
#: curves reach 0 and the risk would be 0 (no other size's curve goes below it).
FLOOR = 0.001


def _solve(sites: int, teams: int, strategy: str, time_limit: float, seed: int = 0
           ) -> dict[str, Any]:
    """One solve in this (fresh) process: time, peak memory, status, gap, load average
    (``seed``: of the synthetic scenario; 20 x 8 is capital20.yaml whatever it is)."""

    from bench_nightly import sweep_scenario

    from escolta.errors import InputError
    from escolta.protect.nightly import solve_nightly_report
    from escolta.protect.nightly.pricing import count_postures
    from escolta.protect.scenario import load_scenario

    source = (ROOT / "examples" / "capital20.yaml" if (sites, teams) == (20, 8)
              else sweep_scenario(sites, teams, seed=seed, floor=FLOOR))
    scenario = load_scenario(source)
    row: dict[str, Any] = {"sites": sites, "teams": teams, "method": strategy, "seed": seed,
                           "postures": count_postures(sites, teams),
                           "load": os.getloadavg()[0]}
    started = time.perf_counter()
    try:
        report = solve_nightly_report(scenario, strategy=strategy, time_limit=time_limit)
    except InputError as error:
        # the one line, up to its advice
        row.update(seconds=time.perf_counter() - started,
                   status=f"refused: {str(error).split(';')[0]}", gap=None, risk=None)
    else:
        plan = report.plan
        row.update(seconds=time.perf_counter() - started, status=plan.solver.status,
                   gap=plan.risk - plan.solver.lower_bound, risk=plan.risk)
    row["peak_mib"] = _peak_mib()
    return row


def _peak_mib() -> float:
    """This process's peak resident memory in MiB: ``VmHWM`` where Linux has it, since Linux
    keeps ``ru_maxrss`` across ``exec`` (under ``make bench``, whose one process had reached
    772 MiB, every fresh solve reported at least 772 MiB), else ``ru_maxrss``."""
    import resource

    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        status = ""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_fresh_process(sites: int, teams: int, strategy: str, time_limit: float,
                      tree: Path | None = None, seed: int = 0) -> dict[str, Any]:
    """:func:`_solve` in a new interpreter, importing escolta from ``tree``/src (another
    checkout: the baseline) or as installed; a crash (out of memory) is a row too."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    command = [sys.executable, str(Path(__file__).resolve()), "--one", str(sites), str(teams),
               strategy, str(time_limit), str(seed)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"sites": sites, "teams": teams, "method": strategy, "postures": 0,
                "seconds": None, "peak_mib": None, "status": f"crashed: {tail[:80]}",
                "gap": None, "risk": None, "load": os.getloadavg()[0]}
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from rich.console import Console
    from rich.table import Table

    from escolta.protect.nightly.limits import MAX_ENUMERATION_BYTES, enumeration_bytes

    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv or os.environ.get("ESCOLTA_BENCH_QUICK") == "1"
    baseline, rest = _baseline(argv)
    unknown = [a for a in rest if a != "--quick"]
    if unknown:
        _refuse(f"unknown argument {unknown[0]!r}: use --quick, --baseline DIR, --seeds ... "
                "or --help")
    console = Console(width=max(Console().width, 160), stderr=False)
    sizes = QUICK_SIZES if quick else SIZES
    # compile the kernels outside the timings
    for tree in (None, baseline) if baseline is not None else (None,):
        _in_fresh_process(5, 3, "knapsack", 30.0, tree)
    rows = []
    for sites, teams in sizes:
        limit = QUICK_LIMIT if quick else TIME_LIMIT.get((sites, teams), DEFAULT_LIMIT)
        runs: list[tuple[str, Path | None]] = [("knapsack", None)]
        if baseline is not None:
            runs.append(("knapsack", baseline))
        fits = enumeration_bytes(sites, teams) <= MAX_ENUMERATION_BYTES
        if fits and (not quick or (sites, teams) == (20, 8)):
            runs.append(("generate", None))
        for strategy, tree in runs:
            label = strategy if tree is None else f"{strategy} ({tree.name})"
            console.print(f"{sites} x {teams}, {label}, limit {limit:.0f} s ...", style="dim")
            row = _in_fresh_process(sites, teams, strategy, limit, tree)
            row["method"] = label
            rows.append(row)
        if not fits:
            rows.append({"sites": sites, "teams": teams, "method": "generate",
                         "postures": rows[-1]["postures"], "seconds": None, "peak_mib": None,
                         "status": "refused: needs "
                                   f"{enumeration_bytes(sites, teams) / 2**30:.3g} GiB",
                         "gap": None, "risk": None, "load": None})

    table = Table(title="nightly game at national scale: knapsack pricing (default) and "
                        "posture enumeration (generate)")
    for column in ("sites", "teams", "postures", "method", "seconds", "peak MiB", "status",
                   "gap", "risk", "load", "baseline s / s"):
        table.add_column(column, justify="left" if column in ("method", "status") else "right")
    for row in rows:
        base = next((b for b in rows if baseline is not None
                     and b["method"] == f"knapsack ({baseline.name})"
                     and (b["sites"], b["teams"]) == (row["sites"], row["teams"])), None)
        ratio = "-"
        if (row["method"] == "knapsack" and base is not None and row["status"] == "optimal"
                and base["status"] == "optimal"):
            ratio = f"{base['seconds'] / row['seconds']:.2f}"
        table.add_row(
            str(row["sites"]), str(row["teams"]),
            f"{row['postures']:,}" if row["postures"] < 10**12 else f"{row['postures']:.2e}",
            row["method"],
            "-" if row["seconds"] is None else f"{row['seconds']:.1f}",
            "-" if row["peak_mib"] is None else f"{row['peak_mib']:.0f}",
            row["status"], "-" if row["gap"] is None else f"{row['gap']:.1e}",
            "-" if row["risk"] is None else f"{row['risk']:.6f}",
            "-" if row.get("load") is None else f"{row['load']:.1f}", ratio)
    console.print(table)

    OUT.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    series = [("knapsack", "o-", "knapsack pricing"), ("generate", "s--", "enumeration")]
    if baseline is not None:
        series.append((f"knapsack ({baseline.name})", "^:", f"knapsack, {baseline.name}"))
    for method, marker, label in series:
        # solved, or stopped at the time limit (its time is the limit's)
        done = sorted((r["sites"] * r["teams"], r["seconds"]) for r in rows
                      if r["method"] == method and r["seconds"] is not None
                      and r["status"] in ("optimal", "time_limit"))
        if done:
            ax.plot([x for x, _ in done], [y for _, y in done], marker, label=label)
    ax.set_xlabel("sites x teams")
    ax.set_ylabel("seconds (log scale)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_title("Nightly game: solve time at national scale")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    target = OUT / "national.png"
    fig.savefig(target, dpi=120)
    plt.close(fig)
    console.print(f"plot: {target.relative_to(ROOT)}")
    agree = [(a, b) for a in rows for b in rows
             if a["method"] == "knapsack" and b["method"] == "generate"
             and (a["sites"], a["teams"]) == (b["sites"], b["teams"])
             and a["status"] == b["status"] == "optimal"]
    for a, b in agree:
        if not math.isclose(a["risk"], b["risk"], abs_tol=1e-6):
            console.print(f"DISAGREE at {a['sites']} x {a['teams']}: {a['risk']} vs {b['risk']}",
                          style="bold red")


def _refuse(line: str) -> NoReturn:
    """One line on stderr and exit code 2 (bad input)."""
    print(line, file=sys.stderr)
    raise SystemExit(2)


def _baseline(argv: list[str]) -> tuple[Path | None, list[str]]:
    """The checkout after ``--baseline`` (refused in one line when missing or not a
    checkout), and the other arguments."""
    if "--baseline" not in argv:
        return None, list(argv)
    k = argv.index("--baseline")
    if k + 1 >= len(argv):
        _refuse("--baseline: needs a checkout DIR after it")
    baseline = Path(argv[k + 1])
    if not (baseline / "src").is_dir():
        _refuse(f"--baseline: {str(baseline)!r} is not a checkout (no src/)")
    return baseline, argv[:k] + argv[k + 2:]


def seeds(argv: list[str]) -> None:
    """``--seeds SITES TEAMS LIMIT K [--baseline DIR]``: the time-limited solve of one size
    on the scenarios of seeds 0..K-1, each in a fresh process (alternating with the baseline
    checkout's, when given), and the gap's mean. A single run's path changes with any tiny
    change of the duals (at 100 x 30 its gap at 60 s moves by +-30 % between seeds), so a
    change is judged on several."""
    from rich.console import Console
    from rich.table import Table

    usage = "usage: --seeds SITES TEAMS LIMIT K [--baseline DIR]"
    try:
        sites, teams, limit, count = int(argv[0]), int(argv[1]), float(argv[2]), int(argv[3])
    except (IndexError, ValueError):
        _refuse(f"{usage} (got {' '.join(argv)!r})")
    if not (1 <= sites <= 250 and 1 <= teams <= 64 and 0 < limit <= 3600 and 1 <= count <= 20):
        _refuse(f"{usage}: SITES 1-250, TEAMS 1-64, LIMIT up to 3600 s, K 1-20 "
                f"(got {' '.join(argv)!r})")
    baseline, _ = _baseline(argv)
    trees: list[Path | None] = [None] if baseline is None else [None, baseline]
    console = Console(width=max(Console().width, 120))
    for tree in trees:  # compile the kernels outside the timings
        _in_fresh_process(5, 3, "knapsack", 30.0, tree)
    gaps: dict[str, list[float]] = {}
    table = Table(title=f"{sites} x {teams}, {limit:.0f} s, scenario seeds 0..{count - 1}")
    for column in ("seed", "code", "status", "gap", "risk", "seconds", "peak MiB", "load"):
        table.add_column(column, justify="left" if column in ("code", "status") else "right")
    for seed in range(count):
        for tree in trees:
            label = "this checkout" if tree is None else tree.name
            console.print(f"seed {seed}, {label} ...", style="dim")
            row = _in_fresh_process(sites, teams, "knapsack", limit, tree, seed)
            if row["gap"] is not None:
                gaps.setdefault(label, []).append(row["gap"])
            table.add_row(str(seed), label, row["status"],
                          "-" if row["gap"] is None else f"{row['gap']:.3e}",
                          "-" if row["risk"] is None else f"{row['risk']:.7f}",
                          "-" if row["seconds"] is None else f"{row['seconds']:.1f}",
                          "-" if row["peak_mib"] is None else f"{row['peak_mib']:.0f}",
                          f"{row['load']:.1f}")
    console.print(table)
    for label, values in gaps.items():
        console.print(f"{label}: mean gap {sum(values) / len(values):.3e} over "
                      f"{len(values)} seeds (least {min(values):.3e}, most {max(values):.3e})")


if __name__ == "__main__":
    if {"-h", "--help"} & set(sys.argv[1:]):
        print(__doc__)
    elif len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(_solve(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4],
                                float(sys.argv[5]),
                                int(sys.argv[6]) if len(sys.argv) > 6 else 0)))
    elif len(sys.argv) > 1 and sys.argv[1] == "--seeds":
        seeds(sys.argv[2:])
    else:
        main()
