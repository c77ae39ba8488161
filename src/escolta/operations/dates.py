"""Dates as the service layer takes them: the local calendar, and a date a person typed.

Examples
--------
>>> parse_date("2026-01-05", "--date", today())
datetime.date(2026, 1, 5)
>>> parse_date("20260105", "--date", today())
Traceback (most recent call last):
...
escolta.errors.InputError: --date: must be a date YYYY-MM-DD (got '20260105')
"""

from __future__ import annotations

import datetime as dt
import re

from escolta.errors import InputError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def today() -> dt.date:
    """The local calendar date (the evening a night starts)."""
    return dt.date.today()


def parse_date(value: str | None, option: str, default: dt.date) -> dt.date:
    """A ``YYYY-MM-DD`` date, or ``default`` when absent (InputError naming the option).

    Only the extended form the help shows is accepted (Python 3.11's ``fromisoformat`` would
    also take ``20260105`` and week dates), and neither the first nor the last date of the
    calendar, so the night before and the night after always exist.
    """
    if value is None:
        return default
    if not _ISO_DATE.fullmatch(value):
        raise InputError(option, value, "must be a date YYYY-MM-DD")
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(option, value, "must be a date YYYY-MM-DD") from None
    if parsed in (dt.date.min, dt.date.max):
        raise InputError(option, value, f"must lie after {dt.date.min.isoformat()} and "
                         f"before {dt.date.max.isoformat()}")
    return parsed
