"""Signing in and out, shared by the sign-in page and ``POST /api/session``.

Failures are rate-limited per name and per client address and written to the audit chain;
the answer never says whether the name or the password was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from escolta.operations.users import User, check_credentials, find_credentials
from escolta.store import audit
from escolta.web.deps import locked_transaction
from escolta.web.security import SESSION_COOKIE, NewSession, close_session, open_session


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    new_session: NewSession | None
    status: int  # 200, 401 or 429
    message: str = ""


async def sign_in(request: Request, key: bytes, name: str, password: str,
                  totp: str | None) -> SignInResult:
    """Check a sign-in; the Argon2id check runs between two short transactions.

    Call it from a route that holds no transaction of its own (no ``SessionDep``).
    """
    app = request.app
    limiter = app.state.limiter
    address = request.client.host if request.client else "unknown"
    keys = (f"name:{name}", f"addr:{address}")
    name_shown = name[:200]
    async with locked_transaction(app) as session:
        if limiter.blocked(*keys):
            audit.append(session, key, actor=name_shown, action="signin", target=address,
                         outcome="rate-limited")
            return SignInResult(None, None, 429, "too many failed sign-ins: wait and try again")
        credentials = find_credentials(session, name)
    result = await run_in_threadpool(check_credentials, credentials, password, totp)
    async with locked_transaction(app) as session:
        if result.user is None:
            limiter.failed(*keys)
            audit.append(session, key, actor=name_shown, action="signin", target=address,
                         outcome="failed")
            return SignInResult(None, None, 401, result.reason)
        limiter.succeeded(keys[0])
        new = open_session(session, result.user.id, app.state.settings.session_hours)
        audit.append(session, key, actor=result.user.name, action="signin", target=address)
    return SignInResult(result.user, new, 200)


def set_session_cookie(request: Request, response: Response, new: NewSession) -> None:
    settings = request.app.state.settings
    response.set_cookie(SESSION_COOKIE, new.token, httponly=True, samesite="strict",
                        secure=settings.secure_cookies or request.url.scheme == "https",
                        max_age=int(settings.session_hours * 3600), path="/")


def sign_out(request: Request, response: Response, session: Session, key: bytes,
             user: User) -> None:
    close_session(session, request.cookies.get(SESSION_COOKIE))
    audit.append(session, key, actor=user.name, action="signout")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
