"""A night of a drawn schedule: its date, the night, and whether the draw was seeded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from escolta.protect.plan import Night


@dataclass(frozen=True)
class ScheduledNight:
    """The night drawn for one date, and whether the draw was seeded."""

    date: dt.date
    night: Night
    seeded: bool

    def to_dict(self) -> dict[str, Any]:
        out = {"date": self.date.isoformat(), "site": self.night.site,
               "room": int(self.night.room), "posts": dict(self.night.posts),
               "seeded": self.seeded}
        if self.night.route is not None:
            out["route"] = list(self.night.route)
        return out
