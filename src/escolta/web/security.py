"""Sign-in machinery: session tokens stored hashed, CSRF tokens, a sign-in rate limiter.

Passwords are Argon2id (:mod:`escolta.security.passwords`). A session token is 32 random
bytes from ``secrets``; the record keeps only its SHA-256, so a copy of the database signs
no one in. Each session has its own CSRF token, put in every form and checked on every
POST (and sent by scripts as ``X-CSRF-Token``); the sign-in form, before any session
exists, carries an HMAC of a random pre-session cookie instead (double submit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from escolta.store.models import WebSessionRow

SESSION_COOKIE = "escolta_session"
PRESESSION_COOKIE = "escolta_presession"


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class NewSession:
    """A session just opened: the token for the cookie (shown once) and its CSRF token."""

    token: str
    csrf: str
    expires_at: dt.datetime


def open_session(session: Session, user_id: int, hours: float) -> NewSession:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utc_now()
    expires = now + dt.timedelta(hours=hours)
    session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
    session.add(WebSessionRow(token_sha256=token_sha256(token), user_id=user_id,
                              csrf_token=csrf, created_at=now, expires_at=expires))
    session.flush()
    return NewSession(token, csrf, expires)


def find_session(session: Session, token: str | None) -> WebSessionRow | None:
    """The live session of a cookie's token (None: absent, unknown or expired)."""
    if not token or len(token) > 200:
        return None
    row = session.scalars(select(WebSessionRow)
                          .where(WebSessionRow.token_sha256 == token_sha256(token))).first()
    if row is None or row.expires_at < utc_now():
        return None
    return row


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSessionRow)
                        .where(WebSessionRow.token_sha256 == token_sha256(token)))


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def presession_csrf(key: bytes, nonce: str) -> str:
    """The sign-in form's CSRF token: HMAC of the pre-session cookie under the audit key."""
    return hmac.new(key, b"signin:" + nonce.encode("utf-8"), hashlib.sha256).hexdigest()


class RateLimiter:
    """At most ``attempts`` failures per key in a sliding window of ``window`` seconds.

    Keys are ``name:<n>`` and ``addr:<ip>``, so neither guessing one name from many places
    nor many names from one place gets more than its share. Thread-safe; in memory (a
    restart forgets, which only helps a legitimate user).
    """

    def __init__(self, attempts: int, window: float, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.attempts = attempts
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        with self._lock:
            now = self._clock()
            return any(len(self._recent(k, now)) >= self.attempts for k in keys)

    def failed(self, *keys: str) -> None:
        with self._lock:
            now = self._clock()
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, name_key: str) -> None:
        with self._lock:
            self._failures.pop(name_key, None)
