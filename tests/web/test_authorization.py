"""Authorization as a matrix: every route x every role x own or someone else's order.

The expected answers are docs/design.md §11's table, written out by hand below (not
derived from the guards under test): a role outside a route's set gets 403, and the denial is
the newest entry of the audit chain; a role inside gets its page or JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from escolta.store import audit

from .web_cases import AWAY_SITE, USERS

OWN = "o-ana-tonight"      # the order of ana, the officer under test
OTHER = "o-beto-tonight"   # another officer's order
TODAY = dt.date.today().isoformat()


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    allowed: frozenset[str]          # user names (of web_cases.USERS) the route admits
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    ok: tuple[int, ...] = (200,)
    tag: str = field(default="")


CHIEF = frozenset({"chief"})
PLANNERS = frozenset({"chief", "planner"})
AUDITORS = frozenset({"chief", "auditor"})
ANA = frozenset({"ana"})
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(USERS)
# a new password whose repeat differs: refused (422) before any hash is computed, so the
# matrix changes nobody's password (test_one_time_password.py changes them for real)
MISMATCH = {"current": "x", "new": "a long enough new secret", "repeat": "another one"}
RECORD = {"date": TODAY, "site": AWAY_SITE, "room": 1, "posts": [f"t={AWAY_SITE}"]}

ROUTES = [
    # the JSON API
    Route("GET", "/api/orders/mine", frozenset({"chief", "ana", "beto"})),
    Route("GET", f"/api/orders?date={TODAY}", CHIEF),
    Route("GET", f"/api/orders/{OWN}", CHIEF | ANA, tag="own"),
    Route("GET", f"/api/orders/{OTHER}", CHIEF | {"beto"}, tag="other"),
    Route("POST", f"/api/orders/{OWN}/ack", ANA, json={}, tag="own"),
    Route("POST", f"/api/orders/{OTHER}/ack", frozenset({"beto"}), json={}, tag="other"),
    Route("GET", "/api/orders/no-such-order", CHIEF, ok=(404,), tag="missing"),
    Route("GET", "/orders/no-such-order", CHIEF, ok=(404,), tag="missing"),
    Route("GET", "/api/plan", PLANNERS),
    Route("GET", "/api/tonight", CHIEF),
    Route("POST", "/api/record", CHIEF, json=RECORD),
    Route("GET", "/api/report", PLANNERS),
    Route("GET", "/api/audit", AUDITORS),
    Route("POST", "/api/password", EVERYONE, json=MISMATCH, ok=(422,)),
    # the pages
    Route("GET", "/tonight", frozenset({"chief", "ana", "beto"})),
    Route("POST", "/tonight/draw", CHIEF, form={}, ok=(200,)),  # redirect followed
    Route("GET", f"/orders/{OWN}", CHIEF | ANA, tag="own"),
    Route("GET", f"/orders/{OTHER}", CHIEF | {"beto"}, tag="other"),
    Route("POST", f"/orders/{OWN}/ack", ANA, form={}, tag="own"),
    Route("POST", f"/orders/{OTHER}/ack", frozenset({"beto"}), form={}, tag="other"),
    Route("GET", "/plan", PLANNERS),
    Route("GET", "/scenarios", PLANNERS),
    Route("POST", "/scenarios", PLANNERS, form={"name": "x", "text": "principal: P\n"},
          ok=(422,)),
    Route("GET", "/record", CHIEF),
    Route("POST", "/record", CHIEF, form={"date": TODAY, "site": AWAY_SITE, "room": "1",
                                         "post:t": AWAY_SITE}),
    Route("GET", "/report", PLANNERS),
    Route("GET", "/audit", AUDITORS),
    Route("GET", "/password", EVERYONE),
    Route("POST", "/password", EVERYONE, form=MISMATCH, ok=(422,)),
]

CASES = [pytest.param(route, name, id=f"{route.method} {route.path} as {name}")
         for route in ROUTES for name in USERS]


def _call(client, csrf: str, route: Route):  # type: ignore[no-untyped-def]
    headers = {"X-CSRF-Token": csrf} if route.method == "POST" else {}
    if route.json is not None:
        return client.request(route.method, route.path, json=route.json, headers=headers)
    if route.form is not None:
        return client.request(route.method, route.path, data={**route.form, "csrf": csrf})
    return client.request(route.method, route.path)


def _denials(app) -> list[audit.AuditEntry]:  # type: ignore[no-untyped-def]
    with app.state.store.transaction() as session:
        return [e for e in audit.entries(session) if e.outcome == "denied"]


@pytest.mark.parametrize(("route", "name"), CASES)
def test_route_answers_each_role_as_the_table_says(route: Route, name: str, clients,
                                                   app) -> None:  # type: ignore[no-untyped-def]
    client, csrf = clients[name]
    before = len(_denials(app))
    response = _call(client, csrf, route)
    denials = _denials(app)
    if name in route.allowed:
        assert response.status_code in route.ok, response.text[:300]
        assert len(denials) == before
    else:
        assert response.status_code == 403, response.text[:300]
        assert len(denials) == before + 1
        last = denials[-1]
        assert (last.actor, last.action) == (name, "denied")
        assert last.target.startswith(f"{route.method} {route.path.split('?')[0]}")


@pytest.mark.parametrize("route", [pytest.param(r, id=f"{r.method} {r.path}") for r in ROUTES])
def test_route_refuses_the_signed_out(route: Route, app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    response = _call(TestClient(app), "", route)
    if route.path.startswith("/api/"):
        assert response.status_code == 401
    else:  # pages send the browser to the sign-in page
        assert response.status_code == 200 and 'action="/signin"' in response.text


def test_an_unknown_route_is_not_found_for_everyone(clients) -> None:  # type: ignore[no-untyped-def]
    client, _ = clients["chief"]
    assert client.get("/api/users").status_code == 404
