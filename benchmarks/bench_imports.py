"""What importing a module costs: CPU time and modules loaded, in a fresh interpreter.

``escolta schema`` must start in under 0.3 s, and every command pays for what its modules
import before it does anything. Each row imports one module in a fresh ``python -c``
(``sys.executable``, this checkout's ``src`` first on the path) and keeps the least CPU time
(user + system, from ``resource.getrusage``) of several runs: CPU time suffers less than
wall time from a machine that is busy with other work. ``heavy`` lists the numerical,
plotting and database libraries the import loaded (tests/test_import_cost.py asserts the
light modules load none). For where the time goes, ``python -X importtime -c "import M"``.

Run: ``python benchmarks/bench_imports.py``. Prints a table.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
HEAVY = ("numpy", "scipy", "matplotlib", "sqlalchemy", "numba", "highspy", "alembic")
MODULES = (
    "escolta.protect.scenario",
    "escolta.protect.plan",
    "escolta.protect.phones",
    "escolta.protect.appearances",
    "escolta.protect.solve",
    "escolta.reports.exports",
    "escolta.reports.plots",
    "escolta.redteam.intervals",
    "escolta.store",
)
_PROBE = ("import json, sys, {module}; "
          "print(json.dumps(sorted({{n.split('.')[0] for n in sys.modules}})), len(sys.modules))")


def _run(code: str) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, done.stdout


def main() -> None:
    bare = min(_run("pass")[0] for _ in range(RUNS))
    table = Table(title=f"Importing a module (least CPU time of {RUNS} fresh interpreters; "
                        f"bare python {bare * 1000:.0f} ms)")
    for column in ("module", "CPU ms", "modules", "heavy"):
        table.add_column(column, justify="left" if column in ("module", "heavy") else "right")
    for module in MODULES:
        cpu = min(_run(f"import {module}")[0] for _ in range(RUNS))
        names, count = _run(_PROBE.format(module=module))[1].rsplit(" ", 1)
        heavy = sorted(set(json.loads(names)) & set(HEAVY))
        table.add_row(module, f"{cpu * 1000:.0f}", count.strip(), " ".join(heavy) or "-")
    Console().print(table)


if __name__ == "__main__":
    main()
