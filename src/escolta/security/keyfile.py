"""The key file: the record's keys, kept outside the record, readable by its owner only.

It holds a keyring (:class:`Keyring`): the audit HMAC key, which never changes (the audit
chain must verify across rotations), and the AES-256-GCM sealing keys by id, one of them
current (``escolta keys rotate`` adds one and retires the others). Its format is the line
``escolta-keyring 1`` then JSON; a file of the first release (exactly 32 random bytes: the
audit key alone) is still read, and :func:`load_keyring` upgrades it in place (a new
sealing key beside the same audit key), atomically and never through a link.

The path comes from ``ESCOLTA_KEY_FILE``, else it sits beside the record
(``escolta.db`` -> ``escolta.db.key``). The file is created on first use, mode 0600, in a
temporary file (``O_CREAT | O_EXCL | O_NOFOLLOW``) hard-linked into place once whole, so a
planted symlink is refused rather than followed and a racing creator reads the winner's key.
An existing key file that is a symlink, is not a regular file, or can be read by the group or
others is refused: a key anyone can read protects nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from escolta.errors import InputError

ENV_VARIABLE = "ESCOLTA_KEY_FILE"
KEY_BYTES = 32
MAGIC = b"escolta-keyring 1\n"
FILE_LIMIT = 64 * 1024  # bytes read at most from a key file
KEYS_LIMIT = 1000  # sealing keys a keyring may hold


@dataclass(frozen=True)
class Keyring:
    """The keys of one record: the audit key and the sealing keys by id (one current)."""

    audit: bytes
    current: int
    seal: Mapping[int, bytes]

    def current_key(self) -> bytes:
        return self.seal[self.current]

    def ids(self) -> list[int]:
        return sorted(self.seal)

    def with_new_key(self) -> Keyring:
        """A keyring with a fresh sealing key, current, beside the old ones."""
        new_id = max(self.seal, default=0) + 1
        return Keyring(self.audit, new_id, {**self.seal, new_id: secrets.token_bytes(KEY_BYTES)})

    def without(self, retired: set[int]) -> Keyring:
        """A keyring without the ``retired`` keys (never the current one)."""
        if self.current in retired:
            raise ValueError("the current key cannot be retired")
        return Keyring(self.audit, self.current,
                       {i: k for i, k in self.seal.items() if i not in retired})


def _fresh() -> Keyring:
    return Keyring(secrets.token_bytes(KEY_BYTES), 1, {1: secrets.token_bytes(KEY_BYTES)})


def encode(keyring: Keyring) -> bytes:
    """The key file's bytes for ``keyring``."""
    body = {"audit": keyring.audit.hex(), "current": keyring.current,
            "seal": {str(i): keyring.seal[i].hex() for i in keyring.ids()}}
    return MAGIC + json.dumps(body, sort_keys=True).encode("ascii") + b"\n"


def decode(data: bytes, path: Path, field: str) -> Keyring | bytes:
    """The keyring a key file holds, or the bare audit key of a first-release file."""
    if len(data) == KEY_BYTES and not data.startswith(MAGIC):
        return data
    if not data.startswith(MAGIC):
        raise InputError(field, str(path), f"refused as a key file: holds {len(data)} bytes, "
                         f"not {KEY_BYTES}, and is not a keyring")
    try:
        body = json.loads(data[len(MAGIC):].decode("ascii"))
        seal = {int(i): bytes.fromhex(k) for i, k in body["seal"].items()}
        keyring = Keyring(bytes.fromhex(body["audit"]), int(body["current"]), seal)
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise InputError(field, str(path), "refused as a key file: the keyring is "
                         "malformed") from None
    if (len(keyring.audit) != KEY_BYTES or keyring.current not in seal
            or any(len(k) != KEY_BYTES for k in seal.values()) or len(seal) > KEYS_LIMIT):
        raise InputError(field, str(path), "refused as a key file: the keyring is malformed")
    return keyring


def key_file_path(record: Path, environ: dict[str, str] | None = None) -> tuple[Path, str]:
    """The key file's path and what chose it (``ESCOLTA_KEY_FILE`` or ``record``).

    Examples
    --------
    >>> key_file_path(Path("/r/e.db"), {})
    (PosixPath('/r/e.db.key'), 'record')
    >>> key_file_path(Path("/r/e.db"), {"ESCOLTA_KEY_FILE": "/k/audit.key"})
    (PosixPath('/k/audit.key'), 'ESCOLTA_KEY_FILE')
    """
    env = os.environ if environ is None else environ
    if env.get(ENV_VARIABLE):
        return Path(env[ENV_VARIABLE]).expanduser(), ENV_VARIABLE
    return record.with_name(record.name + ".key"), "record"


def _create(path: Path, field: str) -> bytes:
    """A fresh key file at ``path``, whole or not at all: the key is written and synced in a
    private temporary file beside it, then hard-linked into place (atomic, and refused when
    ``path`` exists, a planted link included), so a process racing to create it reads the
    winner's whole key, never an empty file."""
    key = encode(_fresh())
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW
    try:
        descriptor = os.open(temporary, flags, 0o600)
    except OSError as error:
        raise InputError(field, str(path), f"cannot create the key file: {error.strerror}"
                         ) from None
    try:
        try:
            os.fchmod(descriptor, 0o600)
            os.write(descriptor, key)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(temporary, path, follow_symlinks=False)
        except FileExistsError:
            return _read(path, field)  # another process created it first
        except OSError as error:
            raise InputError(field, str(path), f"cannot create the key file: {error.strerror}"
                             ) from None
    finally:
        os.unlink(temporary)
    return key


def _read(path: Path, field: str) -> bytes:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        reason = "is a symbolic link" if path.is_symlink() else error.strerror
        raise InputError(field, str(path), f"refused as a key file: {reason}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(field, str(path), "refused as a key file: not a regular file")
        if stat.S_IMODE(info.st_mode) & 0o077:
            raise InputError(field, str(path), f"refused as a key file: mode "
                             f"{stat.S_IMODE(info.st_mode):04o} lets others read it "
                             "(chmod 600)")
        key = os.read(descriptor, FILE_LIMIT + 1)
    finally:
        os.close(descriptor)
    if len(key) > FILE_LIMIT:
        raise InputError(field, str(path), f"refused as a key file: larger than {FILE_LIMIT} "
                         "bytes")
    decode(key, path, field)
    return key


def _raw(path: Path, field: str) -> bytes:
    if path.is_symlink():
        raise InputError(field, str(path), "refused as a key file: is a symbolic link")
    if path.exists():
        return _read(path, field)
    return _create(path, field)


def load_key(record: Path, environ: dict[str, str] | None = None) -> bytes:
    """The audit key of the record at ``record`` (the key file is created on first use).

    Raises
    ------
    InputError
        The key file is a symlink, not a regular file, readable by others, or malformed.
    """
    path, field = key_file_path(record, environ)
    found = decode(_raw(path, field), path, field)
    return found if isinstance(found, bytes) else found.audit


def signature(record: Path, environ: dict[str, str] | None = None) -> tuple[int, ...] | None:
    """What identifies the key file's present version (device, inode, mtime, size), or None.

    A change is written by renaming a new file over the old one, so the inode changes.
    """
    try:
        info = os.lstat(key_file_path(record, environ)[0])
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size


@contextlib.contextmanager
def _locked(path: Path, field: str) -> Iterator[None]:
    """Hold an exclusive lock (``KEYFILE.lock``, 0600, no-follow) while the file changes."""
    lock = path.with_name(path.name + ".lock")
    try:
        descriptor = os.open(lock, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        raise InputError(field, str(lock), f"cannot lock the key file: {error.strerror}"
                         ) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _replace(path: Path, keyring: Keyring, field: str) -> None:
    """Write ``keyring`` to a new 0600 file beside ``path`` and rename it over ``path``."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW,
                             0o600)
    except OSError as error:
        raise InputError(field, str(path), f"cannot write the key file: {error.strerror}"
                         ) from None
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, encode(keyring))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if path.is_symlink():
        os.unlink(temporary)
        raise InputError(field, str(path), "refused as a key file: is a symbolic link")
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def load_keyring(record: Path, environ: dict[str, str] | None = None) -> Keyring:
    """The keyring of the record at ``record``: created on first use, a first-release
    (32-byte) file upgraded in place, keeping its audit key.

    Raises
    ------
    InputError
        The key file is a symlink, not a regular file, readable by others, or malformed.
    """
    path, field = key_file_path(record, environ)
    found = decode(_raw(path, field), path, field)
    if isinstance(found, Keyring):
        return found
    with _locked(path, field):
        found = decode(_read(path, field), path, field)  # another process may have upgraded
        if isinstance(found, Keyring):
            return found
        keyring = Keyring(found, 1, {1: secrets.token_bytes(KEY_BYTES)})
        _replace(path, keyring, field)
    return keyring


def update_keyring(record: Path, change: object,
                   environ: dict[str, str] | None = None) -> Keyring:
    """Apply ``change`` (a function Keyring -> Keyring) to the key file under its lock."""
    path, field = key_file_path(record, environ)
    load_keyring(record, environ)
    with _locked(path, field):
        found = decode(_read(path, field), path, field)
        assert isinstance(found, Keyring)
        keyring = change(found)  # type: ignore[operator]
        _replace(path, keyring, field)
    return keyring
