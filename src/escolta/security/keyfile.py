"""The key file: 32 random bytes kept outside the record, readable by its owner only.

The path comes from ``ESCOLTA_KEY_FILE``, else it sits beside the record
(``escolta.db`` -> ``escolta.db.key``). The file is created on first use with
``O_CREAT | O_EXCL | O_NOFOLLOW`` and mode 0600, so a planted symlink or a racing creator is
refused rather than followed. An existing key file that is a symlink, is not a regular file,
or can be read by the group or others is refused: a key anyone can read protects nothing.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from escolta.errors import InputError

ENV_VARIABLE = "ESCOLTA_KEY_FILE"
KEY_BYTES = 32


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
    key = secrets.token_bytes(KEY_BYTES)
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW
    try:
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError:
        return _read(path, field)  # another process created it first
    except OSError as error:
        raise InputError(field, str(path), f"cannot create the key file: {error.strerror}"
                         ) from None
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, key)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
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
        key = os.read(descriptor, KEY_BYTES + 1)
    finally:
        os.close(descriptor)
    if len(key) != KEY_BYTES:
        raise InputError(field, str(path), f"refused as a key file: holds {len(key)} bytes, "
                         f"not {KEY_BYTES}")
    return key


def load_key(record: Path, environ: dict[str, str] | None = None) -> bytes:
    """The key for the record at ``record``, created on first use.

    Raises
    ------
    InputError
        The key file is a symlink, not a regular file, readable by others, or malformed.
    """
    path, field = key_file_path(record, environ)
    if path.is_symlink():
        raise InputError(field, str(path), "refused as a key file: is a symbolic link")
    if path.exists():
        return _read(path, field)
    return _create(path, field)
