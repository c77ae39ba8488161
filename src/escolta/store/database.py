"""Opening the record: where the file lives, who may read it, how writes stay safe.

The record is one SQLite file. :func:`open_store` finds it (``--db``, then ``ESCOLTA_DB``,
then ``$XDG_DATA_HOME/escolta/escolta.db`` or ``~/.local/share/escolta/escolta.db``),
creates it readable by its owner only (mode 0600; a data directory escolta creates gets
0700), and upgrades its schema to the newest Alembic revision shipped in the package.

Safety of writes:

- every connection runs in WAL mode with ``synchronous=FULL``: a process killed in the middle
  of a write (or a power cut) leaves the file as of the last commit, never half-written;
- every transaction starts with ``BEGIN IMMEDIATE`` and connections wait up to
  ``busy_timeout`` for the write lock, so two commands at once run one after the other and
  neither loses its rows (a deferred transaction could fail instead of waiting when it
  upgrades from reading to writing);
- a command does all its writes in one :meth:`Store.transaction`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from escolta.errors import InputError, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

ENV_VARIABLE = "ESCOLTA_DB"
BUSY_TIMEOUT_MS = 30_000


def default_db_path(environ: dict[str, str] | None = None) -> Path:
    """The per-user record: ``$XDG_DATA_HOME/escolta/escolta.db`` (XDG base directories).

    Examples
    --------
    >>> str(default_db_path({"XDG_DATA_HOME": "/data", "HOME": "/home/p"}))
    '/data/escolta/escolta.db'
    >>> str(default_db_path({"HOME": "/home/p"}))
    '/home/p/.local/share/escolta/escolta.db'
    """
    env = os.environ if environ is None else environ
    data_home = env.get("XDG_DATA_HOME") or ""
    if not os.path.isabs(data_home):  # the spec says to ignore a relative value
        home = env.get("HOME") or str(Path.home())
        data_home = os.path.join(home, ".local", "share")
    return Path(data_home) / "escolta" / "escolta.db"


def resolve_db_path(db: str | os.PathLike[str] | None,
                    environ: dict[str, str] | None = None) -> tuple[Path, str | None]:
    """The record's path and the name of the option that chose it (None: the default).

    Examples
    --------
    >>> resolve_db_path("x.db", {})
    (PosixPath('x.db'), '--db')
    >>> resolve_db_path(None, {"ESCOLTA_DB": "/r/e.db"})
    (PosixPath('/r/e.db'), 'ESCOLTA_DB')
    """
    env = os.environ if environ is None else environ
    if db is not None and str(db) != "":
        return Path(db).expanduser(), "--db"
    if env.get(ENV_VARIABLE):
        return Path(env[ENV_VARIABLE]).expanduser(), ENV_VARIABLE
    return default_db_path(env), None


def _migrations_config() -> Config:
    from alembic.config import Config  # imported when a record is opened, not at startup

    config = Config()
    location = resources.files("escolta.store") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def _create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600, unless it exists (then it is left alone)."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)
    os.chmod(path, 0o600)  # whatever the umask said


def _prepare_location(path: Path, chosen_by: str | None) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if chosen_by is not None:
        if not parent.is_dir():
            raise InputError(chosen_by, str(path),
                             f"the directory {str(parent)!r} does not exist")
    elif not parent.is_dir():
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(parent, 0o700)
    if path.exists() and not path.is_file():
        raise InputError(chosen_by or "database", str(path), "is not a file")
    _create_private_file(path)


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """``PRAGMA journal_mode = WAL``, retried for up to ``busy_timeout``.

    While another process is creating or converting the same fresh file, SQLite can refuse
    the switch with "database is locked" at once, without calling the busy handler; two
    commands started together on a new record then failed instead of waiting.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event issue BEGIN, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@dataclass
class Store:
    """An open record: a SQLite file and its engine. Use :meth:`transaction` for every write."""

    path: Path
    engine: Engine

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_store(db: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating if needed) the record and upgrade its schema to the newest revision.

    Parameters
    ----------
    db
        The database file (``--db``); None means ``ESCOLTA_DB`` or the per-user default.

    Raises
    ------
    InputError
        The directory of a path the user chose does not exist, or the path is not a file.
    StoreError
        The file is not an SQLite database, or it cannot be opened or migrated.
    """
    path, chosen_by = resolve_db_path(db)
    _prepare_location(path, chosen_by)
    from alembic import command

    engine = _engine(path)
    config = _migrations_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (DatabaseError, OperationalError) as error:
        engine.dispose()
        raise StoreError(f"{chosen_by or 'record'}: cannot open the record {str(path)!r}: "
                         f"{error.orig}") from None
    return Store(path=path, engine=engine)


def file_mode(path: Path) -> int:
    """Permission bits of a file (``0o600`` for a record escolta created)."""
    return stat.S_IMODE(path.stat().st_mode)
