"""``escolta --help`` and ``escolta schema`` load no heavy library (fast start).

Time itself is measured in ``benchmarks/bench_startup.py``; this test checks the cause
instead, which does not depend on how busy the machine is: the modules a fresh interpreter
has loaded when the command has answered.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

HEAVY = ("numpy", "scipy", "matplotlib", "sqlalchemy", "numba", "highspy", "ortools", "rich",
         "pandas", "alembic")

_PROBE = """
import atexit, sys
heavy = {heavy!r}
atexit.register(lambda: print("LOADED", sorted(m for m in heavy if m in sys.modules),
                              file=sys.stderr))
from escolta.cli.main import main
main({argv!r})
"""


@pytest.mark.parametrize(("argv", "allowed"), [
    pytest.param(["--help"], set(), id="help"),
    pytest.param(["schema"], set(), id="schema"),
    pytest.param(["phones", "--help"], set(), id="group-help"),
])
def test_start_loads_no_heavy_library(argv, allowed) -> None:
    result = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY, argv=argv)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("LOADED"))
    loaded = set(ast.literal_eval(line.removeprefix("LOADED")))
    assert loaded <= allowed, f"{argv} loaded {sorted(loaded - allowed)}"
