"""Phone and appearance events in the iCalendar export, read back with a real RFC 5545 parser
(the ``icalendar`` package)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
import yaml

from escolta.cli.main import main
from escolta.reports.calendar_events import AppearanceEvent, PhoneEvent
from escolta.reports.exports import ics_text

EXAMPLE = Path(__file__).parents[2] / "examples" / "protected-week.yaml"


def _events(text: str) -> list[icalendar.Event]:
    return [c for c in icalendar.Calendar.from_ical(text).walk() if c.name == "VEVENT"]


def test_events_parse_and_say_what_they_are() -> None:
    phones = [PhoneEvent(dt.date(2030, 1, 2), "h7", 2, 2)]
    start = dt.datetime(2030, 1, 3, 18, 30)
    appearances = [AppearanceEvent(start, start + dt.timedelta(hours=1.5), "plaza; north", 2,
                                   seeded=True)]
    text = ics_text([], principal="P", stamp=dt.datetime(2030, 1, 1), phones=phones,
                    appearances=appearances)
    phone, appearance = _events(text)
    assert str(phone["SUMMARY"]) == "P: carry handset h7 (day 2 of 2)"
    assert phone.decoded("DTSTART") == dt.date(2030, 1, 2)
    assert str(appearance["SUMMARY"]).startswith("[SEEDED: simulation only]")
    assert str(appearance["LOCATION"]) == "plaza; north"  # escaped and read back
    assert appearance.decoded("DTSTART") == start
    assert appearance.decoded("DTEND") == dt.datetime(2030, 1, 3, 20, 0)
    assert len({str(e["UID"]) for e in (phone, appearance)}) == 2


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    try:
        main(list(argv))
    except SystemExit as stop:
        assert not stop.code, capsys.readouterr().err
    return capsys.readouterr().out


def test_schedule_export_carries_phones_and_appearances(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("ESCOLTA_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    db = str(tmp_path / "record.db")
    # next week, Monday to Sunday: every appearance drawn for it falls inside the export
    # (starting today, a week drawn late on a Sunday could leave nothing to compare)
    today = dt.date.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    _run(capsys, "plan", str(EXAMPLE), "--db", db, "--no-plots", "--method", "reference")
    _run(capsys, "phones", "add", "a", "b", "c", "d", "--db", db)
    assigned = json.loads(_run(capsys, "phones", "schedule", str(EXAMPLE), "--start",
                               monday.isoformat(), "--days", "7", "--db", db, "--json"))
    week = json.loads(_run(capsys, "appearances", str(EXAMPLE), "--week", monday.isoformat(),
                           "--db", db, "--json"))
    ics = tmp_path / "week.ics"
    _run(capsys, "schedule", "--days", "7", "--start", monday.isoformat(), "--ics", str(ics),
         "--db", db)
    events = _events(ics.read_text())
    summaries = [str(e["SUMMARY"]) for e in events]
    # 4 handsets on a 2-day cycle cover 7 days (x x y y z z w, the order drawn from the OS
    # CSPRNG): the calendar names, day by day, the handsets the record assigned
    carried = [s.split("carry handset ")[1].split()[0] for s in summaries if "handset" in s]
    assert carried == [d["handset"] for d in assigned["days"]]
    assert [carried[k] == carried[k + 1] for k in range(6)] == [True, False] * 3
    assert len(set(carried)) == 4
    # the appearances drawn for this week that fall in the 7 days, at their drawn times
    last = monday + dt.timedelta(days=6)
    expected = sorted(row["start"] for row in week["slots"]
                      if monday <= dt.datetime.fromisoformat(row["start"]).date() <= last)
    found = sorted(e.decoded("DTSTART").isoformat() for e in events
                   if "public appearance" in str(e["SUMMARY"]))
    assert len(expected) == yaml.safe_load(EXAMPLE.read_text())["appearances"]["per_week"]
    assert found == expected
