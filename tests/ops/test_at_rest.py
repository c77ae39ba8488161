"""Encryption at rest: the record's bytes name no site, team or person of the scenario.

The names are read from examples/capital.yaml itself and searched for in the raw bytes of
the database file and its write-ahead log, in UTF-8 and UTF-16 (both byte orders), while
the record is open and just written; an older (0004) record is sealed on first open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from escolta.security.keyfile import load_key
from escolta.store import audit, open_store
from escolta.store.database import _engine, _migrations_config
from escolta.store.record import spent_nights

from .sealed_record import SCENARIO, copy_record, everything, names


@pytest.fixture
def record(sealed_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ESCOLTA_KEY_FILE", raising=False)
    return copy_record(sealed_built, tmp_path / "record.db")


def _found(path: Path, words: list[str]) -> list[str]:
    """The words whose bytes are in the file or its -wal, the schema's own SQL left out
    (``abel`` is in ``label``)."""
    data = b"".join(Path(f"{path}{s}").read_bytes() for s in ("", "-wal")
                    if Path(f"{path}{s}").exists())
    if path.suffix == ".db":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            schema = [row[0] for row in connection.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
        for sql in sorted(schema, key=len, reverse=True):
            data = data.replace(sql.encode("utf-8"), b"")
    return [w for w in words
            if any(w.encode(codec) in data for codec in ("utf-8", "utf-16-le", "utf-16-be"))]


def test_the_record_is_full_and_readable(record: Path) -> None:
    rows = everything(record)
    assert all(rows[t] for t in ("scenarios", "plans", "drawn_nights", "spent_nights",
                                 "roster_assignments", "order_nights", "issued_orders",
                                 "users", "acknowledgements", "audit_entries"))
    people = set(names()["person"])
    assert {r[5] for r in rows["roster_assignments"]} <= people  # person, opened
    assert {r[2] for r in rows["spent_nights"]} == {names()["site"][0]}


@pytest.mark.parametrize("kind", ["site", "team", "person"])
def test_no_name_is_in_the_files_while_the_record_is_open(record: Path, kind: str) -> None:
    from escolta.protect.plan import Night
    from escolta.store.record import record_spent_night

    store = open_store(record)
    try:
        with store.transaction() as session:  # a fresh write, still in the -wal
            record_spent_night(session, dt.date(2020, 1, 1),
                               Night(0, names()["site"][-1], 1, {names()["team"][0]:
                                                                 names()["site"][-1]}),
                               plan_id=None, override=True, cost={"x": 1.0})
        assert Path(f"{record}-wal").stat().st_size > 0
        assert _found(record, names()[kind]) == []
    finally:
        store.close()
    assert _found(record, names()[kind]) == []
    # the search itself works: the scenario's names are in the scenario's file
    assert _found(SCENARIO, names()[kind]) == names()[kind]


def _older_record(path: Path) -> None:
    """A record as the release before 0005 wrote it: plaintext rows."""
    engine = _engine(path)
    config = _migrations_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        now = "2026-12-01 00:00:00"
        connection.exec_driver_sql(
            "INSERT INTO scenarios (sha256, name, text, created_at) VALUES (?, ?, ?, ?)",
            ("0" * 64, "lakeside-villa.yaml", "sites: [lakeside-villa]", now))
        connection.exec_driver_sql(
            "INSERT INTO spent_nights (date, site, room, posts_json, override, cost_json, "
            "recorded_at) VALUES (?, ?, 1, ?, 0, NULL, ?)",
            ("2026-11-30", "lakeside-villa", json.dumps({"praetorian-1": "lakeside-villa"}),
             now))
        connection.exec_driver_sql(
            "INSERT INTO acknowledgements (order_id, person, acknowledged_at) VALUES (?, ?, ?)",
            ("2026-11-30:quique", "quique", now))
        key = load_key(path)
        body = audit.canonical(1, "t", "chief", "order.ack", "2026-11-30:quique", "ok")
        connection.exec_driver_sql(
            "INSERT INTO audit_entries (seq, timestamp, actor, action, target, outcome, "
            "prev_mac, mac) VALUES (1, 't', 'chief', 'order.ack', ?, 'ok', ?, ?)",
            ("2026-11-30:quique", audit.GENESIS, audit.entry_mac(key, audit.GENESIS, body)))
    engine.dispose()
    os.chmod(path, 0o600)


def test_an_older_record_is_sealed_on_first_open(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ESCOLTA_KEY_FILE", raising=False)
    path = tmp_path / "old.db"
    first_key = (tmp_path / "old.db.key")
    first_key.write_bytes(os.urandom(32))  # the first release's key file: 32 bytes
    first_key.chmod(0o600)
    audit_key = first_key.read_bytes()
    _older_record(path)
    assert _found(path, ["lakeside-villa", "quique"]) == ["lakeside-villa", "quique"]
    with open_store(path) as store, store.transaction() as session:
        [night] = spent_nights(session)
        assert night.night.site == "lakeside-villa"
        assert dict(night.night.posts) == {"praetorian-1": "lakeside-villa"}
        assert audit.verify(session, load_key(store.path)).intact
    assert load_key(path) == audit_key  # the key file was upgraded, its audit key kept
    assert _found(path, ["lakeside-villa", "quique", "praetorian-1"]) == []
    index = hmac.new(hmac.new(audit_key, b"escolta blind index 1", hashlib.sha256).digest(),
                     b"acknowledgements.order_id\x002026-11-30:quique", hashlib.sha256)
    assert everything(path)["acknowledgements"][0][1] == "=i=" + index.hexdigest()
