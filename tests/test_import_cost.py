"""What importing a light module costs: no numerical, plotting or database library.

``escolta schema`` must start in well under 0.3 s, so :mod:`escolta.protect.scenario` and
what it imports load only pydantic, yaml and the standard library; the phone and export
modules stay as light, so commands that only read a scenario or write a file start fast.
Each import runs in a fresh interpreter, which is the only honest way to see what it loads.
Times are measured by ``python -X importtime``, not here (speeds never go in unit tests).
"""

import json
import subprocess
import sys

import pytest

HEAVY = ("numpy", "scipy", "matplotlib", "sqlalchemy", "numba", "highspy", "alembic")

# each also covers what it imports: scenario the leaves week, spacing and rotation; phones
# the tracker; exports the ics leaf and calendar_events
LIGHT = (
    "escolta.protect.scenario",
    "escolta.protect.plan",
    "escolta.protect.evaluate",
    "escolta.protect.phones",
    "escolta.reports.exports",
    "escolta.reports.plots",
)


def _loaded_by(module: str) -> list[str]:
    probe = (f"import json, sys, {module}; "
             "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=120)
    return json.loads(done.stdout)


@pytest.mark.parametrize("module", LIGHT)
def test_a_light_module_loads_no_heavy_library(module: str) -> None:
    assert sorted(set(_loaded_by(module)) & set(HEAVY)) == []


def test_the_probe_sees_a_heavy_library_when_there_is_one() -> None:
    assert "numpy" in _loaded_by("escolta.protect.draws")
