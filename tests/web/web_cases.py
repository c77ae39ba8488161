"""A small record for the web tests: a scenario, a hand-made plan, tonight drawn, and a fake
order source whose orders are written by hand (so the orders module need not exist yet).

The principal sleeps at ``summit-villa`` tonight. Officer ``ana`` (person ``ana``) stands at
``harbour-house``, away from the principal: nothing ``ana`` may see names ``summit-villa``.
Officer ``beto`` stands at ``summit-villa`` with the principal and is told so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from escolta.protect.plan import Night, Pair, Plan, SolverInfo

PRINCIPAL_SITE = "summit-villa"
AWAY_SITE = "harbour-house"
PASSWORD = "correct horse battery staple"

SCENARIO = f"""\
principal: P
sites:
  - {{name: {AWAY_SITE}, rooms: 1, success: [0.6, 0.2]}}
  - {{name: {PRINCIPAL_SITE}, rooms: 2, success: [0.8, 0.4]}}
teams:
  - {{name: t, chain: guard}}
rules: {{no_repeat: true}}
adversaries:
  - {{name: strike, weight: 1, sees: nothing}}
"""

# The chain of tests/ops/conftest.py with the sites renamed: stationary law (0.5, 0.3, 0.2),
# pairs with row and column sums equal to it; strike attacks (villa, 1): 0.3 x 0.4 = 0.12.
PLAN = Plan(
    risk=0.12, adversaries={"strike": 0.12},
    site_probability={AWAY_SITE: 0.5, PRINCIPAL_SITE: 0.5},
    nights=(Night(0.5, AWAY_SITE, 1, {"t": AWAY_SITE}),
            Night(0.3, PRINCIPAL_SITE, 1, {"t": PRINCIPAL_SITE}),
            Night(0.2, PRINCIPAL_SITE, 2, {"t": PRINCIPAL_SITE})),
    pairs=(Pair(0, 1, 0.3), Pair(0, 2, 0.2), Pair(1, 0, 0.3), Pair(2, 0, 0.2)),
    solver=SolverInfo("optimal", 0.01, 0.12, "lp"))

USERS = {  # name: (role, person)
    "chief": ("chief", None),
    "planner": ("planner", None),
    "ana": ("officer", "ana"),
    "beto": ("officer", "beto"),
    "auditor": ("auditor", None),
}


class FakeOrders:
    """Orders written by hand for tonight and tomorrow (and one of yesterday's)."""

    def __init__(self, today: dt.date) -> None:
        tomorrow = today + dt.timedelta(days=1)
        yesterday = today - dt.timedelta(days=1)
        self.orders = [
            {"id": "o-ana-tonight", "date": today.isoformat(), "person": "ana",
             "team": "t", "position": "agent", "post": AWAY_SITE,
             "text": f"Report 20:00 to team t at {AWAY_SITE}. Call sign KESTREL."},
            {"id": "o-ana-tomorrow", "date": tomorrow.isoformat(), "person": "ana",
             "team": "t", "position": "agent", "post": AWAY_SITE,
             "text": f"Report 20:00 to team t at {AWAY_SITE}. Call sign HERON."},
            {"id": "o-ana-yesterday", "date": yesterday.isoformat(), "person": "ana",
             "team": "t", "position": "agent", "post": AWAY_SITE,
             "text": f"Report 20:00 to team t at {AWAY_SITE}. Call sign OSPREY."},
            {"id": "o-beto-tonight", "date": today.isoformat(), "person": "beto",
             "team": "u", "position": "lead", "post": PRINCIPAL_SITE,
             "text": f"Report 19:30 to team u at {PRINCIPAL_SITE}. The principal is there, "
                     "room 1. Call sign FALCON."},
        ]

    def orders_on(self, session: Any, date: dt.date) -> list[dict[str, Any]]:
        return [dict(o) for o in self.orders if o["date"] == date.isoformat()]

    def orders_of(self, session: Any, person: str) -> list[dict[str, Any]]:
        return [dict(o) for o in self.orders if o["person"] == person]

    def order_by_id(self, session: Any, order_id: str) -> dict[str, Any] | None:
        found = [dict(o) for o in self.orders if o["id"] == order_id]
        return found[0] if found else None


def build_record(db: Path) -> None:
    """The scenario, the plan, tonight drawn at the principal's site, and the users."""
    from escolta.operations.users import add_user
    from escolta.security.keyfile import load_key
    from escolta.store import open_store
    from escolta.store.record import save_drawn_nights, save_plan, save_scenario

    with open_store(db) as store, store.transaction() as session:
        scenario = save_scenario(session, SCENARIO, "villa.yaml")
        plan = save_plan(session, scenario.id, PLAN)
        save_drawn_nights(session, plan.id, [(dt.date.today(), PLAN.nights[1])], seeded=False)
        key = load_key(store.path)
        for name, (role, person) in USERS.items():
            add_user(session, key, name=name, role=role, person=person, password=PASSWORD)


def make_app(db: Path):  # type: ignore[no-untyped-def]
    from escolta.web.app import create_app
    from escolta.web.deps import get_order_source
    from escolta.web.settings import Settings

    app = create_app(Settings(db=db))
    fake = FakeOrders(dt.date.today())

    async def fake_source() -> Any:
        return fake

    app.dependency_overrides[get_order_source] = fake_source
    return app


def signed_in(app, name: str) -> tuple[TestClient, str]:  # type: ignore[no-untyped-def]
    """A client signed in as ``name`` through the API, and its CSRF token."""
    client = TestClient(app)
    response = client.post("/api/session", json={"name": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client, response.json()["csrf"]
