"""The audit chain: HMAC-SHA256 links recomputed independently; edits, deletions and
reorderings are caught at the first bad entry, by the library and by ``escolta audit verify``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import run

from escolta.security.keyfile import load_key
from escolta.store import audit, open_store

ACTIONS = ["signin", "plan.read", "orders.read", "record", "signout", "signin"]


@pytest.fixture
def chain(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A record with six entries (seq 1..6) and its key at ESCOLTA_KEY_FILE."""
    monkeypatch.setenv("ESCOLTA_KEY_FILE", str(tmp_path / "audit.key"))
    monkeypatch.setenv("ESCOLTA_DB", db)
    with open_store(db) as store, store.transaction() as session:
        key = load_key(store.path)
        for k, action in enumerate(ACTIONS):
            audit.append(session, key, actor=f"user{k}", action=action, target=f"t{k}")
    return Path(db)


def test_each_mac_is_hmac_sha256_of_the_previous_mac_and_the_canonical_entry(
        chain: Path, tmp_path: Path) -> None:
    from sqlalchemy import select

    from escolta.store.models import AuditEntryRow

    key = load_key(chain)  # the keyring's audit key (the target column is sealed: read by key)
    t = AuditEntryRow
    with open_store(chain) as store, store.transaction() as session:
        rows = session.execute(select(t.seq, t.timestamp, t.actor, t.action, t.target,
                                      t.outcome, t.prev_mac, t.mac).order_by(t.id)).all()
    previous = "0" * 64
    for seq, timestamp, actor, action, target, outcome, prev_mac, mac in rows:
        body = json.dumps({"seq": seq, "timestamp": timestamp, "actor": actor,
                           "action": action, "target": target, "outcome": outcome},
                          sort_keys=True, separators=(",", ":")).encode()
        assert prev_mac == previous
        assert mac == hmac.new(key, previous.encode() + body, hashlib.sha256).hexdigest()
        previous = mac
    assert [r[0] for r in rows] == list(range(1, len(ACTIONS) + 1))


def _tamper(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)


TAMPERING = [
    # the target is sealed: the writer without the key can only move another entry's in
    pytest.param(["UPDATE audit_entries SET target = (SELECT target FROM audit_entries "
                  "WHERE seq = 1) WHERE seq = 3"], 3, "edited", id="edit-a-target"),
    pytest.param(["UPDATE audit_entries SET outcome = 'ok', actor = 'x' WHERE seq = 5"], 5,
                 "edited", id="edit-an-actor"),
    pytest.param(["DELETE FROM audit_entries WHERE seq = 2"], 3, "deleted", id="delete-one"),
    pytest.param(["DELETE FROM audit_entries WHERE seq = 1"], 2, "deleted",
                 id="delete-the-first"),
    # swap the contents of rows 3 and 4 (storage order): entry 4 now comes before entry 3
    pytest.param(["UPDATE audit_entries SET id = 100 WHERE seq = 3",
                  "UPDATE audit_entries SET id = 3 WHERE seq = 4",
                  "UPDATE audit_entries SET id = 4 WHERE seq = 3"], 4, "reordered",
                 id="reorder-two"),
    pytest.param(["UPDATE audit_entries SET seq = 40 WHERE seq = 4",
                  "UPDATE audit_entries SET seq = 4 WHERE seq = 3",
                  "UPDATE audit_entries SET seq = 3 WHERE seq = 40"], 4, "edited",
                 id="renumber-two"),
]


@pytest.mark.parametrize(("statements", "first_bad", "word"), TAMPERING)
def test_verify_names_the_first_bad_entry(chain: Path, statements: list[str], first_bad: int,
                                          word: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "audit", "verify")
    assert (code, out.strip()) == (0, f"audit chain intact: {len(ACTIONS)} entries")
    _tamper(chain, *statements)
    code, out, err = run(capsys, "audit", "verify")
    assert code == 1
    assert f"broken at entry {first_bad}:" in err and word in err


def test_verify_json_says_intact(chain: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", "verify", "--json")
    assert (code, json.loads(out)) == (0, {"entries": len(ACTIONS), "intact": True,
                                           "first_bad_seq": None, "reason": ""})


def test_a_forged_entry_without_the_key_is_caught(chain: Path) -> None:
    """Whoever can write the database but not read the key cannot extend the chain."""
    with open_store(chain) as store, store.transaction() as session:
        audit.append(session, b"\x00" * 32, actor="mallory", action="record", target="x")
        check = audit.verify(session, load_key(store.path))
    assert (check.intact, check.first_bad_seq) == (False, len(ACTIONS) + 1)


def test_show_lists_the_entries_oldest_first(chain: Path, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    code, out, _ = run(capsys, "audit", "show", "--json", "--last", "3")
    assert code == 0
    assert [e["seq"] for e in json.loads(out)["entries"]] == [4, 5, 6]


def test_show_refuses_a_limit_out_of_range(chain: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    code, _, err = run(capsys, "audit", "show", "--last", "0")
    assert code == 2 and "--last" in err
