"""The web's one door to the orders of docs/design.md §10.

Orders are issued and read by :mod:`escolta.operations.orders`. Every order is a dict in the
shape of ``escolta orders --json`` (``date``, ``person``, ``text``, ...) plus an ``id``
(``DATE:PERSON``) and ``acknowledged``. Routes get the source through the ``OrdersDep``
dependency (:mod:`escolta.web.deps`), which tests override with a fake.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from escolta.store.models import AcknowledgementRow


class OrderSource(Protocol):
    """Where the web finds orders (the record, or a test's fake)."""

    def orders_on(self, session: Session, date: dt.date) -> list[dict[str, Any]]: ...

    def orders_of(self, session: Session, person: str) -> list[dict[str, Any]]: ...

    def order_by_id(self, session: Session, order_id: str) -> dict[str, Any] | None: ...


class RecordOrders:
    """The orders issued in the record."""

    def orders_on(self, session: Session, date: dt.date) -> list[dict[str, Any]]:
        from escolta.operations.orders import orders_on

        return orders_on(session, date)

    def orders_of(self, session: Session, person: str) -> list[dict[str, Any]]:
        from escolta.operations.orders import orders_of

        return orders_of(session, person)

    def order_by_id(self, session: Session, order_id: str) -> dict[str, Any] | None:
        date, _, person = order_id.partition(":")
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            return None
        found = [o for o in self.orders_on(session, day) if o["id"] == order_id]
        return found[0] if found else None


def with_acknowledgement(session: Session, order: dict[str, Any]) -> dict[str, Any]:
    """The order with ``acknowledged``: when its person acknowledged it (None: not yet)."""
    row = session.scalars(select(AcknowledgementRow)
                          .where(AcknowledgementRow.order_id == order["id"])).first()
    stamp = None if row is None else row.acknowledged_at.isoformat(timespec="seconds")
    return {**order, "acknowledged": stamp}


def orders_on(source: OrderSource, session: Session, date: dt.date) -> list[dict[str, Any]]:
    return [with_acknowledgement(session, o) for o in source.orders_on(session, date)]


def orders_of(source: OrderSource, session: Session, person: str) -> list[dict[str, Any]]:
    return [with_acknowledgement(session, o) for o in source.orders_of(session, person)]


def order_by_id(source: OrderSource, session: Session, order_id: str) -> dict[str, Any] | None:
    order = source.order_by_id(session, order_id)
    return None if order is None else with_acknowledgement(session, order)


def acknowledge(session: Session, order_id: str, person: str) -> bool:
    """Record that ``person`` acknowledged the order; False when it was acknowledged before."""
    existing = session.scalars(select(AcknowledgementRow)
                               .where(AcknowledgementRow.order_id == order_id)).first()
    if existing is not None:
        return False
    session.add(AcknowledgementRow(order_id=order_id, person=person,
                                   acknowledged_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
    session.flush()
    return True
