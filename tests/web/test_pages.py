"""What the pages show: an officer never meets the principal's site except in their own
order; a scenario's mistake beside its field; the ARMOR warning before an override."""

from __future__ import annotations

import datetime as dt

import pytest

from .web_cases import AWAY_SITE, PRINCIPAL_SITE, signed_in

TODAY = dt.date.today().isoformat()

# Everything officer ana can ask for, her own and others' objects alike.
ANA_REQUESTS = [
    ("GET", "/"), ("GET", "/tonight"), ("GET", "/orders/o-ana-tonight"),
    ("GET", "/orders/o-beto-tonight"), ("GET", "/orders/o-ana-yesterday"),
    ("GET", "/plan"), ("GET", "/report"), ("GET", "/record"), ("GET", "/audit"),
    ("GET", "/scenarios"), ("GET", "/api/me"), ("GET", "/api/orders/mine"),
    ("GET", "/api/orders/o-beto-tonight"), ("GET", f"/api/orders?date={TODAY}"),
    ("GET", "/api/plan"), ("GET", "/api/tonight"), ("GET", "/api/report"),
    ("GET", "/api/audit"), ("GET", "/static/escolta.css"),
]


@pytest.mark.parametrize(("method", "path"), ANA_REQUESTS, ids=[p for _, p in ANA_REQUESTS])
def test_an_officer_away_from_the_principal_never_reads_the_principals_site(
        method: str, path: str, clients) -> None:  # type: ignore[no-untyped-def]
    client, _ = clients["ana"]
    response = client.request(method, path)
    assert PRINCIPAL_SITE not in response.text
    for name, value in response.headers.items():
        assert PRINCIPAL_SITE not in value, name


def test_the_officer_posted_with_the_principal_learns_it_from_their_own_order(clients) -> None:  # type: ignore[no-untyped-def]
    client, _ = clients["beto"]
    orders = client.get("/api/orders/mine").json()["orders"]
    assert [o["id"] for o in orders] == ["o-beto-tonight"]
    assert PRINCIPAL_SITE in orders[0]["text"]


def test_an_officer_sees_tonight_and_tomorrow_not_yesterday(clients) -> None:  # type: ignore[no-untyped-def]
    client, _ = clients["ana"]
    orders = client.get("/api/orders/mine").json()["orders"]
    assert [o["id"] for o in orders] == ["o-ana-tonight", "o-ana-tomorrow"]
    assert all(set(o) >= {"date", "person", "text"} for o in orders)
    page = client.get("/tonight").text
    assert "KESTREL" in page and "HERON" in page and "OSPREY" not in page


def test_the_chief_sees_the_night_and_every_order(clients) -> None:  # type: ignore[no-untyped-def]
    client, _ = clients["chief"]
    page = client.get("/tonight").text
    assert PRINCIPAL_SITE in page and "FALCON" in page and "KESTREL" in page
    orders = client.get(f"/api/orders?date={TODAY}").json()["orders"]
    assert {o["person"] for o in orders} == {"ana", "beto"}


def test_the_plan_page_shows_the_risk_the_odds_and_inline_svg(clients) -> None:  # type: ignore[no-untyped-def]
    client, _ = clients["planner"]
    page = client.get("/plan").text
    assert "0.1200" in page  # strike at (villa, 1): 0.3 x 0.4, web_cases.PLAN
    assert "50.0%" in page and page.count("<svg") == 2 and "<script" not in page
    # the CSP refuses inline styles: the plots carry presentation attributes instead
    assert ' style="' not in page and "<style" not in page and 'fill="#' in page


def test_the_plan_api_is_the_plan_export(clients) -> None:  # type: ignore[no-untyped-def]
    from .web_cases import PLAN

    client, _ = clients["planner"]
    export = client.get("/api/plan").json()
    assert {k: export[k] for k in PLAN.to_dict()} == PLAN.to_dict()


SCENARIO_MISTAKES = [
    pytest.param("principal: P\nsites:\n  - {name: a, success: [0.5, 1.5]}\n",
                 "sites[0].success[1]", id="probability-above-one"),
    pytest.param("principal: P\nsites: [\n", "villa.yaml", id="broken-yaml"),
]


@pytest.mark.parametrize(("text", "field"), SCENARIO_MISTAKES)
def test_a_scenario_mistake_is_shown_beside_the_field(text: str, field: str, clients) -> None:  # type: ignore[no-untyped-def]
    client, csrf = clients["planner"]
    response = client.post("/scenarios", data={"name": "villa.yaml", "text": text,
                                                "csrf": csrf})
    assert response.status_code == 422
    page = response.text
    error_at = page.index('id="field-error"')
    assert page.index('id="text"') < error_at  # after the textarea, inside its field
    assert f"<code>{field}</code>" in page[error_at:]


def test_a_valid_scenario_can_be_stored(clients) -> None:  # type: ignore[no-untyped-def]
    from .web_cases import SCENARIO

    client, csrf = clients["planner"]
    page = client.post("/scenarios", data={"name": "again.yaml", "text": SCENARIO + "# v2\n",
                                           "csrf": csrf, "save": "1"}).text
    assert 'id="valid"' in page and "stored as scenario #" in page


def test_the_chief_is_warned_before_recording_a_night_the_plan_never_draws(app, clients) -> None:  # type: ignore[no-untyped-def]
    """harbour-house with team t at summit-villa is outside the plan's support (web_cases.PLAN
    posts t at the principal's site every night), so its probability is 0."""
    from escolta.store.record import spent_nights

    client, csrf = clients["chief"]
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    form = {"date": yesterday, "site": AWAY_SITE, "room": "1", "post:t": PRINCIPAL_SITE,
            "csrf": csrf}
    warned = client.post("/record", data=form)
    assert warned.status_code == 409 and 'id="armor-warning"' in warned.text
    assert "a night the plan never draws" in warned.text
    with app.state.store.transaction() as session:
        assert yesterday not in [s.date.isoformat() for s in spent_nights(session)]
    stored = client.post("/record", data={**form, "confirm": "yes"})
    assert stored.status_code == 200 and 'id="recorded"' in stored.text
    with app.state.store.transaction() as session:
        [night] = [s for s in spent_nights(session) if s.date.isoformat() == yesterday]
    assert night.override


def test_a_record_mistake_names_the_field(clients) -> None:  # type: ignore[no-untyped-def]
    client, csrf = clients["chief"]
    page = client.post("/record", data={"date": "someday", "site": AWAY_SITE, "room": "1",
                                        "csrf": csrf})
    assert page.status_code == 422 and "<code>date</code>" in page.text


def test_a_fresh_client_signs_in_through_the_api(app) -> None:  # type: ignore[no-untyped-def]
    client, csrf = signed_in(app, "auditor")
    assert client.get("/api/me").json() == {"name": "auditor", "role": "auditor",
                                            "person": None}
    assert client.get("/api/audit").json()["verification"]["intact"] is True


def test_the_audit_log_never_names_a_site(clients) -> None:  # type: ignore[no-untyped-def]
    """The auditor may read the log but not the plan: recording a night leaves its date."""
    chief, csrf = clients["chief"]
    stored = chief.post("/api/record", headers={"X-CSRF-Token": csrf},
                        json={"date": TODAY, "site": PRINCIPAL_SITE, "room": 1,
                              "posts": [f"t={PRINCIPAL_SITE}"]})
    assert stored.status_code == 200
    auditor, _ = clients["auditor"]
    for path in ("/audit", "/api/audit?last=10000"):
        text = auditor.get(path).text
        assert "record" in text and PRINCIPAL_SITE not in text and AWAY_SITE not in text
