"""Orders issued: each night's code (biases, call-sign key) and every copy, who got it.

Functions take the session of the caller's one transaction and return frozen dataclasses.
A copy is stored with its text and the text's SHA-256, so the same person asking again gets
the very same copy, and a leak can be aligned with what each person received.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from escolta.store.models import IssuedOrderRow, OrderNightRow
from escolta.store.record import utc_now


@dataclass(frozen=True)
class OrderNight:
    """The code of one night: a bias per mark, the cutoff they were drawn with, the key."""

    date: dt.date
    biases: tuple[float, ...]
    cutoff: float
    call_key: bytes
    seeded: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class IssuedOrder:
    """A copy of an order as issued: to whom, the codeword it carries, its exact text."""

    id: int
    date: dt.date
    person: str
    symbols: tuple[int, ...]
    text: str
    text_sha256: str
    seeded: bool
    issued_at: dt.datetime


def text_sha256(text: str) -> str:
    """SHA-256 of a copy's UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _night(row: OrderNightRow) -> OrderNight:
    return OrderNight(row.date, tuple(float(p) for p in json.loads(row.biases_json)),
                      row.cutoff, bytes.fromhex(row.call_key), row.seeded, row.created_at)


def _issued(row: IssuedOrderRow) -> IssuedOrder:
    return IssuedOrder(row.id, row.date, row.person, tuple(int(s) for s in row.symbols),
                       row.text, row.text_sha256, row.seeded, row.issued_at)


def order_night(session: Session, date: dt.date) -> OrderNight | None:
    """The code of the orders of ``date``, if any were issued."""
    row = session.scalars(select(OrderNightRow).where(OrderNightRow.date == date)).first()
    return None if row is None else _night(row)


def order_nights(session: Session, dates: Collection[dt.date]) -> dict[dt.date, OrderNight]:
    """The codes of the given dates that have one."""
    if not dates:
        return {}
    rows = session.scalars(select(OrderNightRow).where(OrderNightRow.date.in_(list(dates))))
    return {row.date: _night(row) for row in rows}


def save_order_night(session: Session, date: dt.date, biases: Sequence[float], *,
                     cutoff: float, call_key: bytes, seeded: bool) -> OrderNight:
    """Store the code of a night (once: a night's code never changes)."""
    if order_night(session, date) is not None:
        raise ValueError(f"the orders of {date.isoformat()} already have a code")
    row = OrderNightRow(date=date, biases_json=json.dumps([float(p) for p in biases]),
                        cutoff=float(cutoff), call_key=call_key.hex(), seeded=seeded,
                        created_at=utc_now())
    session.add(row)
    session.flush()
    return _night(row)


def save_issued_order(session: Session, date: dt.date, person: str, symbols: Sequence[int],
                      text: str, *, seeded: bool) -> IssuedOrder:
    """Store a copy issued to ``person`` for ``date``."""
    row = IssuedOrderRow(date=date, person=person, symbols="".join(str(int(s)) for s in symbols),
                         text=text, text_sha256=text_sha256(text), seeded=seeded,
                         issued_at=utc_now())
    session.add(row)
    session.flush()
    return _issued(row)


def issued_orders(session: Session, *, dates: Collection[dt.date] | None = None,
                  person: str | None = None) -> list[IssuedOrder]:
    """Copies issued (on ``dates``, to ``person`` when given), oldest first.

    ``person`` is sealed at rest (each copy under its own nonce), so it is matched here,
    after opening, not in SQL.
    """
    query = select(IssuedOrderRow)
    if dates is not None:
        query = query.where(IssuedOrderRow.date.in_(list(dates)))
    copies = [_issued(row) for row in session.scalars(query.order_by(IssuedOrderRow.id))]
    return copies if person is None else [c for c in copies if c.person == person]


def recipients(session: Session) -> list[str]:
    """Everyone who was ever issued an order, by name (opened here: the column is sealed)."""
    return sorted(set(session.scalars(select(IssuedOrderRow.person))))
