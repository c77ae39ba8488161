"""``escolta serve --chief``: a fresh one-time password for a chief, made or reset."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

from escolta.errors import InputError
from escolta.operations.users import add_user, authenticate
from escolta.security import passwords
from escolta.security.keyfile import load_key
from escolta.store import open_store


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ESCOLTA_KEY_FILE", str(tmp_path / "audit.key"))
    monkeypatch.setattr(passwords, "_hasher", lambda: PasswordHasher(
        time_cost=1, memory_cost=8, parallelism=1, type=Type.ID))
    return tmp_path / "r.db"


def _signs_in(db: Path, name: str, password: str) -> bool:
    with open_store(db) as store, store.transaction() as session:
        return authenticate(session, name, password).user is not None


def test_a_new_chief_is_made_and_an_old_one_gets_a_new_password(record: Path) -> None:
    from escolta.cli.serve import _chief_password

    first = _chief_password(record, "chief")
    assert _signs_in(record, "chief", first)
    second = _chief_password(record, "chief")
    assert second != first
    assert _signs_in(record, "chief", second) and not _signs_in(record, "chief", first)


def _must_change(db: Path, name: str) -> bool:
    from escolta.operations.users import find_credentials

    with open_store(db) as store, store.reading() as session:
        found = find_credentials(session, name)
    assert found is not None
    return found.user.must_change_password


def test_the_password_serve_prints_must_be_changed_at_the_first_sign_in(record: Path) -> None:
    from escolta.cli.serve import _chief_password
    from escolta.operations.users import change_own_password, find_credentials
    from escolta.security.passwords import hash_password

    _chief_password(record, "chief")
    assert _must_change(record, "chief")
    with open_store(record) as store, store.transaction() as session:
        found = find_credentials(session, "chief")
        assert found is not None
        assert change_own_password(session, load_key(store.path), found.user,
                                   checked_hash=found.password_hash,
                                   new_hash=hash_password("the chief's own choice"),
                                   keep_session=None)
    assert not _must_change(record, "chief")
    _chief_password(record, "chief")  # a reset is one-time again
    assert _must_change(record, "chief")


def test_only_a_chief_gets_one(record: Path) -> None:
    from escolta.cli.serve import _chief_password

    with open_store(record) as store, store.transaction() as session:
        add_user(session, load_key(store.path), name="pat", role="planner",
                 password="a long enough secret")
    with pytest.raises(InputError, match="is a planner"):
        _chief_password(record, "pat")


def test_serve_refuses_a_port_out_of_range(record: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    from cli_helpers import run

    code, _, err = run(capsys, "serve", "--port", "70000", "--db", str(record))
    assert code == 2 and "--port" in err


def test_the_command_line_starts_without_the_web_stack() -> None:
    import subprocess
    import sys

    probe = ("import sys; from escolta.cli import main; main._register_commands(); "
             "print(sorted(m for m in ('fastapi', 'uvicorn', 'argon2', 'pyotp', 'jinja2') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env={**__import__("os").environ,
                                          "PYTHONPATH": str(Path(__file__).parents[2] / "src")})
    assert out.stdout.strip() == "[]"
