"""The routes' writes, each a job for the record's writer (``WritesDep``).

A job is a function of the writer's session: it makes its change and appends its audit entry,
so the two commit together or not at all (the writer runs each job in a savepoint of the
group's transaction). Reads that decide a write (has this order been acknowledged? which
night is drawn?) are done inside the job, under the write lock, never from a request's
earlier read snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from escolta.operations.users import User
from escolta.store import audit
from escolta.web import orders_source, service
from escolta.web.orders_source import OrderSource


def acknowledge(source: OrderSource, key: bytes, user: User,
                order_id: str) -> Callable[[Session], dict[str, Any]]:
    """Acknowledge an order (again: ``outcome="again"``); the order as it now stands."""

    def job(session: Session) -> dict[str, Any]:
        first = orders_source.acknowledge(session, order_id, user.person or "")
        audit.append(session, key, actor=user.name, action="order.ack", target=order_id,
                     outcome="ok" if first else "again")
        return orders_source.order_by_id(source, session, order_id) or {}

    return job


def record_night(key: bytes, user: User, *, date: dt.date, site: str, room: int,
                 posts: list[str], confirm: bool) -> Callable[[Session], service.RecordOutcome]:
    """Record the night spent (audited when stored; never the site: auditors read this)."""

    def job(session: Session) -> service.RecordOutcome:
        outcome = service.record_night(session, date=date, site=site, room=room, posts=posts,
                                       confirm=confirm)
        if outcome.stored:
            audit.append(session, key, actor=user.name, action="record",
                         target=outcome.date.isoformat(),
                         outcome="override" if outcome.assessment["override"] else "ok")
        return outcome

    return job


def draw_tonight(key: bytes, user: User, day: dt.date) -> Callable[[Session], None]:
    def job(session: Session) -> None:
        service.draw_tonight(session, day)
        audit.append(session, key, actor=user.name, action="tonight.draw",
                     target=day.isoformat())

    return job


def save_scenario(key: bytes, user: User, name: str, text: str) -> Callable[[Session], int]:
    """Store a scenario already checked (:func:`service.check_scenario`); its id."""

    def job(session: Session) -> int:
        from escolta.store.record import save_scenario as save

        stored = save(session, text, name or "scenario")
        audit.append(session, key, actor=user.name, action="scenario.save",
                     target=f"{name} #{stored.id}")
        return stored.id

    return job
