r"""The pieces of an iCalendar file (RFC 5545) that every kind of event shares.

A leaf: only the standard library, so that the nights' calendar
(:mod:`escolta.reports.exports`) and the phone and appearance events
(:mod:`escolta.reports.calendar_events`) write their lines the same way without importing
each other.

Examples
--------
>>> print(ics_escape("a,b;c\\d\ne"))
a\,b\;c\\d\ne
>>> ics_slug("Ana María / HQ")
'Ana-María---HQ'
"""

from __future__ import annotations

import datetime as dt

SEEDED_MARK = "[SEEDED: simulation only]"
"""Leads the title of every event drawn from a seed: a simulation, not an operational draw."""


def ics_escape(text: str) -> str:
    r"""Escape a TEXT value (RFC 5545 section 3.3.11): backslash, ``;``, ``,``, newlines.

    Examples
    --------
    >>> print(ics_escape("a,b;c\\d\ne"))
    a\,b\;c\\d\ne
    """
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def ics_fold(line: str, limit: int = 75) -> str:
    """Fold a content line at ``limit`` octets (RFC 5545 section 3.1), never inside a UTF-8
    character; continuation lines start with one space.

    Examples
    --------
    >>> folded = ics_fold("X:" + "é" * 60)
    >>> [len(part.encode()) <= 75 for part in folded.split("\\r\\n")]
    [True, True]
    >>> folded.replace("\\r\\n ", "") == "X:" + "é" * 60
    True
    """
    parts: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        room = limit if not parts else limit - 1  # continuation lines carry a leading space
        if size + width > room:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def ics_stamp(moment: dt.datetime) -> str:
    """A ``DTSTAMP`` value: the moment in UTC, ``YYYYMMDDTHHMMSSZ`` (a naive moment is UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def ics_slug(text: str) -> str:
    """``text`` safe inside a ``UID``: letters, digits and ``-_.``, anything else ``-``."""
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text) or "principal"
