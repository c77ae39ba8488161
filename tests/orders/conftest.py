"""A record holding a scenario with an ``orders`` block, a plan, and forty drawn nights."""

from __future__ import annotations

import datetime as dt

import pytest

from escolta.protect.plan import Night, Plan, SolverInfo
from escolta.store import open_store
from escolta.store.record import save_drawn_nights, save_plan, save_scenario

from .order_cases import FIRST, NIGHTS, ORDERS_SCENARIO, night_on


@pytest.fixture
def orders_record(db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    plan = Plan(risk=0.3, adversaries={"strike": 0.3},
                site_probability={"palace-north": 0.5, "villa-south": 0.5},
                nights=(Night(0.5, "palace-north", 1, {"inner": "palace-north",
                                                        "outer": "villa-south"}),
                        Night(0.5, "villa-south", 1, {"inner": "palace-north",
                                                       "outer": "villa-south"})),
                pairs=None, solver=SolverInfo("optimal", 0.01, 0.3, "lp"))
    with open_store(db) as store, store.transaction() as session:
        scenario = save_scenario(session, ORDERS_SCENARIO, "orders.yaml")
        stored = save_plan(session, scenario.id, plan)
        save_drawn_nights(session, stored.id,
                          [(FIRST + dt.timedelta(days=k), night_on(k)) for k in range(NIGHTS)],
                          seeded=False)
    monkeypatch.setenv("ESCOLTA_DB", db)
    return db
