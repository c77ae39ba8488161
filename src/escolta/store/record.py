"""Scenarios, plans, nights drawn and nights spent: the functions that read and write them.

Every function takes the :class:`~sqlalchemy.orm.Session` of the caller's one transaction
(:meth:`escolta.store.database.Store.transaction`) and returns frozen dataclasses, never
ORM rows, so results stay valid after the transaction ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from escolta.protect.plan import Night, Plan
from escolta.store.models import DrawnNightRow, PlanRow, ScenarioRow, SpentNightRow


def utc_now() -> dt.datetime:
    """Now, as the naive UTC timestamp the record stores."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def scenario_sha256(text: str) -> str:
    """The version of a scenario: SHA-256 of its exact UTF-8 text.

    Examples
    --------
    >>> scenario_sha256("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredScenario:
    id: int
    sha256: str
    name: str
    text: str
    created_at: dt.datetime


@dataclass(frozen=True)
class StoredPlan:
    id: int
    scenario_id: int
    plan: Plan
    created_at: dt.datetime


@dataclass(frozen=True)
class DrawnNight:
    id: int
    plan_id: int
    date: dt.date
    night: Night
    seeded: bool
    drawn_at: dt.datetime


@dataclass(frozen=True)
class SpentNight:
    """A night actually spent; ``cost`` maps each adversary to its success that night.

    ``cost`` also holds the plan's own figures under ``"plan"`` when the night was an
    override (see :func:`escolta.operations.nights.record_night`).
    """

    id: int
    date: dt.date
    night: Night
    plan_id: int | None
    override: bool
    cost: Mapping[str, Any] | None
    recorded_at: dt.datetime


def _scenario(row: ScenarioRow) -> StoredScenario:
    return StoredScenario(row.id, row.sha256, row.name, row.text, row.created_at)


def _plan(row: PlanRow) -> StoredPlan:
    return StoredPlan(row.id, row.scenario_id, Plan.from_dict(json.loads(row.plan_json)),
                      row.created_at)


def night_to_json(night: Night) -> str:
    return json.dumps(night.to_dict(), sort_keys=True)


def night_from_json(text: str) -> Night:
    data = json.loads(text)
    route = data.get("route")  # docs/design.md §12: the convoy's route, drawn with the night
    return Night(p=float(data.get("p", 0.0)), site=data["site"], room=int(data["room"]),
                 posts=dict(data.get("posts", {})),
                 route=None if route is None else tuple(int(n) for n in route))


def _drawn(row: DrawnNightRow) -> DrawnNight:
    return DrawnNight(row.id, row.plan_id, row.date, night_from_json(row.night_json),
                      row.seeded, row.drawn_at)


def _spent(row: SpentNightRow) -> SpentNight:
    night = Night(p=0.0, site=row.site, room=row.room, posts=json.loads(row.posts_json))
    cost = None if row.cost_json is None else json.loads(row.cost_json)
    return SpentNight(row.id, row.date, night, row.plan_id, row.override, cost,
                      row.recorded_at)


def save_scenario(session: Session, text: str, name: str) -> StoredScenario:
    """Store a scenario's text unless the same text is already stored; return its row."""
    digest = scenario_sha256(text)
    row = session.scalars(select(ScenarioRow).where(ScenarioRow.sha256 == digest)).first()
    if row is None:
        row = ScenarioRow(sha256=digest, name=name, text=text, created_at=utc_now())
        session.add(row)
        session.flush()
    return _scenario(row)


def get_scenario(session: Session, scenario_id: int) -> StoredScenario | None:
    row = session.get(ScenarioRow, scenario_id)
    return None if row is None else _scenario(row)


def save_plan(session: Session, scenario_id: int, plan: Plan) -> StoredPlan:
    """Store a plan (its section 5 JSON and solver statistics) for a stored scenario.

    Planning the same scenario again gives the same plan (only the solver's time differs):
    the plan in force is then kept, not stored under a new id — a new id would open tonight,
    already drawn, to a fresh draw.
    """
    latest = session.scalars(select(PlanRow).order_by(PlanRow.id.desc()).limit(1)).first()
    if (latest is not None and latest.scenario_id == scenario_id
            and _odds(json.loads(latest.plan_json)) == _odds(plan.to_dict())):
        return _plan(latest)
    row = PlanRow(
        scenario_id=scenario_id,
        plan_json=json.dumps(plan.to_dict()),  # key order kept: the scenario's order
        risk=float(plan.risk),
        lower_bound=float(plan.solver.lower_bound),
        status=plan.solver.status,
        seconds=float(plan.solver.seconds),
        method=plan.solver.method,
        created_at=utc_now(),
    )
    session.add(row)
    session.flush()
    return _plan(row)


def _odds(plan_json: dict[str, Any]) -> str:
    """A plan's content without its solver statistics, for comparison."""
    return json.dumps({k: v for k, v in plan_json.items() if k != "solver"}, sort_keys=True)


def latest_plan(session: Session) -> StoredPlan | None:
    """The plan stored last (the one ``tonight`` and ``schedule`` draw from)."""
    row = session.scalars(select(PlanRow).order_by(PlanRow.id.desc()).limit(1)).first()
    return None if row is None else _plan(row)


def save_drawn_nights(
    session: Session,
    plan_id: int,
    dated_nights: Sequence[tuple[dt.date, Night]],
    *,
    seeded: bool,
) -> list[DrawnNight]:
    """Store nights drawn for dates; ``seeded`` marks draws that came from a seed."""
    now = utc_now()
    rows = [DrawnNightRow(plan_id=plan_id, date=date, night_json=night_to_json(night),
                          seeded=seeded, drawn_at=now) for date, night in dated_nights]
    session.add_all(rows)
    session.flush()
    return [_drawn(row) for row in rows]


def drawn_night(session: Session, date: dt.date, *, plan_id: int | None = None,
                include_seeded: bool = False) -> DrawnNight | None:
    """The night in force for a date: the latest draw (of ``plan_id`` if given)."""
    query = select(DrawnNightRow).where(DrawnNightRow.date == date)
    if plan_id is not None:
        query = query.where(DrawnNightRow.plan_id == plan_id)
    if not include_seeded:
        query = query.where(DrawnNightRow.seeded.is_(False))
    row = session.scalars(query.order_by(DrawnNightRow.id.desc()).limit(1)).first()
    return None if row is None else _drawn(row)


def drawn_nights(session: Session) -> list[DrawnNight]:
    """Every draw, oldest first."""
    return [_drawn(r) for r in session.scalars(select(DrawnNightRow).order_by(DrawnNightRow.id))]


def record_spent_night(
    session: Session,
    date: dt.date,
    night: Night,
    *,
    plan_id: int | None,
    override: bool,
    cost: Mapping[str, Any] | None,
) -> tuple[SpentNight, bool]:
    """Store the night spent on ``date``; a second record for a date replaces the first.

    Returns the stored night and whether it replaced an earlier record.
    """
    row = session.scalars(select(SpentNightRow).where(SpentNightRow.date == date)).first()
    replaced = row is not None
    if row is None:
        row = SpentNightRow(date=date)
        session.add(row)
    row.site = night.site
    row.room = int(night.room)
    row.posts_json = json.dumps(dict(night.posts), sort_keys=True)
    row.plan_id = plan_id
    row.override = override
    row.cost_json = None if cost is None else json.dumps(cost, sort_keys=True)
    row.recorded_at = utc_now()
    session.flush()
    return _spent(row), replaced


def last_spent_night(session: Session, before: dt.date | None = None) -> SpentNight | None:
    """The latest night spent (strictly before ``before`` when given)."""
    query = select(SpentNightRow)
    if before is not None:
        query = query.where(SpentNightRow.date < before)
    row = session.scalars(query.order_by(SpentNightRow.date.desc()).limit(1)).first()
    return None if row is None else _spent(row)


def spent_nights(session: Session) -> list[SpentNight]:
    """Every night spent, by date."""
    rows = session.scalars(select(SpentNightRow).order_by(SpentNightRow.date))
    return [_spent(r) for r in rows]
