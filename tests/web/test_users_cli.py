"""``escolta users``: roles, officers tied to the staff, Argon2id hashes, one-time passwords."""

from __future__ import annotations

import io
import json
import sys

import pytest
from cli_helpers import run

from escolta.store import open_store
from escolta.store.record import save_scenario


@pytest.fixture
def record(db: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ESCOLTA_KEY_FILE", str(tmp_path / "audit.key"))
    monkeypatch.setenv("ESCOLTA_DB", db)
    from argon2 import PasswordHasher, Type

    from escolta.security import passwords

    monkeypatch.setattr(passwords, "_hasher", lambda: PasswordHasher(
        time_cost=1, memory_cost=8, parallelism=1, type=Type.ID))
    return db


def test_add_prints_a_one_time_password_once_and_stores_its_argon2id_hash(
        record: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "users", "add", "ines", "--role", "chief", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["role"] == "chief" and len(shown["password"]) >= 20
    from argon2 import PasswordHasher

    with open_store(record) as store, store.transaction() as session:
        from escolta.store.models import UserRow

        row = session.query(UserRow).one()
    assert row.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(row.password_hash, shown["password"])
    assert row.password_one_time  # printed by escolta: to be changed at the first sign-in
    code, out, _ = run(capsys, "users", "list", "--json")
    listed = json.loads(out)["users"][0]
    assert shown["password"] not in out and "$argon2" not in out and '"password"' not in out
    assert (listed["name"], listed["must_change_password"]) == ("ines", True)


def test_password_from_stdin(record: str, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough secret\n"))
    code, out, _ = run(capsys, "users", "add", "p", "--role", "planner", "--password-stdin")
    assert code == 0 and "one-time" not in out
    code, out, _ = run(capsys, "users", "list", "--json")
    assert json.loads(out)["users"][0]["must_change_password"] is False  # chosen, not made


BAD = [
    pytest.param(["x", "--role", "admin"], "--role", id="unknown-role"),
    pytest.param(["x", "--role", "officer"], "--person", id="officer-without-person"),
    pytest.param(["x", "--role", "chief", "--person", "ana"], "--person", id="chief-with-person"),
]


@pytest.mark.parametrize(("argv", "field"), BAD)
def test_mistakes_end_in_one_line_naming_the_option(record: str, argv: list[str], field: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "users", "add", *argv)
    assert code == 2 and err.count("\n") == 1 and field in err


def test_a_weak_password_is_refused(record: str, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "users", "add", "p", "--role", "planner", "--password-stdin")
    assert code == 2 and "at least 12" in err


def test_an_officer_must_be_on_the_staff_when_the_scenario_has_one(
        record: str, capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(record) as store, store.transaction() as session:
        save_scenario(session, "principal: P\nstaff:\n  - {name: ana}\n  - {name: beto}\n",
                      "s.yaml")
    code, _, err = run(capsys, "users", "add", "o1", "--role", "officer", "--person", "zoe")
    assert code == 2 and "not in the scenario's staff" in err
    code, _, _ = run(capsys, "users", "add", "o2", "--role", "officer", "--person", "ana")
    assert code == 0


def test_a_name_is_taken_once_and_removal_is_audited(record: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "users", "add", "a", "--role", "auditor")[0] == 0
    code, _, err = run(capsys, "users", "add", "a", "--role", "auditor")
    assert code == 2 and "taken" in err
    assert run(capsys, "users", "remove", "a")[0] == 0
    code, out, _ = run(capsys, "audit", "show", "--json")
    actions = [e["action"] for e in json.loads(out)["entries"]]
    assert actions == ["user.add", "user.remove"]
    assert run(capsys, "audit", "verify")[0] == 0


def test_the_profile_is_rfc_9106s_low_memory_argon2id() -> None:
    from argon2.profiles import RFC_9106_LOW_MEMORY

    from escolta.security.passwords import MEMORY_KIB, PARALLELISM, TIME_COST

    assert (TIME_COST, MEMORY_KIB, PARALLELISM) == (
        RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.parallelism) == (3, 65536, 4)
