"""Who may see which order: the one rule both the pages and the API apply.

A chief sees every order. An officer sees the orders of their own person, for tonight and
the next night (docs/design.md §11), and nothing else; another's order is refused with the
same 403 whether it exists or not, so an id probe learns nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from escolta.operations.users import User


def visible_dates(today: dt.date) -> tuple[str, str]:
    return today.isoformat(), (today + dt.timedelta(days=1)).isoformat()


def may_read_order(user: User, order: dict[str, Any] | None, today: dt.date) -> bool:
    if order is None:
        return user.role == "chief"  # a chief gets 404; anyone else the same 403 as for others'
    if user.role == "chief":
        return True
    return (user.role == "officer" and user.person is not None
            and order.get("person") == user.person
            and str(order.get("date")) in visible_dates(today))


def own_orders(orders: list[dict[str, Any]], user: User, today: dt.date) -> list[dict[str, Any]]:
    """An officer's orders for tonight and the next night, in date order."""
    dates = visible_dates(today)
    return sorted((o for o in orders if o.get("person") == user.person
                   and str(o.get("date")) in dates), key=lambda o: str(o["date"]))
