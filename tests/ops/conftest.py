"""Fixtures of the operations tests: a record in a temporary directory, small plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from escolta.protect.plan import Night, Pair, Plan, SolverInfo


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database path in a fresh directory; the user's own record is never touched."""
    monkeypatch.delenv("ESCOLTA_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "record.db"


@pytest.fixture
def chain_plan() -> Plan:
    """A hand-made three-night chain obeying no_repeat (site a never follows site a).

    Stationary law (0.5, 0.3, 0.2); the joint below has row sums and column sums both equal
    to it, so it is a valid stationary two-night distribution.
    """
    nights = (
        Night(0.5, "a", 1, {"t": "a"}),
        Night(0.3, "b", 1, {"t": "b"}),
        Night(0.2, "b", 2, {"t": "b"}),
    )
    pairs = (Pair(0, 1, 0.3), Pair(0, 2, 0.2), Pair(1, 0, 0.3), Pair(2, 0, 0.2))
    return Plan(risk=0.1, adversaries={"x": 0.1}, site_probability={"a": 0.5, "b": 0.5},
                nights=nights, pairs=pairs, solver=SolverInfo("optimal", 0.01, 0.1, "lp"))


@pytest.fixture
def independent_plan() -> Plan:
    """Four nights drawn independently (no pairs)."""
    nights = (
        Night(0.4, "a", 1, {"t": "a"}),
        Night(0.3, "b", 1, {"t": "b"}),
        Night(0.2, "c", 1, {"t": "c"}),
        Night(0.1, "c", 1, {"t": "a"}),
    )
    return Plan(risk=0.2, adversaries={"x": 0.2},
                site_probability={"a": 0.4, "b": 0.3, "c": 0.3},
                nights=nights, pairs=None, solver=SolverInfo("optimal", 0.01, 0.2, "lp"))
