"""The key file: created 0600 on first use, refused when symlinked or readable by others."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from escolta.errors import InputError
from escolta.security.keyfile import KEY_BYTES, key_file_path, load_key


def test_created_once_owner_only_and_stable(tmp_path: Path) -> None:
    record = tmp_path / "r.db"
    key = load_key(record, {})
    path = tmp_path / "r.db.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == KEY_BYTES and load_key(record, {}) == key


def test_the_environment_chooses_the_path(tmp_path: Path) -> None:
    env = {"ESCOLTA_KEY_FILE": str(tmp_path / "k")}
    assert key_file_path(tmp_path / "r.db", env)[0] == tmp_path / "k"
    load_key(tmp_path / "r.db", env)
    assert (tmp_path / "k").exists() and not (tmp_path / "r.db.key").exists()


def test_a_symlink_is_refused_even_to_a_good_key(tmp_path: Path) -> None:
    load_key(tmp_path / "real.db", {})
    (tmp_path / "planted").symlink_to(tmp_path / "real.db.key")
    with pytest.raises(InputError, match="symbolic link"):
        load_key(tmp_path / "x.db", {"ESCOLTA_KEY_FILE": str(tmp_path / "planted")})


def test_a_dangling_symlink_is_not_followed_to_create_a_file(tmp_path: Path) -> None:
    (tmp_path / "planted").symlink_to(tmp_path / "victim")
    with pytest.raises(InputError, match="symbolic link"):
        load_key(tmp_path / "x.db", {"ESCOLTA_KEY_FILE": str(tmp_path / "planted")})
    assert not (tmp_path / "victim").exists()


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604], ids=["world", "group", "other"])
def test_a_key_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    load_key(tmp_path / "r.db", {})
    os.chmod(tmp_path / "r.db.key", mode)
    with pytest.raises(InputError, match="chmod 600"):
        load_key(tmp_path / "r.db", {})


def test_a_truncated_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.db.key"
    path.write_bytes(b"short")
    os.chmod(path, 0o600)
    with pytest.raises(InputError, match="5 bytes"):
        load_key(tmp_path / "r.db", {})
