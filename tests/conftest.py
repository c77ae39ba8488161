"""Fixtures shared by every test folder (this file also puts ``tests/`` on the import path, so
``cli_helpers`` can be imported)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A record path in a fresh directory; the user's own record is never touched."""
    monkeypatch.delenv("ESCOLTA_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return str(tmp_path / "record.db")
