"""Files only their owner can read, written whole or not at all.

Everything escolta writes says where the principal sleeps or will be: the file is created
with mode 0600 through a temporary file beside it and renamed into place, so an interrupted
write never leaves a truncated file and a planted symlink at the path is replaced, not
followed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from escolta.errors import InputError


def write_private(path: str | os.PathLike[str], text: str, *, option: str) -> Path:
    """Write ``text`` to ``path`` with mode 0600 (UTF-8, newlines as given), atomically.

    The text goes to a private temporary file beside ``path``, is flushed to disk, and is
    renamed over ``path``: an interrupted write never leaves a truncated calendar behind.
    ``option`` names the command-line option that chose the path, for the error a missing
    or unwritable directory gets.
    """
    target = Path(path).expanduser()
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(option, str(target),
                         f"the directory {str(parent)!r} does not exist")
    if target.is_dir():
        raise InputError(option, str(target), "is a directory")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.",
                                                 suffix=".tmp")  # mode 0600
    except OSError as error:
        raise InputError(option, str(target), f"cannot be written: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
