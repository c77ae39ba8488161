"""Exports of a drawn schedule: iCalendar (RFC 5545), CSV and JSON.

A schedule says where the principal sleeps: every file written here is created readable by
its owner only (mode 0600), like the record. A seeded (simulation) schedule says so in every
format: the ``seeded`` column/field, and ``[SEEDED: simulation only]`` in each event title.

This module gathers them under one name; each lives in its own: :mod:`.scheduled_night`,
:mod:`.ics_calendar` (over the leaf :mod:`.ics` it shares with :mod:`.calendar_events`),
:mod:`.schedule_text` (CSV and JSON) and :mod:`.private_files` (:func:`write_private`).

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

from escolta.reports.ics import SEEDED_MARK, ics_escape, ics_fold
from escolta.reports.ics_calendar import PRODID, ics_text
from escolta.reports.private_files import write_private
from escolta.reports.schedule_text import csv_text, json_text, schedule_json
from escolta.reports.scheduled_night import ScheduledNight

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
