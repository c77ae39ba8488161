"""Alembic migrations of the record (run by :func:`escolta.store.database.open_store`)."""
