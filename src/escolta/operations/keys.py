"""The record's keys: which there are, and rotating the sealing key (``escolta keys``).

:func:`rotate` never leaves a record its key file cannot open, wherever it is interrupted:

1. a new sealing key is added to the key file and made current (the old keys stay), so
   from then on new values are sealed under it and old ones still open;
2. every sealed value under another key is re-sealed under the new one, in ONE transaction
   (interrupted, it rolls back: the values stay under the old keys, which the file holds);
3. the keys no value is sealed under any more are retired from the file.

Interrupted after 1 or 2, the file holds a key too many; the next rotation retires it. The
audit key is never rotated (the chain's macs stay valid), nor the blind-index key derived
from it. Other processes (``escolta serve``, a command running meanwhile) need not stop: each
transaction, once it holds the write lock, reloads the key file if it changed
(``Store._refresh_keys``), and step 3 retires keys under that same lock, so no value is
sealed under a key retired meanwhile (tested with a record opened before a rotation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import text

from escolta.store.database import Store

Checkpoint = Callable[[str], None]


def _nothing(_step: str) -> None:
    return None


@dataclass(frozen=True)
class KeysView:
    """The key file of a record: its sealing keys' ids, the current one, values per key."""

    key_file: str
    ids: tuple[int, ...]
    current: int
    values_by_key: Mapping[int, int]

    def to_dict(self) -> dict[str, object]:
        return {"key_file": self.key_file, "current": self.current,
                "keys": [{"id": i, "current": i == self.current,
                          "values": self.values_by_key.get(i, 0)} for i in self.ids]}


@dataclass(frozen=True)
class Rotation:
    """What a rotation did: the new current key, values re-sealed, keys retired."""

    new_key: int
    resealed: int
    retired: tuple[int, ...]

    def to_dict(self) -> dict[str, object]:
        return {"new_key": self.new_key, "resealed": self.resealed,
                "retired": list(self.retired)}


def _sealed_values(connection: object) -> list[tuple[str, str, int, str]]:
    """(table, column, row id, stored value) of every sealed value in the record."""
    from escolta.store.models import Base
    from escolta.store.sealed import sealed_columns

    found = []
    for table, column in sealed_columns(Base.metadata):
        rows = connection.execute(text(  # type: ignore[attr-defined]
            f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"))  # noqa: S608
        found += [(table, column, row_id, value) for row_id, value in rows]
    return found


def _counts(connection: object) -> dict[int, int]:
    from escolta.security.sealing import key_id

    counts: dict[int, int] = {}
    for table, column, _row, value in _sealed_values(connection):
        number = key_id(value, f"{table}.{column}")
        counts[number] = counts.get(number, 0) + 1
    return counts


def show(store: Store) -> KeysView:
    """The record's sealing keys (ids only, never key material) and how much each seals."""
    from escolta.security.keyfile import key_file_path, load_keyring

    keyring = load_keyring(store.path)
    store.use_keyring(keyring)
    with store.transaction() as session:
        counts = _counts(session.connection())
    return KeysView(str(key_file_path(store.path)[0]), tuple(keyring.ids()), keyring.current,
                    counts)


def rotate(store: Store, checkpoint: Checkpoint = _nothing) -> Rotation:
    """Make a new sealing key current, re-seal every value under it, retire the old keys.

    ``checkpoint`` is called with the name of each step as it is reached (``key-added``,
    ``resealing``, ``resealed``, ``retired``); the tests interrupt a rotation there.
    """
    from escolta.security.keyfile import Keyring, update_keyring
    from escolta.security.sealing import key_id, seal_with, unseal

    keyring = update_keyring(store.path, lambda k: k.with_new_key())
    store.use_keyring(keyring)
    checkpoint("key-added")
    resealed = 0
    with store.transaction() as session:
        connection = session.connection()
        for table, column, row_id, value in _sealed_values(connection):
            where = f"{table}.{column}"
            if key_id(value, where) == keyring.current:
                continue
            new = seal_with(keyring.current, keyring.current_key(),
                            unseal(keyring, value, where), where)
            connection.execute(text(f"UPDATE {table} SET {column} = :v "  # noqa: S608
                                    "WHERE id = :i"), {"v": new, "i": row_id})
            resealed += 1
            if resealed == 1:
                checkpoint("resealing")
    checkpoint("resealed")
    with store.transaction() as session:  # holds the write lock: no value sealed meanwhile
        in_use = set(_counts(session.connection()))

        def retire(current: Keyring) -> Keyring:
            return current.without(set(current.ids()) - in_use - {current.current})

        after = update_keyring(store.path, retire)
    store.use_keyring(after)
    store.forget_old_pages()
    checkpoint("retired")
    return Rotation(keyring.current, resealed, tuple(sorted(set(keyring.ids()) - set(after.ids()))))
