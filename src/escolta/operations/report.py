"""What the record says: the plan in force, the nights drawn and spent, the overrides."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from escolta.operations.nights import PlanInForce, plan_in_force
from escolta.store.record import SpentNight, drawn_nights, spent_nights


@dataclass(frozen=True)
class SiteShare:
    """How often the principal slept at a site, against the plan's odds."""

    site: str
    spent: float
    plan: float


@dataclass(frozen=True)
class RecordReport:
    """The record, summarized: what ``escolta report`` shows and the web's record page."""

    in_force: PlanInForce
    draws_total: int
    draws_seeded: int
    redrawn_dates: tuple[dt.date, ...]
    spent: tuple[SpentNight, ...]
    sites: tuple[SiteShare, ...]

    @property
    def flagged(self) -> tuple[SpentNight, ...]:
        """The nights recorded with a cost: overrides and nights the plan rarely draws."""
        return tuple(s for s in self.spent if s.cost is not None)

    def to_dict(self) -> dict[str, Any]:
        plan = self.in_force.plan
        spent = self.spent
        return {
            "plan": {"id": self.in_force.plan_id, "scenario": self.in_force.scenario_name,
                     "risk": plan.risk, "status": plan.solver.status,
                     "created_at": self.in_force.stored.created_at.isoformat(timespec="seconds")},
            "draws": {"total": self.draws_total, "seeded": self.draws_seeded,
                      "dates_drawn_more_than_once": [d.isoformat() for d in self.redrawn_dates]},
            "nights_spent": {
                "count": len(spent),
                "first": spent[0].date.isoformat() if spent else None,
                "last": spent[-1].date.isoformat() if spent else None,
                "sites": {s.site: {"spent": s.spent, "plan": s.plan} for s in self.sites},
            },
            "overrides": [
                {"date": s.date.isoformat(), "site": s.night.site, "room": s.night.room,
                 "override": s.override, "reasons": (s.cost or {}).get("reasons", []),
                 "risk": (s.cost or {}).get("risk"),
                 "plan_risk": (s.cost or {}).get("plan", {}).get("risk"),
                 "adversaries": (s.cost or {}).get("adversaries")}
                for s in self.flagged
            ],
        }


def record_report(session: Session) -> RecordReport:
    """The plan in force, nights drawn (and dates drawn twice), nights spent and overrides."""
    in_force = plan_in_force(session)
    spent = tuple(spent_nights(session))
    draws = drawn_nights(session)
    per_date = Counter(d.date for d in draws if not d.seeded)
    counts = Counter(s.night.site for s in spent)
    sites = tuple(
        SiteShare(site.name, counts.get(site.name, 0) / len(spent) if spent else 0.0,
                  in_force.plan.site_probability.get(site.name, 0.0))
        for site in in_force.scenario.sites)
    return RecordReport(in_force, len(draws), sum(1 for d in draws if d.seeded),
                        tuple(sorted(d for d, n in per_date.items() if n > 1)), spent, sites)
