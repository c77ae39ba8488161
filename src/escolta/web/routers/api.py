"""The JSON API, beside the pages, for scripts and tests.

``POST /api/session`` signs in (``{"name", "password", "totp"?}`` -> the session cookie and
the CSRF token for later POSTs, and ``must_change_password``: a one-time password, which
``POST /api/password`` (``{"current", "new", "repeat"}``) must replace before anything
else). Orders come as ``{"orders": [...]}`` in the shape of ``escolta orders --json``. A role
that may not see a route gets 403, written to the audit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from escolta.errors import InputError
from escolta.store import audit
from escolta.web import access, jobs, orders_source, password, service
from escolta.web.deps import (
    AuditReader,
    ChiefUser,
    CsrfChecked,
    CurrentUser,
    KeyDep,
    OfficerUser,
    OrderReader,
    OrdersDep,
    PlanReader,
    SessionDep,
    SignedInUser,
    StoreDep,
    WritesDep,
    deny,
)
from escolta.web.signin import set_session_cookie, sign_in, sign_out

router = APIRouter(prefix="/api")


class Credentials(BaseModel):
    name: str = Field(max_length=200)
    password: str = Field(max_length=1024)
    totp: str | None = Field(default=None, max_length=10)


@router.post("/session")
async def create_session(credentials: Credentials, request: Request, response: Response,
                         key: KeyDep) -> dict[str, Any]:
    result = await sign_in(request, key, credentials.name, credentials.password, credentials.totp)
    if result.user is None or result.new_session is None:
        response.status_code = result.status
        return {"detail": result.message}
    set_session_cookie(request, response, result.new_session)
    return {"name": result.user.name, "role": result.user.role, "person": result.user.person,
            "csrf": result.new_session.csrf,
            "must_change_password": result.user.must_change_password}


class NewPassword(BaseModel):
    current: str = Field(max_length=1024)
    new: str = Field(max_length=1024)
    repeat: str = Field(max_length=1024)


@router.post("/password", dependencies=[CsrfChecked])
async def change_password(body: NewPassword, request: Request, response: Response,
                          user: SignedInUser) -> dict[str, Any]:
    """Change one's own password (the only route open to a one-time password but signing
    out); 200, or 422 / 401 / 429 with the field at fault."""
    outcome = await password.change_password(request, user, body.current, body.new,
                                             body.repeat)
    response.status_code = outcome.status
    return {"detail": outcome.message, "field": outcome.field or None}


@router.delete("/session", dependencies=[CsrfChecked])
def delete_session(request: Request, response: Response, user: SignedInUser,
                   writes: WritesDep) -> dict[str, str]:
    sign_out(request, response, writes, user)
    return {"detail": "signed out"}


@router.get("/me")
def me(user: CurrentUser) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "person": user.person}


@router.get("/orders/mine")
def my_orders(user: OrderReader, session: SessionDep, writes: WritesDep,
              source: OrdersDep) -> dict[str, Any]:
    orders = [] if user.person is None else access.own_orders(
        orders_source.orders_of(source, session, user.person), user, service.today())
    writes.audit(actor=user.name, action="orders.mine", target=",".join(o["id"] for o in orders))
    return {"orders": orders}


def _parse_date(value: str | None, field: str) -> dt.date:
    if value is None:
        return service.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{field}: must be a date YYYY-MM-DD (got {value!r})") from None


@router.get("/orders")
def orders_on(user: ChiefUser, session: SessionDep, writes: WritesDep, source: OrdersDep,
              date: str | None = None) -> dict[str, Any]:
    day = _parse_date(date, "date")
    orders = orders_source.orders_on(source, session, day)
    writes.audit(actor=user.name, action="orders.read", target=day.isoformat())
    return {"orders": orders}


@router.get("/orders/{order_id}")
def order(order_id: str, request: Request, user: OrderReader, session: SessionDep,
          writes: WritesDep, source: OrdersDep) -> Any:
    found = orders_source.order_by_id(source, session, order_id)
    if not access.may_read_order(user, found, service.today()):
        raise deny(writes, user, request, f"order {order_id[:80]}")
    if found is None:
        writes.audit(actor=user.name, action="order.read", target=order_id[:80],
                     outcome="not-found")
        return JSONResponse({"detail": "no such order"}, status_code=404)
    writes.audit(actor=user.name, action="order.read", target=order_id)
    return found


@router.post("/orders/{order_id}/ack", dependencies=[CsrfChecked])
def acknowledge(order_id: str, request: Request, user: OfficerUser, session: SessionDep,
                writes: WritesDep, source: OrdersDep) -> dict[str, Any]:
    found = orders_source.order_by_id(source, session, order_id)
    if not access.may_read_order(user, found, service.today()) or found is None:
        raise deny(writes, user, request, f"order {order_id[:80]}")
    return writes.run(jobs.acknowledge(source, writes.key, user, order_id))


@router.get("/plan")
def plan(user: PlanReader, session: SessionDep, writes: WritesDep) -> dict[str, Any]:
    try:
        export = service.plan_export(session)
    except InputError as error:
        raise HTTPException(404, str(error)) from None
    writes.audit(actor=user.name, action="plan.read", target=f"plan {export['plan_id']}")
    return export


@router.get("/tonight")
def tonight(user: ChiefUser, session: SessionDep, writes: WritesDep,
            date: str | None = None) -> dict[str, Any]:
    day = _parse_date(date, "date")
    try:
        view = service.tonight(session, day)
    except InputError as error:
        raise HTTPException(404, str(error)) from None
    writes.audit(actor=user.name, action="tonight.read", target=day.isoformat())
    return {"date": day.isoformat(), "plan_id": view.plan_id, "seeded": view.seeded,
            "night": None if view.night is None else view.night.to_dict()}


class RecordRequest(BaseModel):
    date: str | None = None
    site: str = Field(max_length=200)
    room: int = 1
    posts: list[str] = Field(default_factory=list, max_length=1000)
    confirm: bool = False


@router.post("/record", dependencies=[CsrfChecked])
def record(body: RecordRequest, response: Response, user: ChiefUser,
           writes: WritesDep) -> dict[str, Any]:
    day = _parse_date(body.date, "date")
    try:
        outcome = writes.run(jobs.record_night(writes.key, user, date=day, site=body.site,
                                               room=body.room, posts=body.posts,
                                               confirm=body.confirm))
    except InputError as error:
        raise HTTPException(422, str(error)) from None
    if outcome.needs_confirmation:
        response.status_code = 409
    return {"date": day.isoformat(), "stored": outcome.stored,
            "needs_confirmation": outcome.needs_confirmation, "replaced": outcome.replaced,
            **outcome.assessment}


@router.get("/report")
def report(user: PlanReader, session: SessionDep, writes: WritesDep) -> dict[str, Any]:
    try:
        data = service.report(session)
    except InputError as error:
        raise HTTPException(404, str(error)) from None
    writes.audit(actor=user.name, action="report.read")
    return data


@router.get("/audit")
def audit_log(user: AuditReader, store: StoreDep, writes: WritesDep,
              last: int = 200) -> dict[str, Any]:
    if not 1 <= last <= audit.SHOW_LIMIT:
        raise HTTPException(422, f"last: must be 1 to {audit.SHOW_LIMIT} (got {last})")
    writes.audit(actor=user.name, action="audit.read")
    with store.reading() as session:  # begun after that entry committed: the log shows it
        check, shown = audit.verify(session, writes.key), audit.entries(session, last)
    return {"entries": [e.to_dict() for e in shown],
            "verification": {"intact": check.intact, "entries": check.entries,
                             "first_bad_seq": check.first_bad_seq, "reason": check.reason}}
