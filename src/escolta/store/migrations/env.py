"""Alembic environment: upgrade the connection escolta hands over, in one transaction.

:func:`escolta.store.database.open_store` puts an open connection in
``config.attributes["connection"]``; its ``BEGIN IMMEDIATE`` takes SQLite's write lock first,
so two processes opening a new database at once migrate it once. Run by hand (``alembic``
with ``alembic.ini``), the URL in the ini file is used instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from escolta.store.models import Base

target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # developer use through the alembic command and alembic.ini
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as developer_connection:
        _run(developer_connection)


# Alembic runs this file with its context set up. Imported any other way (pytest's
# --doctest-modules imports every module), there is nothing to migrate.
if hasattr(context, "config"):
    _main()
