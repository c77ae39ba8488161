"""Settings of the operations centre, read from arguments and the environment on demand.

Nothing is read at import time: :meth:`Settings.from_env` is called by ``escolta serve`` (and
by tests, with their own values).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from escolta.errors import InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SESSION_HOURS_LIMIT = 24 * 7
CONCURRENCY_LIMIT = 200
"""Requests in flight at most (uvicorn's ``limit_concurrency``; beyond it a 503): each holds
a read connection of the record while it reads (docs/web.md)."""


@dataclass(frozen=True)
class Settings:
    """How the application runs.

    Attributes
    ----------
    db
        The record (None: ``ESCOLTA_DB`` or the per-user default, as for the CLI).
    secure_cookies
        Mark cookies ``Secure`` (behind TLS). Requests that arrive over https get it anyway.
    session_hours
        How long a sign-in lasts.
    signin_attempts, signin_window_seconds
        At most this many failed sign-ins per name and per client address in the window.
    """

    db: Path | None = None
    secure_cookies: bool = False
    session_hours: float = 12.0
    signin_attempts: int = 5
    signin_window_seconds: float = 300.0

    def __post_init__(self) -> None:
        if not 0 < self.session_hours <= SESSION_HOURS_LIMIT:
            raise InputError("session_hours", self.session_hours,
                             f"must lie in (0, {SESSION_HOURS_LIMIT}]")
        if self.signin_attempts < 1:
            raise InputError("signin_attempts", self.signin_attempts, "must be at least 1")

    @classmethod
    def from_env(cls, db: Path | None = None, environ: dict[str, str] | None = None,
                 **overrides: object) -> Settings:
        """Settings from ``ESCOLTA_SECURE_COOKIES`` / ``ESCOLTA_SESSION_HOURS`` and arguments.

        Examples
        --------
        >>> Settings.from_env(environ={"ESCOLTA_SECURE_COOKIES": "1"}).secure_cookies
        True
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {"db": db}
        if env.get("ESCOLTA_SECURE_COOKIES"):
            values["secure_cookies"] = env["ESCOLTA_SECURE_COOKIES"] not in ("0", "false", "")
        if env.get("ESCOLTA_SESSION_HOURS"):
            try:
                values["session_hours"] = float(env["ESCOLTA_SESSION_HOURS"])
            except ValueError:
                raise InputError("ESCOLTA_SESSION_HOURS", env["ESCOLTA_SESSION_HOURS"],
                                 "must be a number of hours") from None
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
