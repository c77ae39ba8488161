r"""The iCalendar file (RFC 5545) of a drawn schedule: the nights, the handsets, the
appearances.

Examples
--------
>>> import datetime as dt
>>> from escolta.protect.plan import Night
>>> entry = ScheduledNight(dt.date(2030, 1, 2), Night(0.5, "palace", 2, {}), seeded=True)
>>> text = ics_text([entry], principal="P", stamp=dt.datetime(2030, 1, 1, 12, 0))
>>> [line for line in text.splitlines() if line.startswith("SUMMARY")]
['SUMMARY:[SEEDED: simulation only] P: palace\\, room 2']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from escolta.reports.calendar_events import (
    AppearanceEvent,
    PhoneEvent,
    appearance_vevents,
    phone_vevents,
)
from escolta.reports.ics import SEEDED_MARK, ics_escape, ics_fold, ics_slug, ics_stamp
from escolta.reports.scheduled_night import ScheduledNight

PRODID = "-//escolta//protective schedule//EN"


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
