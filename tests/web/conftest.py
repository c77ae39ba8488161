"""Fixtures of the web tests: one record and app per module (signing in costs Argon2id)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .web_cases import USERS, build_record, make_app, signed_in


@pytest.fixture(scope="session", autouse=True)
def cheap_argon2() -> Iterator[None]:
    """Argon2id with the smallest cost in these tests (the machine is shared; one sign-in at
    the RFC 9106 profile takes a second here). test_passwords checks the real profile."""
    from argon2 import PasswordHasher, Type

    from escolta.security import passwords

    patch = pytest.MonkeyPatch()
    patch.setattr(passwords, "_hasher", lambda: PasswordHasher(
        time_cost=1, memory_cost=8, parallelism=1, type=Type.ID))
    yield
    patch.undo()


@pytest.fixture(scope="module")
def web_record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    directory = tmp_path_factory.mktemp("web")
    patch = pytest.MonkeyPatch()
    patch.delenv("ESCOLTA_DB", raising=False)
    patch.setenv("ESCOLTA_KEY_FILE", str(directory / "audit.key"))
    db = directory / "record.db"
    build_record(db)
    yield db
    patch.undo()


@pytest.fixture(scope="module")
def app(web_record: Path):  # type: ignore[no-untyped-def]
    application = make_app(web_record)
    yield application
    application.state.store.close()


@pytest.fixture(scope="module")
def clients(app):  # type: ignore[no-untyped-def]
    """A signed-in TestClient and its CSRF token for every user of web_cases.USERS."""
    return {name: signed_in(app, name) for name in USERS}
