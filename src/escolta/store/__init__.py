"""The record: an SQLite file of scenarios, plans, nights drawn and spent, phones, weeks.

Open it with :func:`open_store`; do each command's writes in one
:meth:`Store.transaction`; read and write with the functions of :mod:`escolta.store.record`,
:mod:`escolta.store.phones` and :mod:`escolta.store.appearances`.
"""

from escolta.store.database import Store, default_db_path, open_store, resolve_db_path

__all__ = ["Store", "default_db_path", "open_store", "resolve_db_path"]
