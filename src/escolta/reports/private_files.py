"""Files only their owner can read, written whole or not at all.

Everything escolta writes says where the principal sleeps or will be: the file is created
with mode 0600 through a temporary file beside it and renamed into place, so an interrupted
write never leaves a truncated file and a planted symlink at the path is replaced, not
followed.
"""

from __future__ import annotations

import os
from pathlib import Path

from escolta.privacy import write_private_bytes


def write_private(path: str | os.PathLike[str], text: str, *, option: str) -> Path:
    """Write ``text`` to ``path`` with mode 0600 (UTF-8, newlines as given), atomically.

    The text goes to a private temporary file beside ``path``, is flushed to disk, and is
    renamed over ``path``: an interrupted write never leaves a truncated calendar behind, a
    link planted at ``path`` is replaced, never followed, and a device or a pipe is refused
    (:func:`escolta.privacy.write_private_bytes`). ``option`` names the command-line option
    that chose the path, for the error a missing or unwritable directory gets.
    """
    return write_private_bytes(path, text.encode("utf-8"), option=option)
