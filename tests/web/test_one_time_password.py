"""A one-time password must be changed at the first sign-in (docs/design.md §11).

A user whose password escolta made (``users add`` without ``--password-stdin``, ``serve
--chief``) signs in, then gets 403 from every API route and is sent to ``/password`` by every
page until they choose their own; signing out stays open. The rule of a new password is
docs/web.md's: at least 12 characters, not the sign-in name, not the current password, typed
twice. Expected answers are written by hand; the store is read back to check the flag.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from escolta.operations.users import add_user, find_credentials
from escolta.security.keyfile import load_key
from escolta.store import audit, open_store

from .web_cases import build_record, make_app

NAME, ONE_TIME = "nova", "one-time password printed by serve"
CHOSEN = "my own chosen passphrase"


@pytest.fixture
def fresh_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """The web record plus a chief ``nova`` holding a one-time password."""
    monkeypatch.delenv("ESCOLTA_DB", raising=False)
    monkeypatch.setenv("ESCOLTA_KEY_FILE", str(tmp_path / "audit.key"))
    db = tmp_path / "record.db"
    build_record(db)
    with open_store(db) as store, store.transaction() as session:
        add_user(session, load_key(store.path), name=NAME, role="chief", password=ONE_TIME,
                 one_time=True)
    application = make_app(db)
    yield application
    application.state.store.close()


def _sign_in(app, password: str = ONE_TIME) -> tuple[TestClient, dict]:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    response = client.post("/api/session", json={"name": NAME, "password": password})
    assert response.status_code == 200, response.text
    return client, response.json()


def _flag(app) -> bool:  # type: ignore[no-untyped-def]
    with app.state.store.reading() as session:
        credentials = find_credentials(session, NAME)
    assert credentials is not None
    return credentials.user.must_change_password


def _change(client: TestClient, csrf: str, current: str, new: str, repeat: str | None = None):  # type: ignore[no-untyped-def]
    return client.post("/api/password", headers={"X-CSRF-Token": csrf},
                       json={"current": current, "new": new,
                             "repeat": new if repeat is None else repeat})


API = ["/api/me", "/api/orders/mine", "/api/plan", "/api/tonight", "/api/report",
       "/api/audit", "/api/orders"]
PAGES = ["/", "/tonight", "/plan", "/record", "/report", "/audit", "/scenarios"]


def test_sign_in_says_the_password_must_be_changed(fresh_app) -> None:  # type: ignore[no-untyped-def]
    _, body = _sign_in(fresh_app)
    assert body["must_change_password"] is True and _flag(fresh_app)


@pytest.mark.parametrize("path", API)
def test_every_api_route_refuses_until_the_password_is_changed(fresh_app, path: str) -> None:  # type: ignore[no-untyped-def]
    client, _ = _sign_in(fresh_app)
    response = client.get(path)
    assert response.status_code == 403
    assert "one-time password" in response.json()["detail"]
    with fresh_app.state.store.reading() as session:
        last = audit.entries(session)[-1]
    assert (last.actor, last.action, last.outcome) == (NAME, "denied", "denied")
    assert last.target == f"GET {path} (one-time password not changed)"


def test_a_post_is_refused_too(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client, body = _sign_in(fresh_app)
    response = client.post("/api/record", headers={"X-CSRF-Token": body["csrf"]},
                           json={"site": "x"})
    assert response.status_code == 403 and "one-time password" in response.json()["detail"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_to_the_change_of_password(fresh_app, path: str) -> None:  # type: ignore[no-untyped-def]
    client, _ = _sign_in(fresh_app)
    response = client.get(path, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/password")


def test_the_form_states_the_rule_and_carries_the_csrf_token(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client, body = _sign_in(fresh_app)
    page = client.get("/password")
    assert page.status_code == 200
    assert "at least 12 characters" in page.text and "not your sign-in name" in page.text
    assert f'name="csrf" value="{body["csrf"]}"' in page.text
    assert 'href="/tonight"' not in page.text  # no way onward but changing it


MISTAKES = [
    pytest.param(ONE_TIME, "short", None, 422, "new", id="too-short"),
    pytest.param(ONE_TIME, CHOSEN, CHOSEN + "!", 422, "repeat", id="repeat-differs"),
    pytest.param(ONE_TIME, ONE_TIME, None, 422, "new", id="same-as-current"),
    pytest.param("not the password at all", CHOSEN, None, 401, "current", id="wrong-current"),
]


@pytest.mark.parametrize(("current", "new", "repeat", "status", "field"), MISTAKES)
def test_a_refused_change_says_which_field_and_changes_nothing(
        fresh_app, current: str, new: str, repeat: str | None, status: int, field: str) -> None:  # type: ignore[no-untyped-def]
    client, body = _sign_in(fresh_app)
    response = _change(client, body["csrf"], current, new, repeat)
    assert (response.status_code, response.json()["field"]) == (status, field)
    assert response.json()["detail"].startswith(f"{field}: ")
    assert _flag(fresh_app)
    assert client.get("/api/me").status_code == 403


def test_the_sign_in_name_is_refused_as_a_password(fresh_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from escolta.operations import users

    monkeypatch.setattr(users, "MIN_LENGTH", 4)  # a name shorter than the rule otherwise
    client, body = _sign_in(fresh_app)
    response = _change(client, body["csrf"], ONE_TIME, NAME.upper())
    assert (response.status_code, response.json()["field"]) == (422, "new")
    assert "sign-in name" in response.json()["detail"]


def test_the_change_needs_the_csrf_token(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client, _ = _sign_in(fresh_app)
    response = client.post("/api/password",
                           json={"current": ONE_TIME, "new": CHOSEN, "repeat": CHOSEN})
    assert response.status_code == 403 and _flag(fresh_app)


def test_after_the_change_everything_opens_and_only_the_new_password_works(fresh_app) -> None:  # type: ignore[no-untyped-def]
    other, _ = _sign_in(fresh_app)  # a second session of the same user, elsewhere
    client, body = _sign_in(fresh_app)
    response = _change(client, body["csrf"], ONE_TIME, CHOSEN)
    assert response.status_code == 200, response.text
    assert not _flag(fresh_app)
    assert client.get("/api/tonight").status_code == 200  # this session goes on
    assert other.get("/api/me").status_code == 401  # the other one was ended
    old = TestClient(fresh_app).post("/api/session", json={"name": NAME, "password": ONE_TIME})
    assert old.status_code == 401
    _, again = _sign_in(fresh_app, CHOSEN)
    assert again["must_change_password"] is False
    with fresh_app.state.store.reading() as session:
        changes = [e for e in audit.entries(session) if e.action == "user.password"]
        check = audit.verify(session, fresh_app.state.key)
    assert [(e.actor, e.outcome) for e in changes] == [(NAME, "changed")]
    assert check.intact


def test_signing_out_stays_open(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client, body = _sign_in(fresh_app)
    response = client.request("DELETE", "/api/session", headers={"X-CSRF-Token": body["csrf"]})
    assert response.status_code == 200
    assert client.get("/api/me").status_code == 401


def test_the_sign_in_page_leads_to_the_change_and_the_form_changes_it(fresh_app) -> None:  # type: ignore[no-untyped-def]
    import re

    client = TestClient(fresh_app)
    form = client.get("/signin").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    response = client.post("/signin", data={"name": NAME, "password": ONE_TIME, "csrf": token},
                           follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/password")
    page = client.get("/password").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    wrong = client.post("/password", data={"csrf": csrf, "current": ONE_TIME, "new": CHOSEN,
                                           "repeat": "something else entirely"})
    assert wrong.status_code == 422 and "repeat: is not the same" in wrong.text
    done = client.post("/password", data={"csrf": csrf, "current": ONE_TIME, "new": CHOSEN,
                                          "repeat": CHOSEN}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/tonight")
    assert client.get("/tonight").status_code == 200 and not _flag(fresh_app)
