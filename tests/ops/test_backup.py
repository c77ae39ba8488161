"""``escolta backup`` and ``escolta restore``: a damaged record comes back from a backup.

The rows restored are compared with the rows written, read with the sqlite3 module directly
(not through escolta), and the backup's integrity with SQLite's own ``integrity_check``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from cli_helpers import run

from escolta.store import open_store

from .record_damage import damage, filled_record


def _rows(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT id, sha256, text FROM scenarios ORDER BY id").fetchall()
    finally:
        connection.close()


def test_backup_damage_restore_gives_back_every_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    record, backup = tmp_path / "record.db", tmp_path / "backup.db"
    filled_record(record)
    written = _rows(record)
    code, out, err = run(capsys, "backup", str(backup), "--db", str(record), "--json")
    assert code == 0, err
    assert json.loads(out)["backup"] == str(backup)
    assert stat.S_IMODE(os.lstat(backup).st_mode) == 0o600
    check = sqlite3.connect(backup)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()

    damage(record)
    code, _, err = run(capsys, "report", "--db", str(record))
    assert code == 2 and "damaged" in err

    code, out, err = run(capsys, "restore", str(backup), "--db", str(record), "--json")
    assert code == 0, err
    kept = Path(json.loads(out)["kept_aside"])
    assert kept.exists() and kept.name.startswith("record.db.replaced-")
    assert _rows(record) == written
    assert stat.S_IMODE(os.lstat(record).st_mode) == 0o600
    open_store(record).close()  # passes the integrity check on open


def test_backup_never_overwrites_nor_follows_a_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    record = tmp_path / "record.db"
    filled_record(record, rows=2)
    existing = tmp_path / "existing.db"
    existing.write_text("keep me")
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "target.db")
    for destination in (existing, link):
        code, out, err = run(capsys, "backup", str(destination), "--db", str(record))
        assert code == 2 and err.count("\n") == 1 and "DEST" in err
    assert existing.read_text() == "keep me"
    assert not os.path.lexists(tmp_path / "target.db")


@pytest.mark.parametrize("content", [b"", b"not a database" * 500], ids=["empty", "text"])
def test_restore_refuses_what_is_not_a_backup(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes,
) -> None:
    record, bogus = tmp_path / "record.db", tmp_path / "bogus.db"
    filled_record(record, rows=2)
    bogus.write_bytes(content)
    bogus.chmod(0o600)
    written = _rows(record)
    code, _, err = run(capsys, "restore", str(bogus), "--db", str(record))
    assert code == 2 and err.count("\n") == 1 and "BACKUP" in err
    assert _rows(record) == written  # the record is untouched
