"""The FastAPI application of the operations centre.

:func:`create_app` opens the record once (migrating it) with its one writer (group commit,
:mod:`escolta.store.group_commit`), loads the audit key (created on first use beside the
record or at ``ESCOLTA_KEY_FILE``), and mounts the pages, the JSON API
and the vendored stylesheet. Every response carries a strict Content-Security-Policy (no
script at all, nothing from another origin) and ``Cache-Control: no-store``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from escolta.security.keyfile import load_key
from escolta.store import open_store
from escolta.store.group_commit import GroupCommit
from escolta.web.deps import Denied, NotSignedIn, PasswordChangeRequired
from escolta.web.orders_source import RecordOrders
from escolta.web.security import RateLimiter
from escolta.web.settings import Settings

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response (those it does not set itself).

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` (``@app.middleware``) runs
    each request in a task of its own and streams the body through a queue, a measurable
    share of a request's CPU under load (benchmarks/bench_web.py).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                        for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def templates() -> Jinja2Templates:
    directory = resources.files("escolta.web") / "templates"
    return Jinja2Templates(directory=str(directory))  # autoescape on for .html


def create_app(settings: Settings) -> FastAPI:
    """Build the application over the record ``settings.db``."""
    from escolta.web.routers import api, pages

    store = open_store(settings.db)
    writer = GroupCommit(store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        writer.close()
        store.close()

    app = FastAPI(title="escolta operations centre", docs_url=None, redoc_url=None,
                  openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.writer = writer  # every write of every request (deps.WritesDep)
    app.state.order_source = RecordOrders()
    app.state.key = load_key(store.path)
    app.state.limiter = RateLimiter(settings.signin_attempts, settings.signin_window_seconds)
    app.state.templates = templates()
    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("escolta.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    app.add_middleware(SecurityHeaders)
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, error: NotSignedIn) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": error.detail}, status_code=401)
        return RedirectResponse("/signin", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def password_change_required(request: Request,
                                       error: PasswordChangeRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": error.detail}, status_code=403)
        return RedirectResponse("/password", status_code=303)

    @app.exception_handler(Denied)
    async def denied(request: Request, error: Denied) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": error.detail}, status_code=403)
        return app.state.templates.TemplateResponse(
            request, "denied.html", {"user": getattr(request.state, "user", None),
                                     "detail": error.detail}, status_code=403)

    return app
