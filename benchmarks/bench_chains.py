"""Hostile chains on examples/capital.yaml: how the teams' mixes drive the fast solver.

A hostile chain (``sees: {chain: army}``) makes every team it reaches an insider team of the
fast solver (or, when it always sees the principal, only the teams it holds), so the mixes
decide the reduced state's size. For several mixes this prints the insider teams, the
reduced night types, the solve's CPU time (``time.process_time``, steadier than wall time on
a shared machine), the risk, the chain's success, and — the baseline, in the same run — the
same scenario solved without the chain adversary (its risk is over one adversary fewer: weights
are normalized, so the two risks are not a like-for-like comparison; the times are).

Run: ``python benchmarks/bench_chains.py``. Prints a table.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from escolta.protect.nightly import solve_nightly_report
from escolta.protect.nightly.reduce import count_placements, reduce_scenario
from escolta.protect.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
G, A = "presidential-guard", "army"
MIXES: dict[str, dict[str, dict[str, int]]] = {
    "no mixes (as in the file)": {},
    "every team mixed": {t: {G: 1, A: 1} for t in ("praetorian-1", "praetorian-2",
                                                    "praetorian-3", "army-alpha", "army-bravo")},
    "guard teams guard-only": {"praetorian-1": {G: 2}, "praetorian-2": {G: 2},
                               "praetorian-3": {G: 2}, "army-alpha": {A: 1, G: 1}},
    "one guard team guard-only": {"praetorian-1": {G: 2}, "praetorian-2": {G: 1, A: 1},
                                  "praetorian-3": {G: 1, A: 1}, "army-alpha": {A: 1, G: 1},
                                  "army-bravo": {A: 1, G: 1}},
}


def _with_mixes(base: dict[str, Any], mixes: dict[str, dict[str, int]],
                chain: bool) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for team in data["teams"]:
        if team["name"] in mixes:
            team["mix"] = mixes[team["name"]]
    if not chain:
        data["adversaries"] = [a for a in data["adversaries"]
                               if not (isinstance(a.get("sees"), dict) and "chain" in a["sees"])]
    return data


def _cpu(data: dict[str, Any]) -> tuple[float, Any]:
    scenario = load_scenario(data)
    start = time.process_time()
    report = solve_nightly_report(scenario)
    return time.process_time() - start, report


def main() -> None:
    base = yaml.safe_load((ROOT / "examples" / "capital.yaml").read_text())
    _cpu(base)  # compile the kernels first
    table = Table(title="capital.yaml with a hostile army: mixes and the fast solver")
    for column in ("mixes", "insider teams", "types", "CPU s", "risk", "army-coup",
                   "CPU s without chain", "risk without chain"):
        table.add_column(column, justify="left" if column == "mixes" else "right")
    for name, mixes in MIXES.items():
        data = _with_mixes(base, mixes, chain=True)
        game = reduce_scenario(load_scenario(data))
        types = (game.n_sites * (game.n_teams + 1)
                 * count_placements(game.n_sites, game.n_insider_teams, game.groups))
        seconds, report = _cpu(data)
        bare_seconds, bare = _cpu(_with_mixes(base, mixes, chain=False))
        table.add_row(name, str(game.n_insider_teams), f"{types:,}", f"{seconds:.2f}",
                      f"{report.plan.risk:.6f}", f"{report.plan.adversaries['army-coup']:.4f}",
                      f"{bare_seconds:.2f}", f"{bare.plan.risk:.6f}")
    Console().print(table)


if __name__ == "__main__":
    main()
