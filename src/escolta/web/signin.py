"""Signing in and out, shared by the sign-in page and ``POST /api/session``.

Failures are rate-limited per name and per client address and written to the audit chain;
the answer never says whether the name or the password was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from escolta.operations.users import Credentials, User, check_credentials, find_credentials
from escolta.store import Store, audit
from escolta.web.deps import Writes, writes_of
from escolta.web.security import SESSION_COOKIE, NewSession, close_session, open_session


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    new_session: NewSession | None
    status: int  # 200, 401 or 429
    message: str = ""


async def sign_in(request: Request, key: bytes, name: str, password: str,
                  totp: str | None) -> SignInResult:
    """Check a sign-in: read the credentials, check Argon2id in a worker thread, then write
    the outcome (and the new session) through the record's writer."""
    app = request.app
    limiter = app.state.limiter
    writes = writes_of(app)
    address = request.client.host if request.client else "unknown"
    keys = (f"name:{name}", f"addr:{address}")
    name_shown = name[:200]
    if limiter.blocked(*keys):
        await writes.audit_async(actor=name_shown, action="signin", target=address,
                                 outcome="rate-limited")
        return SignInResult(None, None, 429, "too many failed sign-ins: wait and try again")
    credentials = await run_in_threadpool(read_credentials, app.state.store, name)
    result = await run_in_threadpool(check_credentials, credentials, password, totp)
    if result.user is None:
        limiter.failed(*keys)
        await writes.audit_async(actor=name_shown, action="signin", target=address,
                                 outcome="failed")
        return SignInResult(None, None, 401, result.reason)
    limiter.succeeded(keys[0])
    user, hours = result.user, app.state.settings.session_hours

    def open_and_audit(session: Session) -> NewSession:
        new = open_session(session, user.id, hours)
        audit.append(session, key, actor=user.name, action="signin", target=address)
        return new

    return SignInResult(user, await writes.run_async(open_and_audit), 200)


def read_credentials(store: Store, name: str) -> Credentials | None:
    """What checking ``name``'s password needs, from a read transaction (a worker thread)."""
    with store.reading() as session:
        return find_credentials(session, name)


def set_session_cookie(request: Request, response: Response, new: NewSession) -> None:
    settings = request.app.state.settings
    response.set_cookie(SESSION_COOKIE, new.token, httponly=True, samesite="strict",
                        secure=settings.secure_cookies or request.url.scheme == "https",
                        max_age=int(settings.session_hours * 3600), path="/")


def sign_out(request: Request, response: Response, writes: Writes, user: User) -> None:
    token = request.cookies.get(SESSION_COOKIE)

    def close_and_audit(session: Session) -> None:
        close_session(session, token)
        audit.append(session, writes.key, actor=user.name, action="signout")

    writes.run(close_and_audit)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
