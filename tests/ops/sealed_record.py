"""A record with everything the operations centre keeps, built on examples/capital.yaml.

Plan, a few nights' schedule and roster, the orders of two nights, a night spent, users
with their person, acknowledgements and audit entries naming orders (``DATE:PERSON``).
:func:`everything` reads every row of every table back through the models, to compare a
record before and after a migration or a rotation.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml
from sqlalchemy import select
from typer.testing import CliRunner

ROOT = Path(__file__).parents[2]
SCENARIO = ROOT / "examples" / "capital.yaml"


def names() -> dict[str, list[str]]:
    """The scenario's site, team and person names (what must never be in the file)."""
    data = yaml.safe_load(SCENARIO.read_text())
    return {"site": [s["name"] for s in data["sites"]],
            "team": [t["name"] for t in data["teams"]],
            "person": [data["principal"], *(p["name"] for p in data["staff"])]}


def build(path: Path) -> None:
    """Fill a new record at ``path`` (its key file beside it) through the CLI and services."""
    from escolta.cli.main import _register_commands, app
    from escolta.operations.users import add_user
    from escolta.security.keyfile import load_key
    from escolta.store import audit, open_store
    from escolta.store.orders import issued_orders
    from escolta.web.orders_source import acknowledge

    _register_commands()
    runner = CliRunner()
    today = dt.date.today()
    for args in (["plan", str(SCENARIO), "--json"], ["schedule", "--days", "3"],
                 ["roster", "--days", "2"],
                 ["orders", "--date", today.isoformat(), "--out", str(path.parent / "o")],
                 ["record", "--site", names()["site"][0], "--date", today.isoformat()]):
        result = runner.invoke(app, [*args, "--db", str(path)])
        assert result.exit_code == 0, (args, result.output, repr(result.exception))
    shutil.rmtree(path.parent / "o")
    with open_store(path) as store, store.transaction() as session:
        key = load_key(store.path)
        copies = issued_orders(session)
        for k, copy in enumerate(copies[:3]):
            add_user(session, key, name=f"officer{k}", role="officer", password="x" * 12,
                     person=copy.person)
            order_id = f"{copy.date.isoformat()}:{copy.person}"
            acknowledge(session, order_id, copy.person)
            audit.append(session, key, actor=f"officer{k}", action="order.ack",
                         target=order_id)
        audit.append(session, key, actor="planner", action="scenario.save",
                     target=f"{SCENARIO.name} #1")


def copy_record(source: Path, target: Path) -> Path:
    """A copy of a record and its key file (mode kept)."""
    for suffix in ("", ".key"):
        shutil.copy2(f"{source}{suffix}", f"{target}{suffix}")
    return target


def everything(path: Path | str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, read through the models (sealed columns opened)."""
    from escolta.store import open_store
    from escolta.store.models import Base

    found: dict[str, list[tuple[object, ...]]] = {}
    with open_store(path) as store, store.transaction() as session:
        for mapper in Base.registry.mappers:
            table = mapper.local_table
            rows = session.execute(select(*table.columns).order_by(table.c.id)).all()
            found[table.name] = [tuple(row) for row in rows]
    return found
