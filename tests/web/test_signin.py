"""Signing in: cookie flags, CSRF on every form, the rate limiter, TOTP (RFC 6238)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from escolta.store import audit

from .web_cases import PASSWORD, make_app

SIGNIN_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _form_csrf(client: TestClient, path: str) -> str:
    match = SIGNIN_CSRF.search(client.get(path).text)
    assert match is not None
    return match.group(1)


def test_the_session_cookie_is_httponly_and_samesite_strict(clients, app) -> None:  # type: ignore[no-untyped-def]
    response = TestClient(app).post("/api/session", json={"name": "chief",
                                                           "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain http on loopback


def test_the_session_cookie_is_secure_behind_tls(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app, base_url="https://testserver")
    response = client.post("/api/session", json={"name": "chief", "password": PASSWORD})
    assert "Secure" in response.headers["set-cookie"]


def test_the_record_keeps_only_the_hash_of_a_session_token(app) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    from sqlalchemy import select

    from escolta.store.models import WebSessionRow

    client = TestClient(app)
    client.post("/api/session", json={"name": "planner", "password": PASSWORD})
    token = client.cookies["escolta_session"]
    with app.state.store.transaction() as session:
        stored = session.scalars(select(WebSessionRow.token_sha256)).all()
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored


@pytest.mark.parametrize("csrf", [None, "", "not-the-token"], ids=["absent", "empty", "wrong"])
def test_a_form_post_without_the_right_csrf_token_is_refused(csrf, clients, app) -> None:  # type: ignore[no-untyped-def]
    client, _ = clients["chief"]
    form = {"date": dt.date.today().isoformat(), "site": "harbour-house", "room": "1"}
    if csrf is not None:
        form["csrf"] = csrf
    before = len(_entries(app))
    response = client.post("/record", data=form)
    assert response.status_code == 403
    last = _entries(app)[-1]
    assert len(_entries(app)) == before + 1
    assert (last.action, last.outcome) == ("denied", "denied") and "CSRF" in last.target


def test_a_form_post_with_the_right_csrf_token_is_accepted(clients) -> None:  # type: ignore[no-untyped-def]
    client, _ = clients["chief"]
    token = _form_csrf(client, "/record")
    form = {"date": dt.date.today().isoformat(), "site": "harbour-house", "room": "1",
            "post:t": "harbour-house", "csrf": token}
    assert client.post("/record", data=form).status_code == 200


def test_an_api_post_without_the_csrf_header_is_refused(clients) -> None:  # type: ignore[no-untyped-def]
    client, csrf = clients["ana"]
    assert client.post("/api/orders/o-ana-tonight/ack", json={}).status_code == 403
    assert client.post("/api/orders/o-ana-tonight/ack", json={},
                       headers={"X-CSRF-Token": csrf}).status_code == 200


def test_the_signin_form_refuses_a_post_without_its_token(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    response = client.post("/signin", data={"name": "chief", "password": PASSWORD})
    assert response.status_code == 403 and "escolta_session" not in client.cookies


def test_the_signin_form_signs_in_with_its_token(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    token = _form_csrf(client, "/signin")
    response = client.post("/signin", data={"name": "chief", "password": PASSWORD,
                                            "csrf": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/tonight"


def _entries(app) -> list[audit.AuditEntry]:  # type: ignore[no-untyped-def]
    with app.state.store.transaction() as session:
        return audit.entries(session)


@pytest.fixture
def fresh_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from .web_cases import build_record

    monkeypatch.setenv("ESCOLTA_KEY_FILE", str(tmp_path / "audit.key"))
    build_record(tmp_path / "r.db")
    application = make_app(tmp_path / "r.db")
    yield application
    application.state.store.close()


def test_failed_signins_are_rate_limited_then_audited(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app)
    attempts = fresh_app.state.settings.signin_attempts  # 5 by default
    codes = [client.post("/api/session", json={"name": "chief", "password": "wrong"})
             .status_code for _ in range(attempts)]
    assert codes == [401] * attempts
    # the right password is refused too while the name is blocked
    blocked = client.post("/api/session", json={"name": "chief", "password": PASSWORD})
    assert blocked.status_code == 429
    outcomes = [e.outcome for e in _entries(fresh_app) if e.action == "signin"]
    assert outcomes[-attempts - 1:] == ["failed"] * attempts + ["rate-limited"]


def test_the_rate_limiter_forgets_after_its_window() -> None:
    from escolta.web.security import RateLimiter

    now = [0.0]
    limiter = RateLimiter(attempts=2, window=10.0, clock=lambda: now[0])
    limiter.failed("name:x")
    limiter.failed("name:x")
    assert limiter.blocked("name:x")
    now[0] = 10.5
    assert not limiter.blocked("name:x")


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app)
    unknown = client.post("/api/session", json={"name": "nobody", "password": "x" * 12})
    wrong = client.post("/api/session", json={"name": "chief", "password": "x" * 12})
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


def test_a_user_with_totp_needs_the_current_code(fresh_app) -> None:  # type: ignore[no-untyped-def]
    import pyotp

    from escolta.operations.users import add_user

    secret = pyotp.random_base32()
    with fresh_app.state.store.transaction() as session:
        add_user(session, fresh_app.state.key, name="totp-chief", role="chief",
                 password=PASSWORD, totp_secret=secret)
    client = TestClient(fresh_app)
    without = client.post("/api/session", json={"name": "totp-chief", "password": PASSWORD})
    assert without.status_code == 401
    # the code an authenticator computes (RFC 6238: HOTP of floor(t / 30)), done here by hand
    import base64
    import hashlib
    import hmac
    import struct
    import time

    counter = int(time.time()) // 30
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter),
                      hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert client.post("/api/session", json={"name": "totp-chief", "password": PASSWORD,
                                             "totp": wrong}).status_code == 401
    assert client.post("/api/session", json={"name": "totp-chief", "password": PASSWORD,
                                             "totp": code}).status_code == 200


def test_signing_out_ends_the_session(fresh_app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(fresh_app)
    csrf = client.post("/api/session", json={"name": "chief", "password": PASSWORD}).json()["csrf"]
    token = client.cookies["escolta_session"]
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 200
    replay = TestClient(fresh_app, cookies={"escolta_session": token})
    assert replay.get("/api/me").status_code == 401


def test_every_response_forbids_scripts_and_framing(app) -> None:  # type: ignore[no-untyped-def]
    headers = TestClient(app).get("/signin").headers
    assert "script-src" not in headers["content-security-policy"]
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
