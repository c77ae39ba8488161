"""Columns sealed at rest: :class:`SealedText` encrypts on write and opens on read.

The keyring reaches the column through the engine it is used on: :func:`attach` sets it on
the engine's dialect (one dialect per engine, so two records open in one process never
share a key), and ``open_store`` attaches the record's keyring before anything is read. No
key is loaded at import time. A sealed column holds ``=1=HEX`` text
(:mod:`escolta.security.sealing`), so it can no longer be compared in SQL: code that looked
rows up by a sealed column filters in Python after reading (the tables concerned are small
and read by date first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Text
from sqlalchemy.types import TypeDecorator

from escolta.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import Dialect

    from escolta.security.keyfile import Keyring

_ATTRIBUTE = "escolta_keyring"


def attach(engine: Engine, keyring: Keyring) -> None:
    """Make ``keyring`` the keys of every sealed column used through ``engine``."""
    setattr(engine.dialect, _ATTRIBUTE, keyring)


def keyring_of(dialect: Dialect) -> Keyring:
    keyring = getattr(dialect, _ATTRIBUTE, None)
    if keyring is None:
        raise StoreError("record: opened without its key file (use open_store)")
    return keyring


class SealedText(TypeDecorator[str]):
    """Text sealed with AES-256-GCM, bound to its ``table.column`` (``where``)."""

    impl = Text
    cache_ok = True

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        from escolta.security.sealing import seal

        return seal(keyring_of(dialect), str(value), self.where)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        from escolta.security.sealing import unseal

        return unseal(keyring_of(dialect), value, self.where)


def sealed_columns(metadata: Any) -> list[tuple[str, str]]:
    """Every (table, column) of ``metadata`` that is sealed, in a fixed order."""
    return [(table.name, column.name) for table in metadata.sorted_tables
            for column in table.columns if isinstance(column.type, SealedText)]


INDEX_PREFIX = "=i="


def index_key(keyring: Keyring) -> bytes:
    """The blind-index key: derived from the audit key, so it stays across rotations."""
    import hashlib
    import hmac

    return hmac.new(keyring.audit, b"escolta blind index 1", hashlib.sha256).digest()


def blind(keyring: Keyring, value: str, where: str) -> str:
    """The blind index of ``value`` in column ``where``: a keyed HMAC-SHA256, hex."""
    import hashlib
    import hmac

    digest = hmac.new(index_key(keyring), f"{where}\0{value}".encode(), hashlib.sha256)
    return INDEX_PREFIX + digest.hexdigest()


class BlindIndex(TypeDecorator[str]):
    """A column looked up by equality but never read back: its keyed HMAC is stored.

    ``column == value`` still works (the value is indexed the same way before comparing)
    and a unique constraint still holds; reading the column gives the index, not the value.
    """

    impl = Text
    cache_ok = True

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else blind(keyring_of(dialect), str(value), self.where)
