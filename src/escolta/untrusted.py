"""Reading text a user hands escolta without letting its size decide how long we run.

Every file escolta parses (a scenario, a game, a plan) is read through
:func:`read_bounded_text`: its size is checked against a stated ceiling before a byte is
decoded, so a 10 GB file or ``/dev/zero`` is refused in one line instead of filling memory.
:func:`check_integer_literal` refuses an integer literal of more digits than any count or
payoff needs (Python refuses to convert more than 4,300 digits anyway, with a traceback).

The limits are module constants so docs and tests quote the same numbers.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from escolta.errors import InputError

MAX_SCENARIO_BYTES = 1 << 20
"""A scenario file of more than 1 MiB is refused (the largest example is under 4 KiB)."""

MAX_GAME_BYTES = 256 << 20
"""A game file of more than 256 MiB is refused (a million-target game is about 60 MiB)."""

MAX_INTEGER_DIGITS = 100
"""An integer literal of more than 100 digits is refused (float range ends near 10^308, and
no count escolta takes comes near 10^100)."""

MAX_NESTING = 32
"""Lists and mappings nested more than 32 deep are refused (a scenario nests 4 deep)."""


def read_bounded_text(source: str | os.PathLike[str], field: str, limit: int) -> str:
    """The UTF-8 text of a file of at most ``limit`` bytes.

    Parameters
    ----------
    source
        The file's path.
    field
        The name of the input in error messages (``scenario``, ``file``).
    limit
        The ceiling in bytes.

    Raises
    ------
    InputError
        The file is missing, not a regular file, larger than ``limit`` or not UTF-8 text.
    """
    path = Path(source)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(field, str(path), "is not a regular file")
            if info.st_size > limit:
                raise InputError(field, str(path),
                                 f"is {info.st_size:,} bytes, more than the limit of {limit:,}")
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError(field, str(path), "file not found") from None
    except IsADirectoryError:
        raise InputError(field, str(path), "is a directory, not a file") from None
    except OSError as error:
        raise InputError(field, str(path), f"cannot be read: {error.strerror}") from None
    if len(data) > limit:  # grew while we read it
        raise InputError(field, str(path), f"is more than the limit of {limit:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(field, str(path), f"is not UTF-8 text: {error.reason} at byte "
                                           f"{error.start}") from None


def check_text_size(text: str, field: str, limit: int) -> None:
    """Refuse text (given inline, not as a file) longer than ``limit`` characters."""
    if len(text) > limit:
        raise InputError(field, f"{len(text):,} characters",
                         f"is more than the limit of {limit:,}")


def check_integer_literal(digits: str, field: str) -> None:
    """Refuse an integer literal longer than :data:`MAX_INTEGER_DIGITS` digits.

    Examples
    --------
    >>> check_integer_literal("12", "n")
    >>> try:
    ...     check_integer_literal("9" * 101, "n")
    ... except InputError as error:
    ...     print(error.reason)
    an integer of 101 digits, more than the limit of 100
    """
    count = sum(ch.isdigit() for ch in digits)
    if count > MAX_INTEGER_DIGITS:
        raise InputError(field, digits[:20] + "...",
                         f"an integer of {count} digits, more than the limit of "
                         f"{MAX_INTEGER_DIGITS}")
