"""The pages, rendered on the server (Jinja2, autoescaped; no script anywhere).

Every form carries the session's CSRF token and every POST checks it; the sign-in form
carries an HMAC of a pre-session cookie. What a role may not see is a 403 page, audited.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from escolta.errors import InputError
from escolta.operations.users import PASSWORD_RULE, User
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
from escolta.web.security import PRESESSION_COOKIE, csrf_matches, presession_csrf
from escolta.web.signin import set_session_cookie, sign_in, sign_out

router = APIRouter()

HOME = {"chief": "/tonight", "officer": "/tonight", "planner": "/plan", "auditor": "/audit"}


def _page(request: Request, template: str, user: User | None, status: int = 200,
          **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, template, {"user": user, "csrf": getattr(request.state, "csrf", ""),
                            **context}, status_code=status)


@router.get("/")
def home(user: CurrentUser) -> RedirectResponse:
    return RedirectResponse(HOME.get(user.role, "/signin"), status_code=303)


@router.get("/signin")
def signin_form(request: Request) -> HTMLResponse:
    return signin_page(request)


def signin_page(request: Request, message: str = "", status: int = 200) -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    response = _page(request, "signin.html", None, status=status, message=message,
                     signin_csrf=presession_csrf(request.app.state.key, nonce))
    response.set_cookie(PRESESSION_COOKIE, nonce, httponly=True, samesite="strict",
                        secure=request.app.state.settings.secure_cookies
                        or request.url.scheme == "https", max_age=3600, path="/signin")
    return response


@router.post("/signin")
async def signin_submit(request: Request, key: KeyDep, writes: WritesDep,
                  name: str = Form(max_length=200), password: str = Form(max_length=1024),
                  totp: str = Form("", max_length=10),
                  csrf: str = Form("", max_length=200)) -> Response:
    nonce = request.cookies.get(PRESESSION_COOKIE, "")
    if not nonce or not csrf_matches(presession_csrf(key, nonce), csrf):
        await writes.audit_async(actor=name[:200], action="signin", target="form",
                                 outcome="csrf-refused")
        return signin_page(request, "the form expired: sign in again", 403)
    result = await sign_in(request, key, name, password, totp or None)
    if result.user is None or result.new_session is None:
        return signin_page(request, result.message, result.status)
    first = "/password" if result.user.must_change_password else HOME[result.user.role]
    response = RedirectResponse(first, status_code=303)
    set_session_cookie(request, response, result.new_session)
    response.delete_cookie(PRESESSION_COOKIE, path="/signin")
    return response


def _password_page(request: Request, user: User, message: str = "", field: str = "",
                   status: int = 200) -> HTMLResponse:
    return _page(request, "password.html", user, status=status, message=message,
                 field=field, rule=PASSWORD_RULE)


@router.get("/password")
def password_form(request: Request, user: SignedInUser) -> HTMLResponse:
    return _password_page(request, user)


@router.post("/password", dependencies=[CsrfChecked])
async def password_submit(request: Request, user: SignedInUser,
                          current: str = Form(max_length=1024), new: str = Form(max_length=1024),
                          repeat: str = Form(max_length=1024)) -> Response:
    outcome = await password.change_password(request, user, current, new, repeat)
    if outcome.changed:
        return RedirectResponse(HOME.get(user.role, "/signin"), status_code=303)
    return _password_page(request, user, outcome.message, outcome.field, outcome.status)


@router.post("/signout", dependencies=[CsrfChecked])
def signout(request: Request, user: SignedInUser, writes: WritesDep) -> RedirectResponse:
    response = RedirectResponse("/signin", status_code=303)
    sign_out(request, response, writes, user)
    return response


@router.get("/tonight")
def tonight(request: Request, user: OrderReader, session: SessionDep, writes: WritesDep,
            source: OrdersDep) -> HTMLResponse:
    day = service.today()
    if user.role == "officer":
        orders = access.own_orders(orders_source.orders_of(source, session, user.person or ""),
                                   user, day)
        writes.audit(actor=user.name, action="orders.mine",
                     target=",".join(o["id"] for o in orders))
        return _page(request, "tonight_officer.html", user, orders=orders, date=day)
    try:
        view = service.tonight(session, day)
        problem = ""
    except InputError as error:
        view, problem = None, str(error)
    orders = orders_source.orders_on(source, session, day)
    writes.audit(actor=user.name, action="tonight.read", target=day.isoformat())
    return _page(request, "tonight_chief.html", user, view=view, problem=problem,
                 orders=orders, roster=service.roster(session, day), date=day)


@router.post("/tonight/draw", dependencies=[CsrfChecked])
def draw(user: ChiefUser, writes: WritesDep) -> RedirectResponse:
    day = service.today()
    try:
        writes.run(jobs.draw_tonight(writes.key, user, day))
    except InputError as error:
        raise HTTPException(409, str(error)) from None
    return RedirectResponse("/tonight", status_code=303)


@router.get("/orders/{order_id}")
def order(order_id: str, request: Request, user: OrderReader, session: SessionDep,
          writes: WritesDep, source: OrdersDep) -> HTMLResponse:
    found = orders_source.order_by_id(source, session, order_id)
    if not access.may_read_order(user, found, service.today()):
        raise deny(writes, user, request, f"order {order_id[:80]}")
    if found is None:
        writes.audit(actor=user.name, action="order.read", target=order_id[:80],
                     outcome="not-found")
        return _page(request, "denied.html", user, status=404, detail="no such order")
    writes.audit(actor=user.name, action="order.read", target=order_id)
    return _page(request, "order.html", user, order=found)


@router.post("/orders/{order_id}/ack", dependencies=[CsrfChecked])
def acknowledge(order_id: str, request: Request, user: OfficerUser, session: SessionDep,
                writes: WritesDep, source: OrdersDep) -> RedirectResponse:
    found = orders_source.order_by_id(source, session, order_id)
    if found is None or not access.may_read_order(user, found, service.today()):
        raise deny(writes, user, request, f"order {order_id[:80]}")
    writes.run(jobs.acknowledge(source, writes.key, user, order_id))
    return RedirectResponse("/tonight", status_code=303)


@router.get("/plan")
def plan(request: Request, user: PlanReader, session: SessionDep,
         writes: WritesDep) -> HTMLResponse:
    try:
        export = service.plan_export(session)
        plots = service.plan_plots(session)
    except InputError as error:
        return _page(request, "plan.html", user, export=None, problem=str(error), plots={})
    writes.audit(actor=user.name, action="plan.read", target=f"plan {export['plan_id']}")
    return _page(request, "plan.html", user, export=export, plots=plots, problem="")


@router.get("/scenarios")
def scenarios(request: Request, user: PlanReader) -> HTMLResponse:
    return _page(request, "scenarios.html", user, check=None, text="", name="")


@router.post("/scenarios", dependencies=[CsrfChecked])
def scenarios_submit(request: Request, user: PlanReader, writes: WritesDep,
                     name: str = Form("scenario", max_length=200),
                     text: str = Form(max_length=1_000_000),
                     save: str = Form("")) -> HTMLResponse:
    check = service.check_scenario(name, text)  # parsed here, not in the writer
    if check.ok and save:
        check = service.ScenarioCheck(True, stored_id=writes.run(
            jobs.save_scenario(writes.key, user, name, text)))
    return _page(request, "scenarios.html", user, check=check, text=text, name=name,
                 status=200 if check.ok else 422)


def _record_form(request: Request, user: User, session: Any, **context: Any) -> HTMLResponse:
    try:
        scenario = service.scenario_of_plan(session)
        sites = [s.name for s in scenario.sites]
        teams = [t.name for t in scenario.teams]
    except InputError as error:
        return _page(request, "record.html", user, sites=[], teams=[], problem=str(error),
                     outcome=None, form={}, error=None)
    return _page(request, "record.html", user, sites=sites, teams=teams, problem="",
                 **{"outcome": None, "form": {}, "error": None, **context})


@router.get("/record")
def record(request: Request, user: ChiefUser, session: SessionDep) -> HTMLResponse:
    return _record_form(request, user, session, form={"date": service.today().isoformat()})


@router.post("/record", dependencies=[CsrfChecked])
async def record_submit(request: Request, user: ChiefUser, session: SessionDep,
                        writes: WritesDep) -> HTMLResponse:
    form = await request.form()
    values = {k: str(v)[:200] for k, v in form.items() if isinstance(v, str)}
    posts = [f"{k[5:]}={v}" for k, v in values.items() if k.startswith("post:") and v]
    try:
        day = service.parse_date(values.get("date", ""), "date")
        room = service.parse_room(values.get("room", "1"))
        outcome = await writes.run_async(jobs.record_night(
            writes.key, user, date=day, site=values.get("site", ""), room=room, posts=posts,
            confirm=values.get("confirm") == "yes"))
    except InputError as error:
        return await run_in_threadpool(_record_form, request, user, session, form=values,
                                       error=error, status=422)
    return await run_in_threadpool(_record_form, request, user, session, form=values,
                                   outcome=outcome, status=200 if outcome.stored else 409)


@router.get("/report")
def report(request: Request, user: PlanReader, session: SessionDep,
           writes: WritesDep) -> HTMLResponse:
    try:
        data = service.redteam_summary(session)
    except InputError as error:
        return _page(request, "report.html", user, data=None, problem=str(error))
    writes.audit(actor=user.name, action="report.read")
    return _page(request, "report.html", user, data=data, problem="")


@router.get("/audit")
def audit_page(request: Request, user: AuditReader, store: StoreDep,
               writes: WritesDep) -> HTMLResponse:
    writes.audit(actor=user.name, action="audit.read")
    with store.reading() as session:  # begun after that entry committed: the page shows it
        entries, check = audit.entries(session, 500), audit.verify(session, writes.key)
    return _page(request, "audit.html", user, entries=entries, check=check)
