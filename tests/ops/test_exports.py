"""Schedule exports: RFC 5545 escaping and folding checked by a real parser, CSV, JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.errors import InputError
from escolta.protect.plan import Night
from escolta.reports.exports import (
    ScheduledNight,
    csv_text,
    ics_fold,
    ics_text,
    json_text,
    write_private,
)

STAMP = dt.datetime(2030, 1, 1, 8, 30)


def _entries(principal_site: str = "palace") -> list[ScheduledNight]:
    return [ScheduledNight(dt.date(2030, 1, 1) + dt.timedelta(days=k),
                           Night(0.5, principal_site, k + 1, {"inner": principal_site,
                                                              "outer": "villa"}),
                           seeded=False) for k in range(3)]


@settings(max_examples=80, deadline=None)
@given(principal=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                         max_size=120),
       site=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                    max_size=90))
def test_any_text_survives_escaping_and_folding(principal: str, site: str) -> None:
    text = ics_text(_entries(site), principal=principal, stamp=STAMP)
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75  # RFC 5545 section 3.1
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    for k, event in enumerate(events):
        assert str(event["SUMMARY"]) == f"{principal}: {site}, room {k + 1}"
        assert str(event["LOCATION"]) == site
        assert event.decoded("DTSTAMP") == STAMP.replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "line",
    [pytest.param("A" * 75, id="exactly-75"), pytest.param("B" * 76, id="76"),
     pytest.param("é" * 100, id="two-byte"), pytest.param("😀" * 40, id="four-byte")],
)
def test_folding_never_splits_a_character(line: str) -> None:
    folded = ics_fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *[p[1:] for p in parts[1:]]]) == line


def test_csv_and_json_carry_every_night() -> None:
    entries = _entries()
    rows = list(csv.DictReader(io.StringIO(csv_text(entries))))
    assert [r["date"] for r in rows] == ["2030-01-01", "2030-01-02", "2030-01-03"]
    assert rows[2] == {"date": "2030-01-03", "site": "palace", "room": "3",
                       "post:inner": "palace", "post:outer": "villa", "seeded": "False"}
    data = json.loads(json_text(entries, plan_id=7))
    assert data["plan_id"] == 7 and data["seeded"] is False
    assert data["nights"][1]["posts"] == {"inner": "palace", "outer": "villa"}


def test_exports_are_private_and_a_missing_directory_is_named(tmp_path) -> None:
    path = write_private(tmp_path / "s.ics", "x", option="--ics")
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(InputError, match="does not exist") as error:
        write_private(tmp_path / "nope" / "s.ics", "x", option="--ics")
    assert error.value.field == "--ics"


def test_an_export_replaces_the_old_file_whole_or_not_at_all(tmp_path, monkeypatch) -> None:
    target = tmp_path / "s.ics"
    target.write_text("old calendar")
    target.chmod(0o644)
    write_private(target, "new calendar", option="--ics")
    assert target.read_text() == "new calendar"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.ics"]

    def disk_full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("escolta.reports.private_files.os.fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        write_private(target, "half a calendar", option="--ics")
    assert target.read_text() == "new calendar"  # the earlier export is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.ics"]  # no temporary left


def test_an_export_never_replaces_a_device_or_a_pipe(tmp_path) -> None:
    """Renaming over a special file replaces it: as root, `--ics /dev/null` once turned the
    system's /dev/null into a private regular file. A pipe stands in for the device here."""
    import stat

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(InputError) as error:
        write_private(pipe, "calendar", option="--ics")
    assert error.value.field == "--ics" and "not a regular file" in error.value.reason
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
