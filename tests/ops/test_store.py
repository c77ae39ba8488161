"""The record: migrations, file permissions, crashes and concurrent writers."""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from escolta.errors import InputError, StoreError
from escolta.store import open_store
from escolta.store.appearances import appearance_week, record_appearance_week
from escolta.store.database import _migrations_config, file_mode
from escolta.store.models import Base, ScenarioRow
from escolta.store.phones import (
    add_handset,
    assign_phone_day,
    list_handsets,
    phone_days,
    retire_handset,
)
from escolta.store.record import (
    drawn_night,
    last_spent_night,
    latest_plan,
    record_spent_night,
    save_drawn_nights,
    save_plan,
    save_scenario,
    scenario_sha256,
)

WRITER = Path(__file__).with_name("record_writer.py")
TABLES = {"scenarios", "plans", "drawn_nights", "spent_nights", "handsets", "phone_days",
          "appearance_weeks", "alembic_version",
          "order_nights", "issued_orders",
          "roster_assignments"}
TABLES |= {"users", "web_sessions", "acknowledgements", "audit_entries"}  # 0004_web


def _head() -> str:
    head = ScriptDirectory.from_config(_migrations_config()).get_current_head()
    assert head is not None
    return head


def _version(db: str | Path) -> list[tuple[str]]:
    with open_store(db) as store, store.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(
            "SELECT version_num FROM alembic_version").fetchall()]


def test_migrations_run_from_empty_and_match_the_models(store_db: str) -> None:
    with open_store(store_db) as store:
        assert set(inspect(store.engine).get_table_names()) == TABLES
        with store.engine.connect() as connection:
            # autogenerate finds nothing to change: migrations and models agree
            differences = compare_metadata(MigrationContext.configure(connection),
                                           Base.metadata)
        assert differences == []
    assert _version(store_db) == [(_head(),)]


def test_migrations_are_idempotent(store_db: str) -> None:
    with open_store(store_db) as store, store.transaction() as session:
        save_scenario(session, "principal: P\n", "P")
    with open_store(store_db) as store, store.transaction() as session:
        assert save_scenario(session, "principal: P\n", "P").id == 1
    assert _version(store_db) == [(_head(),)]


def test_the_file_is_readable_by_its_owner_only(db_path: Path) -> None:
    open_store(db_path).close()
    assert file_mode(db_path) == 0o600
    for sidecar in db_path.parent.glob(db_path.name + "-*"):  # WAL and shared memory
        assert file_mode(sidecar) & 0o077 == 0


def test_the_default_record_lives_in_a_private_data_directory(
    db_path: Path, tmp_path: Path
) -> None:
    with open_store() as store:
        assert store.path == tmp_path / "xdg" / "escolta" / "escolta.db"
    assert file_mode(tmp_path / "xdg" / "escolta") == 0o700
    assert file_mode(store.path) == 0o600


def test_the_environment_variable_chooses_the_record(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESCOLTA_DB", str(db_path))
    with open_store() as store:
        assert store.path == db_path


def test_a_missing_directory_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "record.db"
    with pytest.raises(InputError) as error:
        open_store(missing)
    assert error.value.field == "--db"
    assert str(tmp_path / "no-such-dir") in str(error.value)
    assert "\n" not in str(error.value)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database " * 100)
    path.chmod(0o600)  # a loose mode is refused before the content is read
    with pytest.raises(StoreError, match="notes.db") as error:
        open_store(path)
    assert str(error.value).startswith("--db: ")  # the option the user got wrong


def test_a_scenario_is_versioned_by_the_hash_of_its_text(store_db: str) -> None:
    with open_store(store_db) as store, store.transaction() as session:
        first = save_scenario(session, "principal: P\n", "P")
        again = save_scenario(session, "principal: P\n", "P")
        changed = save_scenario(session, "principal: Q\n", "Q")
    assert first.id == again.id != changed.id
    # the hash is SHA-256 of the UTF-8 text, computed here independently
    import hashlib

    assert first.sha256 == hashlib.sha256(b"principal: P\n").hexdigest()
    assert first.sha256 == scenario_sha256("principal: P\n")


def test_plans_draws_and_spent_nights_round_trip(store_db: str, chain_plan) -> None:
    day = dt.date(2030, 1, 1)
    with open_store(store_db) as store, store.transaction() as session:
        scenario = save_scenario(session, "principal: P\n", "P")
        stored = save_plan(session, scenario.id, chain_plan)
        save_drawn_nights(session, stored.id, [(day, chain_plan.nights[1])], seeded=True)
        record_spent_night(session, day, chain_plan.nights[2], plan_id=stored.id,
                           override=False, cost=None)
    with open_store(store_db) as store, store.transaction() as session:
        assert latest_plan(session).plan.to_dict() == chain_plan.to_dict()
        assert drawn_night(session, day) is None  # seeded draws are never "in force"
        drawn = drawn_night(session, day, include_seeded=True)
        assert drawn.seeded and drawn.night.key() == chain_plan.nights[1].key()
        spent = last_spent_night(session)
        assert spent.date == day and spent.night.key() == chain_plan.nights[2].key()
        _, replaced = record_spent_night(session, day, chain_plan.nights[0], plan_id=None,
                                         override=True, cost={"x": 0.5})
        assert replaced
        assert last_spent_night(session).cost == {"x": 0.5}
        assert last_spent_night(session, before=day) is None


def test_handsets_phone_days_and_appearance_weeks(store_db: str) -> None:
    monday = dt.date(2030, 1, 7)
    with open_store(store_db) as store, store.transaction() as session:
        add_handset(session, "h1", notes="blue")
        add_handset(session, "h2")
        with pytest.raises(InputError, match="already exists"):
            add_handset(session, "h1")
        assign_phone_day(session, monday, "h1", seeded=False)
        retire_handset(session, "h1")
        with pytest.raises(InputError, match="retired"):
            assign_phone_day(session, monday + dt.timedelta(days=1), "h1", seeded=False)
        assert [h.label for h in list_handsets(session)] == ["h2"]
        assert len(list_handsets(session, include_retired=True)) == 2
        record_appearance_week(session, monday, [0, 3], plan_id=None, seeded=True)
        with pytest.raises(InputError, match="Monday"):
            record_appearance_week(session, monday + dt.timedelta(days=1), [1], plan_id=None,
                                   seeded=False)
    with open_store(store_db) as store, store.transaction() as session:
        [day] = phone_days(session)
        assert day.handset.label == "h1" and day.handset.retired and not day.seeded
        week = appearance_week(session, monday)
        assert week.slots == (0, 3) and week.seeded


def test_a_failed_command_leaves_nothing_behind(store_db: str) -> None:
    with open_store(store_db) as store:
        with pytest.raises(InputError), store.transaction() as session:
            add_handset(session, "h1")
            add_handset(session, "h1")  # fails: the whole transaction rolls back
        with store.transaction() as session:
            assert list_handsets(session) == []


def _committed_scenarios(path: str) -> dict[str, str]:
    if "://" not in path:
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with open_store(path) as store, store.transaction() as session:  # names are sealed
        return {row.name: row.text for row in session.scalars(select(ScenarioRow))}


def _payload(label: str) -> str:
    sys.path.insert(0, str(WRITER.parent))
    try:
        from record_writer import payload
    finally:
        sys.path.pop(0)
    return payload(label)


def test_the_record_survives_a_process_killed_mid_write(store_db: str) -> None:
    open_store(store_db).close()
    writer = subprocess.Popen([sys.executable, str(WRITER), store_db, "k", "100000"],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    committed = []
    for line in writer.stdout:
        committed.append(line.strip())
        if len(committed) == 150:
            break
    writer.send_signal(signal.SIGKILL)  # in the middle of the next transactions
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    stored = _committed_scenarios(store_db)
    for label in committed:  # every commit reported before the kill is there, intact
        assert stored[label] == _payload(label)
    # the record is still writable after the crash
    with open_store(store_db) as store, store.transaction() as session:
        save_scenario(session, "after the crash", "after")
    assert "after" in _committed_scenarios(store_db)


def test_two_concurrent_writers_lose_nothing(store_db: str) -> None:
    count = 120
    writers = [subprocess.Popen([sys.executable, str(WRITER), store_db, tag, str(count)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for tag in ("left", "right")]
    outputs = [w.communicate(timeout=120) for w in writers]
    for writer, (_, stderr) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, stderr
    stored = _committed_scenarios(store_db)
    expected = {f"{tag}-{i}" for tag in ("left", "right") for i in range(count)}
    assert set(stored) == expected
    assert all(stored[label] == _payload(label) for label in expected)



def test_0006_keeps_earlier_users_passwords_their_own(store_db: str) -> None:
    """Users of a record before 0006 chose or were given their password before one-time
    passwords were marked: the upgrade leaves them free to work (the flag false)."""
    from alembic import command
    from sqlalchemy import create_engine

    from escolta.operations.users import add_user, list_users
    from escolta.security.keyfile import load_key
    from escolta.store.postgres import database_url

    url = database_url(store_db)[0] or f"sqlite:///{store_db}"
    engine = create_engine(url)
    config = _migrations_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        connection.exec_driver_sql(
            "INSERT INTO users (name, role, person, password_hash, totp_secret, created_at) "
            "VALUES ('old', 'chief', NULL, 'h', NULL, '2026-12-01 00:00:00')")
    engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        if url.startswith("sqlite") and Path(store_db + suffix).exists():
            Path(store_db + suffix).chmod(0o600)
    with open_store(store_db) as store, store.transaction() as session:
        add_user(session, load_key(store.path), name="new", role="chief",
                 password="made and printed once", one_time=True)
        flags = {u.name: u.must_change_password for u in list_users(session)}
    assert flags == {"old": False, "new": True}
    assert _version(store_db) == [(_head(),)]
