"""The record refuses planted links, loose permissions and damage (issue 17), in one line.

Each expectation is checked from outside the code under test: modes with ``os.lstat``, that
no file appeared at a link's target with ``os.path.lexists``, damage by overwriting pages of
the file with bytes of our own.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cli_helpers import run

from escolta.errors import InputError, StoreError
from escolta.store import open_store

from .record_damage import damage, filled_record


def test_a_dangling_link_at_the_record_path_is_refused_and_its_target_never_created(
    tmp_path: Path,
) -> None:
    target = tmp_path / "elsewhere.db"
    link = tmp_path / "record.db"
    link.symlink_to(target)
    with pytest.raises(InputError, match="symbolic link") as error:
        open_store(link)
    assert error.value.field == "--db"
    assert not os.path.lexists(target)


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_link_planted_beside_the_record_is_refused(tmp_path: Path, suffix: str) -> None:
    record = tmp_path / "record.db"
    open_store(record).close()
    Path(f"{record}{suffix}").symlink_to(tmp_path / "stolen")
    with pytest.raises(InputError, match="symbolic link"):
        open_store(record)
    assert not os.path.lexists(tmp_path / "stolen")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o606, 0o666])
def test_a_record_open_to_others_is_refused_not_used(tmp_path: Path, mode: int) -> None:
    record = tmp_path / "record.db"
    open_store(record).close()
    record.chmod(mode)
    with pytest.raises(InputError, match="chmod 600") as error:
        open_store(record)
    assert "\n" not in str(error.value)
    assert stat.S_IMODE(os.lstat(record).st_mode) == mode  # refused, not touched


def test_an_unwritable_place_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the suite may run as root, for whom chmod cannot make a directory read-only
    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("escolta.privacy.os.open", refuse)
    with pytest.raises(InputError, match="Permission denied") as error:
        open_store(tmp_path / "record.db")
    assert error.value.field == "--db"


@pytest.mark.parametrize("argv", [["tonight"], ["schedule", "--days", "2"], ["report"]],
                         ids=["tonight", "schedule", "report"])
def test_a_damaged_record_is_refused_with_the_way_to_recover(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str],
) -> None:
    record = tmp_path / "record.db"
    filled_record(record)
    damage(record)
    code, out, err = run(capsys, *argv, "--db", str(record))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "damaged" in err and "escolta restore" in err
    assert "Traceback" not in err


def test_open_store_raises_store_error_ondamage(tmp_path: Path) -> None:
    record = tmp_path / "record.db"
    filled_record(record)
    damage(record)
    with pytest.raises(StoreError, match="damaged"):
        open_store(record)
