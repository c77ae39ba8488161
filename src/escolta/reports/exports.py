"""Exports of a drawn schedule: iCalendar (RFC 5545), CSV and JSON.

A schedule says where the principal sleeps: every file written here is created readable by
its owner only (mode 0600), like the record. A seeded (simulation) schedule says so in every
format: the ``seeded`` column/field, and ``[SEEDED: simulation only]`` in each event title.

Examples
--------
>>> import datetime as dt
>>> from escolta.protect.plan import Night
>>> entry = ScheduledNight(dt.date(2030, 1, 2), Night(0.5, "palace", 2, {"inner": "palace"}),
...                        seeded=False)
>>> text = ics_text([entry], principal="P", stamp=dt.datetime(2030, 1, 1, 12, 0))
>>> print(text.splitlines()[0], text.count("BEGIN:VEVENT"))
BEGIN:VCALENDAR 1
>>> print(csv_text([entry]).splitlines()[1])
2030-01-02,palace,2,palace,False
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from escolta.errors import InputError
from escolta.protect.plan import Night
from escolta.reports.calendar_events import (
    AppearanceEvent,
    PhoneEvent,
    appearance_vevents,
    phone_vevents,
)
from escolta.reports.ics import SEEDED_MARK, ics_escape, ics_fold, ics_slug, ics_stamp

__all__ = [
    "PRODID",
    "SEEDED_MARK",
    "ScheduledNight",
    "csv_text",
    "ics_escape",
    "ics_fold",
    "ics_text",
    "json_text",
    "schedule_json",
    "write_private",
]

PRODID = "-//escolta//protective schedule//EN"


@dataclass(frozen=True)
class ScheduledNight:
    """The night drawn for one date, and whether the draw was seeded."""

    date: dt.date
    night: Night
    seeded: bool

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "site": self.night.site,
                "room": int(self.night.room), "posts": dict(self.night.posts),
                "seeded": self.seeded}


# --------------------------------------------------------------------------- iCalendar


def ics_text(nights: Sequence[ScheduledNight], *, principal: str,
             stamp: dt.datetime | None = None, phones: Sequence[PhoneEvent] = (),
             appearances: Sequence[AppearanceEvent] = ()) -> str:
    """An iCalendar with one all-day event per night (RFC 5545).

    Each event's ``UID`` is ``<date>-<principal>@escolta`` so a calendar that imports a new
    draw of the same dates replaces the old events instead of adding duplicates; ``DTSTAMP``
    is ``stamp`` (default: now, UTC). ``CLASS:CONFIDENTIAL`` asks calendar programs not to
    share the details. ``phones`` and ``appearances`` add the handset of each day and the
    public appearances drawn (:mod:`escolta.reports.calendar_events`).
    """
    stamp_text = ics_stamp(stamp or dt.datetime.now(dt.UTC))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for entry in nights:
        night = entry.night
        summary = f"{principal}: {night.site}, room {night.room}"
        if entry.seeded:
            summary = f"{SEEDED_MARK} {summary}"
        posts = "\n".join(f"{team} at {site}" for team, site in sorted(night.posts.items()))
        description = f"Night of {entry.date.isoformat()} at {night.site}, room {night.room}."
        if posts:
            description += "\nPosts:\n" + posts
        if entry.seeded:
            description += "\nDrawn from a seed: for simulation only, not an operational draw."
        lines += [
            "BEGIN:VEVENT",
            f"UID:{entry.date:%Y%m%d}-{ics_slug(principal)}@escolta",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{entry.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{entry.date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_escape(summary)}",
            f"LOCATION:{ics_escape(night.site)}",
            f"DESCRIPTION:{ics_escape(description)}",
            "CLASS:CONFIDENTIAL",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines += phone_vevents(phones, principal=principal, stamp=stamp_text)
    lines += appearance_vevents(appearances, principal=principal, stamp=stamp_text)
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


# --------------------------------------------------------------------------- CSV and JSON


def _teams(nights: Sequence[ScheduledNight]) -> list[str]:
    return sorted({team for entry in nights for team in entry.night.posts})


def csv_text(nights: Sequence[ScheduledNight]) -> str:
    """CSV: ``date, site, room``, one ``post:<team>`` column per team, ``seeded``."""
    teams = _teams(nights)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["date", "site", "room", *[f"post:{t}" for t in teams], "seeded"])
    for entry in nights:
        writer.writerow([entry.date.isoformat(), entry.night.site, entry.night.room,
                         *[entry.night.posts.get(t, "") for t in teams], entry.seeded])
    return buffer.getvalue()


def schedule_json(nights: Sequence[ScheduledNight], **context: Any) -> dict[str, Any]:
    """The schedule as JSON-ready data: ``context`` fields, ``seeded``, then ``nights``."""
    return {**context, "seeded": any(entry.seeded for entry in nights),
            "nights": [entry.to_dict() for entry in nights]}


def json_text(nights: Sequence[ScheduledNight], **context: Any) -> str:
    return json.dumps(schedule_json(nights, **context), indent=2) + "\n"


# --------------------------------------------------------------------------- files


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
