"""Files only their owner can read, never reached through a planted link.

What escolta writes says where a person at risk sleeps. Every file is therefore

- created owner-only (files 0600, directories 0700) whatever the umask says;
- created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` or written to a fresh temporary file and
  renamed into place (a rename replaces a link, it never writes through it), so a symbolic
  link planted at the path cannot redirect the write to a file of the attacker's choosing;
- refused, if it already exists with group or world permission bits, or is a link, in one
  line saying how to fix it (:func:`check_private_file`).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from escolta.errors import InputError

FILE_MODE = 0o600
DIR_MODE = 0o700


def existing_parent(path: Path, option: str) -> Path:
    """The directory ``path`` goes in; it must exist (escolta never creates a user's parents).

    Raises
    ------
    InputError
        Naming ``option``: the directory is missing, or is not a directory.
    """
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(option, str(path), f"the directory {str(parent)!r} does not exist")
    return parent


def check_private_file(path: Path, option: str) -> os.stat_result | None:
    """The ``lstat`` of an existing file escolta will use, or None if there is none.

    Raises
    ------
    InputError
        The path is a symbolic link (even a dangling one), not a regular file, or readable or
        writable by group or others.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise InputError(option, str(path),
                         "is a symbolic link; escolta never writes through one (remove it, or "
                         "give the real path)")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(option, str(path), "is not a regular file")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise InputError(option, str(path),
                         f"has mode {mode:04o}, readable by others; make it owner-only with "
                         f"`chmod 600 {path}`")
    return info


def create_private_file(path: Path, option: str) -> bool:
    """Create ``path`` empty with mode 0600 unless it exists; True if it was created.

    The file is opened with ``O_CREAT | O_EXCL | O_NOFOLLOW``: a link planted at ``path``
    makes this fail instead of creating the link's target.

    Raises
    ------
    InputError
        The path is a link, or the directory refuses the file (read-only, no permission).
    """
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, FILE_MODE)
    except FileExistsError:
        check_private_file(path, option)  # a link planted meanwhile is refused here
        return False
    except OSError as error:
        raise InputError(option, str(path), f"cannot be created: {error.strerror}") from None
    try:
        os.fchmod(descriptor, FILE_MODE)  # whatever the umask said
    finally:
        os.close(descriptor)
    return True


def write_private_bytes(path: str | os.PathLike[str], data: bytes, *, option: str) -> Path:
    """Write ``data`` to ``path`` with mode 0600, atomically and never through a link.

    The bytes go to a private temporary file beside ``path`` (``mkstemp``: ``O_EXCL``,
    0600), are flushed to disk and renamed over ``path``.

    Raises
    ------
    InputError
        Naming ``option``: a missing directory, a directory or any other non-regular file at
        ``path`` (a device such as ``/dev/null``, a pipe: renaming over it would replace it,
        and as root that replaces the system's own), an unwritable place.
    """
    target = Path(path).expanduser()
    parent = existing_parent(target, option)
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(option, str(target), "is a directory")
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise InputError(option, str(target), "is not a regular file (a device or a pipe)")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.",
                                                 suffix=".tmp")
    except OSError as error:
        raise InputError(option, str(target), f"cannot be written: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def private_directory(directory: str | os.PathLike[str], *, option: str,
                      create_parents: bool = False) -> Path:
    """The directory ``directory``, created 0700 if missing; its parent must exist unless
    ``create_parents`` (for a default location such as ``out/plots``; each is made 0700).

    Raises
    ------
    InputError
        The parent is missing, the path is a link or a file, or it cannot be created.
    """
    path = Path(directory).expanduser()
    if path.is_symlink():
        raise InputError(option, str(path),
                         "is a symbolic link; escolta never writes through one")
    if path.exists() and not path.is_dir():
        raise InputError(option, str(path), "is a file, not a directory")
    if not path.exists():
        missing = [path]
        if create_parents:
            missing += [p for p in path.parents if not p.exists()]
        else:
            existing_parent(path, option)
        try:
            for step in reversed(missing):
                step.mkdir(mode=DIR_MODE)
                os.chmod(step, DIR_MODE)
        except OSError as error:
            raise InputError(option, str(path),
                             f"cannot be created: {error.strerror}") from None
    return path  # an existing directory is the user's: its files are still 0600


def save_figure(figure: object, path: str | os.PathLike[str], *, dpi: int,
                option: str = "--plots") -> Path:
    """Render a matplotlib figure in memory, in the format the suffix names (``.svg`` for the
    web's inline plots, else PNG), and write it with :func:`write_private_bytes` (mode 0600,
    atomically, never through a link); ``savefig`` itself would follow a link and create the
    file with the umask's mode."""
    import io

    buffer = io.BytesIO()
    kind = "svg" if Path(path).suffix.lower() == ".svg" else "png"
    figure.savefig(buffer, format=kind, dpi=dpi)  # type: ignore[attr-defined]
    return write_private_bytes(path, buffer.getvalue(), option=option)
