"""A drawn schedule as CSV and as JSON, each saying whether it was seeded."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from escolta.reports.scheduled_night import ScheduledNight


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
