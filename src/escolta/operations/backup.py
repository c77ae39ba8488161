"""Backing up the record and restoring it (docs/operations.md, "Backups").

:func:`backup_record` copies the open record with SQLite's online backup API
(``sqlite3.Connection.backup``): a consistent snapshot even while other commands write, into
a new owner-only file that never overwrites anything and is checked (``PRAGMA quick_check``)
before it is given its name.

:func:`restore_record` puts a backup in the record's place: the backup is checked, copied
beside the record, and renamed over it; the file it replaces (damaged, or simply older) is
kept aside with its ``-wal``/``-shm`` under ``<record>.replaced-<UTC time>``, never deleted.
Run it while no other escolta command uses the record.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from escolta.errors import InputError, StoreError
from escolta.privacy import check_private_file, create_private_file, existing_parent
from escolta.store.database import BUSY_TIMEOUT_MS, SIDECARS, Store, open_store, resolve_db_path


@dataclass(frozen=True)
class BackupCopy:
    """A backup written: where from, where to, how large."""

    record: Path
    backup: Path
    pages: int
    size_bytes: int

    def to_dict(self) -> dict[str, object]:
        return {"record": str(self.record), "backup": str(self.backup), "pages": self.pages,
                "bytes": self.size_bytes}


@dataclass(frozen=True)
class Restored:
    """A record restored from a backup; ``kept_aside`` is the file it replaced, if any."""

    record: Path
    backup: Path
    kept_aside: Path | None

    def to_dict(self) -> dict[str, object]:
        return {"record": str(self.record), "backup": str(self.backup),
                "kept_aside": None if self.kept_aside is None else str(self.kept_aside)}


def _check(connection: sqlite3.Connection, where: str, path: Path) -> int:
    """``PRAGMA quick_check`` of a copy; its page count."""
    try:
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        tables = {row[0] for row in
                  connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    except sqlite3.DatabaseError as error:
        verdict, tables, pages = str(error), set(), 0
    if verdict != "ok":
        raise StoreError(f"{where}: {str(path)!r} is damaged ({verdict})")
    if "alembic_version" not in tables:
        raise StoreError(f"{where}: {str(path)!r} is not an escolta record")
    return pages


def _copy(source: sqlite3.Connection, directory: Path, name: str, where: str) -> Path:
    """A checked copy of ``source`` in a new 0600 temporary file of ``directory``."""
    try:
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.",
                                                 suffix=".tmp")
    except OSError as error:
        raise InputError(where, str(directory / name),
                         f"cannot be written: {error.strerror}") from None
    os.close(descriptor)
    target = Path(temporary)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            _check(copy, where, target)
        finally:
            copy.close()
        with open(target, "rb") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def backup_record(store: Store, destination: str | os.PathLike[str]) -> BackupCopy:
    """Copy the open record to ``destination``, a new file (mode 0600).

    Raises
    ------
    InputError
        ``DEST`` exists (a backup is never overwritten), is a link, or its directory is
        missing or unwritable.
    """
    if store.engine.dialect.name != "sqlite":
        raise InputError("--db", "postgresql", "escolta backup copies an SQLite record; back "
                         "a PostgreSQL record up with pg_dump (and keep its key file apart)")
    target = Path(destination).expanduser()
    parent = existing_parent(target, "DEST")
    if os.path.lexists(target):
        raise InputError("DEST", str(target), "exists; a backup never overwrites a file, "
                                              "choose a new name")
    source = sqlite3.connect(store.path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        temporary = _copy(source, parent, target.name, "DEST")
    finally:
        source.close()
    try:
        create_private_file(target, "DEST")  # O_EXCL | O_NOFOLLOW: reserves the name
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    copy = sqlite3.connect(f"file:{quote(str(target))}?mode=ro", uri=True)
    try:
        pages = _check(copy, "DEST", target)
    finally:
        copy.close()
    return BackupCopy(store.path, target, pages, target.stat().st_size)


def restore_record(backup: str | os.PathLike[str], db: str | os.PathLike[str] | None = None,
                   *, now: dt.datetime | None = None) -> Restored:
    """Put the backup ``backup`` in place of the record (``--db``, else the default).

    Raises
    ------
    InputError
        The backup is missing, a link, or open to others; the record's directory is missing.
    StoreError
        The backup is damaged or not an escolta record.
    """
    source_path = Path(backup).expanduser()
    if check_private_file(source_path, "BACKUP") is None:
        raise InputError("BACKUP", str(source_path), "file not found")
    from escolta.store.postgres import database_url

    if database_url(db)[0] is not None:
        raise InputError("--db", "postgresql", "escolta restore replaces an SQLite record; "
                         "restore a PostgreSQL record with pg_restore")
    record, chosen_by = resolve_db_path(db)
    option = chosen_by or "record"
    parent = existing_parent(record, option)
    for suffix in SIDECARS:
        check_private_file(Path(f"{record}{suffix}"), option)
    check_private_file(record, option)
    try:
        source = sqlite3.connect(f"file:{quote(str(source_path))}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"BACKUP: cannot open {str(source_path)!r}: {error}") from None
    try:
        _check(source, "BACKUP", source_path)
        temporary = _copy(source, parent, record.name, option)
    finally:
        source.close()
    kept: Path | None = None
    try:
        if os.path.lexists(record):
            stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
            kept = record.with_name(f"{record.name}.replaced-{stamp}")
            if os.path.lexists(kept):
                raise InputError(option, str(kept), "exists; wait a second and run again")
            os.rename(record, kept)
            for suffix in SIDECARS:
                if os.path.lexists(f"{record}{suffix}"):
                    os.rename(f"{record}{suffix}", f"{kept}{suffix}")
        os.replace(temporary, record)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    open_store(record).close()  # checks it once more and brings its schema up to date
    return Restored(record, source_path, kept)
