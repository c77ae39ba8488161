"""The web's one door to the orders of design.md section 10.

Orders are made by :mod:`escolta.operations.orders` / :mod:`escolta.store.orders`; this module
imports them lazily and, when they are absent, answers with no orders. Every order is a dict
in the shape of ``escolta orders --json`` (``date``, ``person``, ``text``, ...) plus an
``id`` (a string) and ``acknowledged``. Routes get the source through the ``OrdersDep``
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


def _module():  # type: ignore[no-untyped-def]
    try:
        from escolta.operations import orders  # type: ignore[attr-defined]
    except ImportError:
        return None
    return orders


def _as_dicts(found: Any) -> list[dict[str, Any]]:
    out = []
    for order in found or []:
        item = order.to_dict() if hasattr(order, "to_dict") else dict(order)
        item["id"] = str(item.get("id", f"{item.get('date')}:{item.get('person')}"))
        item["date"] = str(item.get("date"))
        out.append(item)
    return out


class RecordOrders:
    """The orders stored in the record (none until the orders module is installed)."""

    def orders_on(self, session: Session, date: dt.date) -> list[dict[str, Any]]:
        module = _module()
        if module is None or not hasattr(module, "orders_on"):
            return []
        return _as_dicts(module.orders_on(session, date))

    def orders_of(self, session: Session, person: str) -> list[dict[str, Any]]:
        module = _module()
        if module is None or not hasattr(module, "orders_of"):
            return []
        return _as_dicts(module.orders_of(session, person))

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
