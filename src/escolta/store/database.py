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
- a command does all its writes in one :meth:`Store.transaction`;
- :meth:`Store.reading` is a read-only transaction on connections of their own
  (``PRAGMA query_only``, a deferred ``BEGIN``): in WAL mode readers see the last commit and
  neither wait for the writer nor hold it up (the operations centre reads this way).

Privacy and integrity (docs/operations.md, "Privacy, integrity and backups"):

- the record is created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` at mode 0600; a symbolic
  link at the record's path (or at its ``-wal``, ``-shm`` or ``-journal``) is refused, and so
  is an existing record readable or writable by group or others (it is not tightened
  silently: the message gives the ``chmod``); every new connection checks that the path still
  names the file that was checked;
- opening runs ``PRAGMA quick_check``: a damaged file is refused in one line that says how to
  recover (``escolta restore BACKUP``), and a damage met later, mid-command, too;
- names, sites, nights, rosters, orders and scenarios are sealed at rest under the keyring of
  the key file (:func:`escolta.security.keyfile.load_keyring`, created beside the record on
  first open); opening attaches it to the engine (:func:`escolta.store.sealed.attach`) and
  hands it to the migrations, so a record of an earlier release is sealed on first open.
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

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from escolta.errors import InputError, StoreError
from escolta.privacy import check_private_file, create_private_file, existing_parent

if TYPE_CHECKING:
    from alembic.config import Config

    from escolta.security.keyfile import Keyring

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


SIDECARS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside the record."""

RECOVERY_HINT = ("restore the latest backup with `escolta restore BACKUP` (see `escolta "
                 "backup`), which keeps the damaged file aside")


def _prepare_location(path: Path, chosen_by: str | None) -> tuple[int, int]:
    """Check and create the record; its (device, inode), to recognise it on every connect."""
    option = chosen_by or "record"
    if chosen_by is not None:
        existing_parent(path, chosen_by)
    elif not path.parent.is_dir():
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(path.parent, 0o700)
        except OSError as error:
            raise InputError(option, str(path.parent),
                             f"cannot be created: {error.strerror}") from None
    if path.is_dir() and not path.is_symlink():
        raise InputError(option, str(path), "is not a file")
    for suffix in SIDECARS:
        check_private_file(Path(f"{path}{suffix}"), option)
    if not create_private_file(path, option):
        check_private_file(path, option)
    for suffix in ("-wal", "-shm"):  # made by us, 0600 and no-follow, before SQLite opens them
        create_private_file(Path(f"{path}{suffix}"), option)
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(path.parent, os.W_OK):
        raise InputError(option, str(path), "cannot be written (read-only file or directory)")
    info = os.lstat(path)
    return info.st_dev, info.st_ino


def _quick_check(connection: sqlite3.Connection | object) -> str | None:
    """None if ``PRAGMA quick_check`` passes, else its first complaint."""
    rows = connection.exec_driver_sql("PRAGMA quick_check").fetchall()  # type: ignore[attr-defined]
    first = str(rows[0][0]) if rows else "no answer"
    return None if first == "ok" else first


def damaged(path: Path, chosen_by: str | None, detail: object) -> StoreError:
    """The one-line error of a damaged record, with the way to recover."""
    lines = str(detail).splitlines() or ["no detail"]
    first = lines[0][:120] + (f"; {len(lines) - 1} more problems" if len(lines) > 1 else "")
    return StoreError(f"{chosen_by or 'record'}: the record {str(path)!r} is damaged "
                      f"({first}); {RECOVERY_HINT}")


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


READER_POOL = 40  # read connections kept open (more are opened, and closed, under load)


def _engine(path: Path, identity: tuple[int, int] | None = None,
            read_only: bool = False) -> Engine:
    """The record's engine; ``read_only``: connections that refuse every write
    (``PRAGMA query_only``) and begin deferred, so they take no write lock.

    The readers' pool has no ceiling (``max_overflow=-1``): a web request holds its read
    connection from its first dependency to its end, through its waits for a worker thread
    and for the writer, so with a ceiling requests waited on each other (an event loop that
    blocked there stalled for 30 s); what bounds them is the server's limit on requests in
    flight (:data:`escolta.web.settings.CONCURRENCY_LIMIT`).
    """
    engine = (create_engine(f"sqlite:///{path}", pool_size=READER_POOL, max_overflow=-1)
              if read_only else create_engine(f"sqlite:///{path}"))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        if identity is not None:
            try:
                now = os.lstat(path)
            except OSError:
                now = None
            if now is None or (now.st_dev, now.st_ino) != identity:
                raise StoreError(f"record: {str(path)!r} was replaced while in use "
                                 "(a planted link or a restore?); run the command again")
        # Let SQLAlchemy's "begin" event issue BEGIN, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # a deleted or rewritten value is zeroed in the file, not left in a free page: the
        # plaintext an older release wrote is gone once 0005 has sealed it
        cursor.execute("PRAGMA secure_delete = ON")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


@dataclass
class Store:
    """An open record: a SQLite file and its engine. Use :meth:`transaction` for every write.

    ``reader`` is the engine of :meth:`reading` (None: the writer's own, one at a time).
    """

    path: Path
    engine: Engine
    reader: Engine | None = None

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.reader or self.engine, expire_on_commit=False)

    @property
    def keyring(self) -> Keyring:
        """The keys the record's sealed columns are read and written with."""
        from escolta.store.sealed import keyring_of

        return keyring_of(self.engine.dialect)

    def use_keyring(self, keyring: Keyring) -> None:
        """Seal and open with ``keyring`` from now on (after a rotation changed the file)."""
        from escolta.security.keyfile import signature
        from escolta.store.sealed import attach

        attach(self.engine, keyring)
        if self.reader is not None:
            attach(self.reader, keyring)
        self._key_signature = signature(self.path)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        A damage SQLite meets mid-command ("database disk image is malformed") ends in one
        line with the way to recover, not a traceback.
        """
        with self._damage_told(), self._sessions.begin() as session:
            session.connection()  # the write lock first (BEGIN IMMEDIATE / advisory lock)
            self._refresh_keys()
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction: sees the last commit, takes no write lock, and fails on
        any write (``attempt to write a readonly database``; on PostgreSQL ``READ ONLY``)."""
        with self._damage_told(), self._readers.begin() as session:
            self._refresh_keys()
            yield session

    @contextmanager
    def _damage_told(self) -> Iterator[None]:
        """A damaged file met mid-command as one line with the way to recover."""
        try:
            yield
        except DatabaseError as error:
            if isinstance(error, IntegrityError) or "malformed" not in str(error.orig) \
                    and "not a database" not in str(error.orig):
                raise
            raise damaged(self.path, None, error.orig) from None

    def _refresh_keys(self) -> None:
        """Reload the keyring when the key file changed since it was read (a rotation by
        another process): checked under the write lock, and a rotation retires keys under
        it too, so no transaction seals a value under a key retired meanwhile."""
        from escolta.security.keyfile import load_keyring, signature

        now = signature(self.path)
        if now == getattr(self, "_key_signature", now):
            return
        self.use_keyring(load_keyring(self.path))
        self._key_signature = now

    def forget_old_pages(self) -> None:
        """Copy the WAL into the file and truncate it: old versions of rows (plaintext before
        0005, values under a retired key) leave the ``-wal`` file (best effort: a reader
        still open elsewhere keeps it until it closes)."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM")
            return
        raw = self.engine.raw_connection()  # outside any transaction (BEGIN IMMEDIATE)
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()

    def close(self) -> None:
        self.engine.dispose()
        if self.reader is not None:
            self.reader.dispose()

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
        The directory of a path the user chose does not exist, the path is not a file, is a
        symbolic link, is open to group or others, or cannot be written.
    StoreError
        The file is not an SQLite database, fails ``PRAGMA quick_check``, or cannot be opened
        or migrated.
    """
    from escolta.store.postgres import database_url

    url, option = database_url(db)
    if url is not None:
        return _open_postgres(url, option)
    path, chosen_by = resolve_db_path(db)
    identity = _prepare_location(path, chosen_by)
    from escolta.security.keyfile import load_keyring, signature
    from escolta.store.sealed import attach

    read_as = signature(path)  # taken before reading: a change in between is seen later
    keyring = load_keyring(path)
    engine = _engine(path, identity)
    attach(engine, keyring)
    try:
        with engine.begin() as connection:
            try:
                problem = _quick_check(connection)
            except DatabaseError as error:  # quick_check itself tripped on the damage
                if "locked" in str(error.orig):
                    raise
                problem = str(error.orig)
            if problem is not None:
                raise damaged(path, chosen_by, problem)
            before, upgraded = _upgrade(connection, keyring)
    except (DatabaseError, OperationalError) as error:
        engine.dispose()
        detail = str(error.orig)
        if "malformed" in detail or "not a database" in detail:
            raise damaged(path, chosen_by, detail) from None
        raise StoreError(f"{chosen_by or 'record'}: cannot open the record {str(path)!r}: "
                         f"{detail}") from None
    except StoreError:
        engine.dispose()
        raise
    return _store(path, engine, _engine(path, identity, read_only=True), keyring, read_as,
                  upgraded and before is not None)


def _open_postgres(url: str, option: str | None) -> Store:
    """Open a PostgreSQL record (escolta.store.postgres) and upgrade its schema."""
    from escolta.security.keyfile import load_keyring
    from escolta.store.postgres import engine_for, key_name, shown
    from escolta.store.sealed import attach

    anchor = default_db_path().parent / key_name(url, option or "--db")
    if not os.environ.get("ESCOLTA_KEY_FILE") and not anchor.parent.is_dir():
        anchor.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    from escolta.security.keyfile import signature

    read_as = signature(anchor)
    keyring = load_keyring(anchor)
    try:
        engine = engine_for(url)
    except ImportError as error:
        raise StoreError(f"{option}: PostgreSQL needs psycopg 3 (pip install "
                         f"'psycopg[binary]'): {error}") from None
    attach(engine, keyring)
    try:
        with engine.begin() as connection:
            before, upgraded = _upgrade(connection, keyring)
    except (DatabaseError, OperationalError) as error:
        engine.dispose()
        detail = (str(error.orig).strip().splitlines() or ["no detail"])[0]
        raise StoreError(f"{option}: cannot open the record {shown(url)!r}: {detail}"
                         ) from None
    return _store(anchor, engine, engine_for(url, read_only=True), keyring, read_as,
                  upgraded and before is not None)


def _upgrade(connection: Connection, keyring: object) -> tuple[str | None, bool]:
    """Upgrade the record's schema to the newest revision inside ``connection``'s
    transaction: (the revision it had, whether it moved)."""
    from alembic import command

    config = _migrations_config()
    config.attributes["keyring"] = keyring
    config.attributes["connection"] = connection
    before = _revision(connection)
    command.upgrade(config, "head")
    return before, before != _revision(connection)


def _store(path: Path, engine: Engine, reader: Engine, keyring: object, read_as: object,
           migrated: bool) -> Store:
    """The opened record: ``reader`` sealed like ``engine``, the key file's signature as
    read before, and, after a migration of an existing record, old pages forgotten (the
    rows 0005 sealed leave the WAL too)."""
    from escolta.store.sealed import attach

    attach(reader, keyring)
    store = Store(path=path, engine=engine, reader=reader)
    store._key_signature = read_as
    if migrated:
        store.forget_old_pages()
    return store


def _revision(connection: object) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()  # type: ignore[arg-type]


def file_mode(path: Path) -> int:
    """Permission bits of a file (``0o600`` for a record escolta created)."""
    return stat.S_IMODE(path.stat().st_mode)
