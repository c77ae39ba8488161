"""Dependencies of every route, declared once as ``Annotated`` aliases.

- ``SessionDep``: a read-only transaction of the record per request (``Store.reading``):
  requests read side by side, none waits for another's write.
- ``WritesDep``: every write, audit entries included, goes to the record's one writer
  (:class:`escolta.store.group_commit.GroupCommit`), which commits the writes of requests
  that arrive together in one transaction; a call returns once its write is durable, so a
  route answers only after its audit entry is committed.
- ``SignedInUser``: the signed-in user of the session cookie, else 401 (pages: to sign-in).
- ``CurrentUser``: the same, once their password is their own: a user whose password is a
  one-time one gets 403 (pages: to ``/password``) everywhere but the change of password and
  signing out, audited.
- Role guards (``ChiefUser``, ``PlanReader``, ``AuditReader``, ``OrderReader``...): access is
  denied by default; a route names the roles that may use it, and anyone else gets 403,
  written to the audit chain.
- ``OrdersDep``: where orders come from (overridden by tests).
- ``CsrfChecked``: a POST's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from escolta.operations.users import User, get_user
from escolta.store import Store, audit
from escolta.store.group_commit import GroupCommit
from escolta.web.orders_source import OrderSource
from escolta.web.security import SESSION_COOKIE, csrf_matches, find_session

T = TypeVar("T")


class NotSignedIn(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=401, detail="sign in first")


class Denied(HTTPException):
    """403: this role may not do this (the denial is in the audit chain)."""

    def __init__(self, detail: str = "forbidden") -> None:
        super().__init__(status_code=403, detail=detail)


class PasswordChangeRequired(Denied):
    """403: the password is a one-time one; nothing but changing it until it is changed."""

    def __init__(self) -> None:
        super().__init__("your password is a one-time password: change it before anything "
                         "else (the page /password, or POST /api/password with current, new "
                         "and repeat)")


async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_key(request: Request) -> bytes:
    return request.app.state.key


StoreDep = Annotated[Store, Depends(get_store)]


def get_session(request: Request) -> Iterator[Session]:
    # a worker thread, like every query here: queries in the event loop held up every other
    # request (p50 two to three times longer in benchmarks/bench_web.py, side by side)
    with request.app.state.store.reading() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
KeyDep = Annotated[bytes, Depends(get_key)]


@dataclass(frozen=True)
class Writes:
    """A request's door to the record's writer (``app.state.writer``).

    :meth:`run` and :meth:`audit` wait in the worker thread of a ``def`` route; ``async``
    code awaits :meth:`run_async` and :meth:`audit_async`. Each returns when the write is
    committed; a job that raises is rolled back and raises here.
    """

    writer: GroupCommit
    key: bytes

    def run(self, job: Callable[[Session], T]) -> T:
        return self.writer.run(job)

    async def run_async(self, job: Callable[[Session], T]) -> T:
        return await self.writer.run_async(job)

    def audit(self, **entry: Any) -> audit.AuditEntry:
        return self.run(self._append(entry))

    async def audit_async(self, **entry: Any) -> audit.AuditEntry:
        return await self.run_async(self._append(entry))

    def _append(self, entry: dict[str, Any]) -> Callable[[Session], audit.AuditEntry]:
        return lambda session: audit.append(session, self.key, **entry)


def writes_of(app: Any) -> Writes:
    return Writes(app.state.writer, app.state.key)


async def get_writes(request: Request) -> Writes:
    return writes_of(request.app)


WritesDep = Annotated[Writes, Depends(get_writes)]


def get_signed_in_user(request: Request, session: SessionDep) -> User:
    row = find_session(session, request.cookies.get(SESSION_COOKIE))
    if row is None:
        raise NotSignedIn()
    user = get_user(session, row.user_id)
    if user is None:
        raise NotSignedIn()
    request.state.user = user
    request.state.csrf = row.csrf_token
    return user


SignedInUser = Annotated[User, Depends(get_signed_in_user)]


async def get_current_user(request: Request, user: SignedInUser, writes: WritesDep) -> User:
    """The signed-in user, unless their password is still a one-time one (403, audited)."""
    if user.must_change_password:
        await writes.audit_async(**denial(user, request, "one-time password not changed"))
        raise PasswordChangeRequired()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def denial(user: User, request: Request, why: str = "") -> dict[str, str]:
    """The audit entry of a refusal."""
    target = f"{request.method} {request.url.path}" + (f" ({why})" if why else "")
    return {"actor": user.name, "action": "denied", "target": target, "outcome": "denied"}


def deny(writes: Writes, user: User, request: Request, why: str = "") -> Denied:
    """Write the denial to the audit chain (from a worker thread) and return the 403."""
    writes.audit(**denial(user, request, why))
    return Denied()


async def deny_async(writes: Writes, user: User, request: Request, why: str = "") -> Denied:
    """:func:`deny` from the event loop: the denial awaited into the audit chain."""
    await writes.audit_async(**denial(user, request, why))
    return Denied()


def require(*roles: str) -> Callable[..., User]:
    """A dependency admitting only ``roles``; everyone else gets 403, audited."""

    async def guard(request: Request, user: CurrentUser, writes: WritesDep) -> User:
        if user.role not in roles:
            raise await deny_async(writes, user, request, f"role {user.role}")
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


async def check_csrf(request: Request, user: SignedInUser, writes: WritesDep) -> None:
    """Refuse a POST whose CSRF token is missing or not the session's (403, audited)."""
    expected = getattr(request.state, "csrf", None)
    given = await _csrf_given(request)
    if expected is None or not csrf_matches(expected, given):
        raise await deny_async(writes, user, request, "missing or wrong CSRF token")


CsrfChecked = Depends(check_csrf)
