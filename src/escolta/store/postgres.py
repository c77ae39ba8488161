"""A record in PostgreSQL: ``--db postgresql://USER@HOST/DB`` (psycopg 3).

``open_store`` hands such a URL (from ``--db`` or ``ESCOLTA_DB``) here and opens it as it
opens an SQLite file, minus what only a file has: the same migrations run, the same sealed
columns. What differs:

- every transaction first takes one transaction-scoped advisory lock
  (``pg_advisory_xact_lock``), so escolta's transactions run one after the other as they do
  on SQLite with ``BEGIN IMMEDIATE`` (the audit chain's next ``seq`` is read then written);
- there is no file to check for links, modes or damage: access is the server's business
  (give the role a password in ``~/.pgpass``, not in the URL, which escolta never prints);
- the key file is ``ESCOLTA_KEY_FILE``, else ``postgresql-HOST-PORT-DB.key`` in escolta's
  data directory (``$XDG_DATA_HOME/escolta/``), never in the database;
- old row versions stay in the table files until PostgreSQL vacuums them: after a
  rotation escolta runs ``VACUUM`` on the tables it re-sealed.

psycopg is imported when such a record is opened, never at startup.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from escolta.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy import Engine

SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")
LOCK_ID = 0x65_73_63_6F  # "esco": the advisory lock every escolta transaction takes


def database_url(db: str | os.PathLike[str] | None,
                 environ: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """The PostgreSQL URL chosen (``--db``, else ``ESCOLTA_DB``) and by what; (None, None)
    when the record is an SQLite file.

    A ``--db`` given as a path has lost one slash of ``//`` (``postgresql:/u@h/db``); it is
    put back.

    Examples
    --------
    >>> database_url("postgresql://ana@db.local/escolta", {})
    ('postgresql+psycopg://ana@db.local/escolta', '--db')
    >>> database_url(None, {"ESCOLTA_DB": "postgres:/u@h:5433/e"})
    ('postgresql+psycopg://u@h:5433/e', 'ESCOLTA_DB')
    >>> database_url("r.db", {})
    (None, None)
    """
    env = os.environ if environ is None else environ
    if db is not None and str(db) != "":
        text, option = str(db), "--db"
    elif env.get("ESCOLTA_DB"):
        text, option = env["ESCOLTA_DB"], "ESCOLTA_DB"
    else:
        return None, None
    match = re.match(r"^(postgresql|postgresql\+psycopg|postgres):/+(.*)$", text)
    if match is None:
        return None, None
    return "postgresql+psycopg://" + match.group(2), option


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def key_name(url: str, option: str) -> str:
    """The key file's name for a PostgreSQL record (``postgresql-HOST-PORT-DB.key``)."""
    from sqlalchemy.engine import make_url

    try:
        parts = make_url(url)
    except Exception:  # noqa: BLE001 - any unparsable URL is the user's mistake
        raise InputError(option, shown_safely(url), "is not a PostgreSQL URL "
                         "(postgresql://USER@HOST[:PORT]/DATABASE)") from None
    if not parts.database:
        raise InputError(option, shown_safely(url), "names no database "
                         "(postgresql://USER@HOST[:PORT]/DATABASE)")
    label = f"{parts.host or 'local'}-{parts.port or 5432}-{parts.database}"
    return "postgresql-" + re.sub(r"[^A-Za-z0-9._-]", "_", label)


def shown_safely(url: str) -> str:
    try:
        return shown(url)
    except Exception:  # noqa: BLE001
        return re.sub(r":[^@/]*@", ":***@", url)


def engine_for(url: str, read_only: bool = False) -> Engine:
    """An engine whose every transaction first takes escolta's advisory lock; ``read_only``:
    one whose transactions are ``READ ONLY`` and take no lock (readers of a snapshot)."""
    from sqlalchemy import create_engine, event

    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("SET TRANSACTION READ ONLY" if read_only else
                                   f"SELECT pg_advisory_xact_lock({LOCK_ID})")

    return engine
