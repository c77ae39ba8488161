"""Dependencies of every route, declared once as ``Annotated`` aliases.

- ``SessionDep``: one transaction of the record per request (committed when the route
  returns; on a denial the audit entry of the denial is committed and the 403 raised).
- ``CurrentUser``: the signed-in user of the session cookie, else 401 (pages: to sign-in).
- Role guards (``ChiefUser``, ``PlanReader``, ``AuditReader``, ``OrderReader``...): access is
  denied by default; a route names the roles that may use it, and anyone else gets 403,
  written to the audit chain.
- ``OrdersDep``: where orders come from (overridden by tests).
- ``CsrfChecked``: a POST's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from escolta.operations.users import User, get_user
from escolta.store import Store, audit
from escolta.web.orders_source import OrderSource
from escolta.web.security import SESSION_COOKIE, csrf_matches, find_session


class NotSignedIn(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=401, detail="sign in first")


class Denied(HTTPException):
    """403: this role may not do this (the denial is in the audit chain)."""

    def __init__(self, detail: str = "forbidden") -> None:
        super().__init__(status_code=403, detail=detail)


async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_key(request: Request) -> bytes:
    return request.app.state.key


@asynccontextmanager
async def locked_transaction(app: Any) -> AsyncIterator[Session]:
    """A transaction of the record, one at a time in this process.

    Every transaction begins with ``BEGIN IMMEDIATE``; requests that met at SQLite's lock
    would wait in its busy handler, which sleeps in steps of up to 100 ms. They queue on an
    asyncio lock instead, waiting in the event loop, not in worker threads (a thread lock
    could take every worker thread while its holder needed one to finish). A :class:`Denied`
    raised inside commits first (the denial's audit entry) and then propagates.
    """
    async with app.state.db_lock:
        transaction = app.state.store.transaction()
        session = await run_in_threadpool(transaction.__enter__)
        try:
            yield session
        except Denied:
            await run_in_threadpool(transaction.__exit__, None, None, None)
            raise
        except BaseException as error:
            await run_in_threadpool(transaction.__exit__, type(error), error,
                                    error.__traceback__)
            raise
        else:
            await run_in_threadpool(transaction.__exit__, None, None, None)


async def get_session(request: Request) -> AsyncIterator[Session]:
    async with locked_transaction(request.app) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
KeyDep = Annotated[bytes, Depends(get_key)]


async def get_current_user(request: Request, session: SessionDep) -> User:
    # async: two indexed reads, done in the event loop rather than a worker thread hop
    row = find_session(session, request.cookies.get(SESSION_COOKIE))
    if row is None:
        raise NotSignedIn()
    user = get_user(session, row.user_id)
    if user is None:
        raise NotSignedIn()
    request.state.user = user
    request.state.csrf = row.csrf_token
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def deny(session: Session, key: bytes, user: User, request: Request, why: str = "") -> Denied:
    """Write the denial to the audit chain and return the 403 to raise."""
    target = f"{request.method} {request.url.path}" + (f" ({why})" if why else "")
    audit.append(session, key, actor=user.name, action="denied", target=target,
                 outcome="denied")
    return Denied()


def require(*roles: str) -> Callable[..., User]:
    """A dependency admitting only ``roles``; everyone else gets 403, audited."""

    async def guard(request: Request, user: CurrentUser, session: SessionDep,
                    key: KeyDep) -> User:
        if user.role not in roles:
            raise deny(session, key, user, request, f"role {user.role}")
        return user

    guard.__name__ = "require_" + "_".join(roles)
    return guard


ChiefUser = Annotated[User, Depends(require("chief"))]
PlanReader = Annotated[User, Depends(require("chief", "planner"))]
AuditReader = Annotated[User, Depends(require("chief", "auditor"))]
OrderReader = Annotated[User, Depends(require("chief", "officer"))]
OfficerUser = Annotated[User, Depends(require("officer"))]


async def get_order_source(request: Request) -> OrderSource:
    """The application's order source (``app.state.order_source``, the record's by default)."""
    return request.app.state.order_source


OrdersDep = Annotated[OrderSource, Depends(get_order_source)]


async def _csrf_given(request: Request) -> str | None:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf")
        return value if isinstance(value, str) else None
    return None


async def check_csrf(request: Request, user: CurrentUser, session: SessionDep,
                     key: KeyDep) -> None:
    """Refuse a POST whose CSRF token is missing or not the session's (403, audited)."""
    expected = getattr(request.state, "csrf", None)
    given = await _csrf_given(request)
    if expected is None or not csrf_matches(expected, given):
        raise deny(session, key, user, request, "missing or wrong CSRF token")


CsrfChecked = Depends(check_csrf)
