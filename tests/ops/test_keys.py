"""Keys: the first-release key file upgraded in place, rotation, and rotation interrupted.

Every check compares the whole record, read back through the models, with the record
before (sealed_record.everything): a rotation must change the ciphertexts and nothing
else. An interruption is a failure raised at each step of the rotation, and a real
SIGKILL of a process in the middle of its re-sealing transaction.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from escolta.security.keyfile import MAGIC, load_key, load_keyring
from escolta.store import audit, open_store

from .sealed_record import copy_record, everything

STEPS = ["key-added", "resealing", "resealed", "retired"]


@pytest.fixture
def record(sealed_built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ESCOLTA_KEY_FILE", raising=False)
    return copy_record(sealed_built, tmp_path / "record.db")


def _raw(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return {v for (v,) in connection.execute("SELECT night_json FROM drawn_nights")}


def _intact(path: Path) -> bool:
    with open_store(path) as store, store.transaction() as session:
        return audit.verify(session, load_key(path)).intact


def test_a_first_release_key_file_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "r.db.key"
    old = os.urandom(32)
    path.write_bytes(old)
    path.chmod(0o600)
    keyring = load_keyring(tmp_path / "r.db", {})
    assert keyring.audit == old and keyring.ids() == [1]
    assert path.read_bytes().startswith(MAGIC)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keyring(tmp_path / "r.db", {}) == keyring  # upgraded once, then read
    assert load_key(tmp_path / "r.db", {}) == old


def test_a_racing_creator_reads_the_whole_key(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # Two processes open a new record at once (tests/ops/test_store.py's two writers once
    # read an empty key file this way): the second runs just before the first writes its
    # key. Each must end with the same whole key, and the file with it.
    from escolta.security import keyfile

    real_write = keyfile.os.write
    raced: list[object] = []

    def write_after_a_racer(descriptor: int, data: bytes) -> int:
        if not raced:
            raced.append(None)
            raced.append(load_keyring(tmp_path / "r.db", {}))  # the racer, mid-creation
        return real_write(descriptor, data)

    monkeypatch.setattr(keyfile.os, "write", write_after_a_racer)
    first = load_keyring(tmp_path / "r.db", {})
    assert raced[1] == first
    monkeypatch.setattr(keyfile.os, "write", real_write)
    assert load_keyring(tmp_path / "r.db", {}) == first
    assert stat.S_IMODE((tmp_path / "r.db.key").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.db.key"]  # no temporary left


def test_an_upgrade_is_not_written_through_a_planted_link(tmp_path: Path) -> None:
    from escolta.errors import InputError

    (tmp_path / "victim").write_bytes(os.urandom(32))
    (tmp_path / "victim").chmod(0o600)
    (tmp_path / "r.db.key").symlink_to(tmp_path / "victim")
    with pytest.raises(InputError, match="symbolic link"):
        load_keyring(tmp_path / "r.db", {})
    assert len((tmp_path / "victim").read_bytes()) == 32


def test_rotate_reseals_every_value_and_retires_the_old_key(record: Path) -> None:
    from escolta.cli.main import _register_commands, app

    before, raw = everything(record), _raw(record)
    _register_commands()
    result = CliRunner().invoke(app, ["keys", "rotate", "--json", "--db", str(record)])
    assert result.exit_code == 0, result.output
    assert '"retired": [\n    1\n  ]' in result.stdout
    assert everything(record) == before
    assert _raw(record).isdisjoint(raw)  # every ciphertext changed
    assert load_keyring(record).ids() == [2] and _intact(record)
    shown = CliRunner().invoke(app, ["keys", "show", "--json", "--db", str(record)])
    assert '"current": 2' in shown.stdout
    assert load_keyring(record).seal[2].hex() not in shown.stdout  # no key material


class Interrupted(Exception):
    pass


@pytest.mark.parametrize("step", STEPS)
def test_a_rotation_interrupted_at_any_step_loses_nothing(record: Path, step: str) -> None:
    from escolta.operations.keys import rotate

    before = everything(record)

    def stop(reached: str) -> None:
        if reached == step:
            raise Interrupted(step)

    with open_store(record) as store, pytest.raises(Interrupted):
        rotate(store, stop)
    assert everything(record) == before and _intact(record)  # opens with the file as it is
    with open_store(record) as store:
        done = rotate(store)
    assert load_keyring(record).ids() == [done.new_key]
    assert everything(record) == before and _intact(record)


def test_a_rotation_killed_mid_transaction_loses_nothing(record: Path) -> None:
    script = textwrap.dedent(f"""
        import os, signal
        from escolta.operations.keys import rotate
        from escolta.store import open_store

        def kill(step):
            if step == "resealing":
                os.kill(os.getpid(), signal.SIGKILL)

        with open_store({str(record)!r}) as store:
            rotate(store, kill)
    """)
    before = everything(record)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.run([sys.executable, "-c", script], env=env, check=False)
    assert process.returncode == -signal.SIGKILL
    assert load_keyring(record).ids() == [1, 2]  # the new key was added, the old kept
    assert everything(record) == before and _intact(record)
    from escolta.operations.keys import rotate

    with open_store(record) as store:
        assert rotate(store).retired == (1, 2)
    assert load_keyring(record).ids() == [3] and everything(record) == before


NAMES = ("lakeside-villa", "praetorian-1", "quique")


def _small(db: str) -> None:
    """A few rows naming a site, a team and a person, through the store's functions."""
    import datetime as dt

    from escolta.protect.plan import Night
    from escolta.store.models import RosterAssignmentRow
    from escolta.store.record import record_spent_night, save_scenario

    with open_store(db) as store, store.transaction() as session:
        save_scenario(session, "sites: [lakeside-villa]\n", "lakeside-villa.yaml")
        record_spent_night(session, dt.date(2030, 1, 1),
                           Night(0, "lakeside-villa", 1, {"praetorian-1": "lakeside-villa"}),
                           plan_id=None, override=True, cost={"x": 0.5})
        session.add(RosterAssignmentRow(date=dt.date(2030, 1, 1), team="praetorian-1",
                                        position="lead", role="lead", person="quique",
                                        with_principal=True, plan_id=None,
                                        rostered_at=dt.datetime(2030, 1, 1)))
        audit.append(session, load_key(store.path), actor="chief", action="order.ack",
                     target="2030-01-01:quique")


def _stored_text(db: str) -> str:
    """Every text value of every table as the database returns it, without the models."""
    from escolta.store.models import Base

    values = []
    with open_store(db) as store, store.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.exec_driver_sql(f"SELECT * FROM {table.name}"):  # noqa: S608
                values += [str(v) for v in row]
    return "\n".join(values)


@pytest.mark.parametrize("step", [*STEPS, None])
def test_both_backends_seal_and_survive_an_interrupted_rotation(store_db: str,
                                                                 step: str | None) -> None:
    from escolta.operations.keys import rotate

    _small(store_db)
    before, stored = everything(store_db), _stored_text(store_db)
    assert not any(name in stored for name in NAMES)

    def stop(reached: str) -> None:
        if reached == step:
            raise Interrupted(step)

    with open_store(store_db) as store:
        if step is None:
            rotate(store, stop)
        else:
            with pytest.raises(Interrupted):
                rotate(store, stop)
    assert everything(store_db) == before
    with open_store(store_db) as store:
        done = rotate(store)
        assert store.keyring.ids() == [done.new_key]
        with store.transaction() as session:
            assert audit.verify(session, load_key(store.path)).intact
    after = _stored_text(store_db)
    assert everything(store_db) == before and not any(name in after for name in NAMES)


def test_a_record_opened_before_a_rotation_seals_under_the_new_key(store_db: str) -> None:
    from escolta.operations.keys import rotate
    from escolta.security.sealing import key_id
    from escolta.store.record import save_scenario

    _small(store_db)
    with open_store(store_db) as early, open_store(store_db) as rotating:
        with early.transaction() as session:  # read the key file before the rotation
            save_scenario(session, "sites: [north-safehouse]\n", "first")
        done = rotate(rotating)
        assert done.retired == (1,)
        with early.transaction() as session:  # without reloading it would seal under key 1
            save_scenario(session, "sites: [south-safehouse]\n", "second")
    with open_store(store_db) as store, store.engine.connect() as connection:
        names = [v for (v,) in connection.exec_driver_sql("SELECT name FROM scenarios")]
    assert {key_id(v) for v in names} == {done.new_key}
    assert {row[2] for row in everything(store_db)["scenarios"]} >= {"first", "second"}
