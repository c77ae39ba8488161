"""The convoy's driver, end to end on examples/convoy.yaml (docs/design.md §10, §12): the
plan solved, a fortnight drawn with its routes, the crews rostered and the orders issued
through the command line; then the officer who drives reads their orders on the web.

The driver's order carries the drawn route (the nodes ``escolta route --json`` reports for
that date, a second reading of the record) and names no site; the other officers' orders
carry no route; the record's bytes hold none of the route's lines (orders sealed at rest).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .web_cases import PASSWORD, signed_in

EXAMPLE = Path(__file__).parents[2] / "examples" / "convoy.yaml"
SITES = [site["name"] for site in yaml.safe_load(EXAMPLE.read_text())["sites"]]
TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)


def _cli(*argv: str) -> str:
    from typer.testing import CliRunner

    from escolta.cli.main import _register_commands, app

    _register_commands()
    result = CliRunner().invoke(app, list(argv))
    assert result.exit_code == 0, (argv, result.output, repr(result.exception))
    return result.stdout


@pytest.fixture(scope="module")
def convoy_record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The record, the drawn route of tomorrow (today's night has no yesterday, so no route;
    under no_repeat tomorrow's always has one), who holds which position tomorrow, and the
    days each person is on duty (the roster of two drawn nights may rest someone today)."""
    from escolta.operations.users import add_user
    from escolta.security.keyfile import load_key
    from escolta.store import open_store
    from escolta.store.rosters import roster_on

    directory = tmp_path_factory.mktemp("convoy")
    patch = pytest.MonkeyPatch()
    patch.delenv("ESCOLTA_DB", raising=False)
    patch.setenv("ESCOLTA_KEY_FILE", str(directory / "audit.key"))
    db = str(directory / "record.db")
    for argv in (["plan", str(EXAMPLE), "--json"], ["schedule", "--days", "2"],
                 ["roster", "--days", "2"], ["orders", "--date", TODAY.isoformat()],
                 ["orders", "--date", TOMORROW.isoformat()]):
        _cli(*argv, "--db", db)
    route = json.loads(_cli("route", "--date", TOMORROW.isoformat(), "--json", "--db", db))
    with open_store(db) as store, store.transaction() as session:
        positions = {(a.team, a.position): a.person for a in roster_on(session, TOMORROW)
                     if a.date == TOMORROW}
        on_duty: dict[str, set[str]] = {}
        for day in (TODAY, TOMORROW):
            for a in roster_on(session, day):
                if a.date == day:
                    on_duty.setdefault(a.person, set()).add(day.isoformat())
        key = load_key(store.path)
        for (team, position), person in positions.items():
            add_user(session, key, name=f"{team}-{position}", role="officer",
                     person=person, password=PASSWORD)
    yield {"db": Path(db), "route": route, "positions": positions, "on_duty": on_duty}
    patch.undo()


@pytest.fixture(scope="module")
def record_app(convoy_record: dict[str, Any]) -> Iterator[Any]:
    """The web app over the record's own orders (no fake order source)."""
    from escolta.web.app import create_app
    from escolta.web.settings import Settings

    application = create_app(Settings(db=convoy_record["db"]))
    yield application
    application.state.store.close()


def _route_lines(route: dict[str, Any]) -> list[str]:
    """The route as the order must list it: node k of ``escolta route --json``, in order,
    with its coordinates to six decimals."""
    return [f"{k}. road node {node} ({lat:.6f}, {lon:.6f})" for k, (node, (lat, lon))
            in enumerate(zip(route["nodes"], route["points"], strict=True), start=1)]


def _tonight(app: Any, user: str) -> tuple[str, list[dict[str, Any]]]:
    client, _ = signed_in(app, user)
    return client.get("/tonight").text, client.get("/api/orders/mine").json()["orders"]


def test_the_driver_reads_the_drawn_route_and_no_site(record_app: Any,
                                                       convoy_record: dict[str, Any]) -> None:
    page, orders = _tonight(record_app, "alpha-driver")
    by_date = {o["date"]: o["text"] for o in orders}
    driver = convoy_record["positions"][("alpha", "driver")]
    assert set(by_date) == convoy_record["on_duty"][driver]  # an order a duty day
    lines = _route_lines(convoy_record["route"])
    assert len(lines) >= 2
    text = by_date[TOMORROW.isoformat()]
    assert [line for line in text.splitlines() if ". road node " in line] == lines
    assert f"these {len(lines)} road nodes" in text
    if TODAY.isoformat() in by_date:  # on duty today too (the roster may rest them)
        assert "the convoy does not move today" in by_date[TODAY.isoformat()].lower()
    for line in lines:
        assert line.replace("'", "&#39;") in page
    for site in SITES:
        assert site not in page
        assert all(site not in o["text"] for o in orders)
    assert all("principal" not in o["text"].lower()
               and "room" not in o["text"].lower() for o in orders)


@pytest.mark.parametrize("user", ["alpha-lead", "alpha-agent", "bravo-lead", "bravo-agent"])
def test_the_other_officers_orders_carry_no_route(record_app: Any, user: str,
                                                  convoy_record: dict[str, Any]) -> None:
    page, orders = _tonight(record_app, user)
    team, position = user.split("-")
    person = convoy_record["positions"][(team, position)]
    assert {o["date"] for o in orders} == convoy_record["on_duty"][person]  # one a duty day
    assert len(orders) == len(convoy_record["on_duty"][person])
    nodes = [str(n) for n in convoy_record["route"]["nodes"]]
    for order in orders:
        assert "road node" not in order["text"] and "convoy" not in order["text"]
        assert not any(node in order["text"] for node in nodes)
    assert "road node" not in page
    tomorrow = next(o["text"] for o in orders if o["date"] == TOMORROW.isoformat())
    assert any(site in tomorrow for site in SITES)  # their post, as docs/design.md §10 says


def test_the_records_bytes_hold_no_line_of_the_route(convoy_record: dict[str, Any]) -> None:
    """Orders (and the drawn nights, and the plan's routes) are sealed: no route line and
    no road node id is in the database file or its write-ahead log."""
    path = convoy_record["db"]
    data = b"".join(Path(f"{path}{s}").read_bytes() for s in ("", "-wal")
                    if Path(f"{path}{s}").exists())
    assert data
    assert b"road node" not in data
    assert not [n for n in convoy_record["route"]["nodes"] if str(n).encode() in data]
