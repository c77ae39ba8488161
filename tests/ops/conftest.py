"""Fixtures of the operations tests: a record in a temporary directory, small plans."""

from __future__ import annotations

from collections.abc import Iterator
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


#: A scenario the chain plan is feasible for: sites a (1 room) and b (2 rooms), one team,
#: no repeats, one adversary who sees nothing.
OPS_SCENARIO = """\
principal: P
sites:
  - {name: a, rooms: 1, success: [0.6, 0.2]}
  - {name: b, rooms: 2, success: [0.8, 0.4]}
teams:
  - {name: t, chain: guard}
rules: {no_repeat: true}
adversaries:
  - {name: strike, weight: 1, sees: nothing}
"""


@pytest.fixture
def ops_plan(chain_plan: Plan) -> Plan:
    """The chain plan with its figures for OPS_SCENARIO, worked out by hand.

    ``strike`` sees nothing and attacks the target with the largest
    P(principal there) x success: a: 0.5 x 0.2 = 0.10; (b, 1): 0.3 x 0.4 = 0.12;
    (b, 2): 0.2 x 0.4 = 0.08. So it attacks (b, 1) and succeeds with probability 0.12.
    """
    return Plan(risk=0.12, adversaries={"strike": 0.12}, site_probability={"a": 0.5, "b": 0.5},
                nights=chain_plan.nights, pairs=chain_plan.pairs, solver=chain_plan.solver)


@pytest.fixture
def ops_record(db_path: Path, ops_plan: Plan, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A record holding OPS_SCENARIO and its plan; ESCOLTA_DB points at it."""
    from escolta.store import open_store
    from escolta.store.record import save_plan, save_scenario

    with open_store(db_path) as store, store.transaction() as session:
        scenario = save_scenario(session, OPS_SCENARIO, "ops.yaml")
        save_plan(session, scenario.id, ops_plan)
    monkeypatch.setenv("ESCOLTA_DB", str(db_path))
    monkeypatch.chdir(db_path.parent)
    return db_path


@pytest.fixture
def ops_scenario():
    """OPS_SCENARIO, validated."""
    from escolta.protect.scenario import parse_scenario_text

    return parse_scenario_text(OPS_SCENARIO)


@pytest.fixture(scope="session")
def sealed_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full record of examples/capital.yaml (tests/ops/sealed_record.py); copy it to use."""
    from .sealed_record import build

    path = tmp_path_factory.mktemp("sealed") / "record.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ESCOLTA_KEY_FILE", raising=False)
        patch.delenv("ESCOLTA_DB", raising=False)
        build(path)
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A throwaway PostgreSQL server on loopback (tests/postgres_server.py), for the run."""
    from postgres_server import start

    server = start()
    if isinstance(server, str):
        pytest.skip(server)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_db(request: pytest.FixtureRequest, db_path: Path) -> str:
    """The record of a store test: an SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(db_path)
    return request.getfixturevalue("postgres").fresh_url()
