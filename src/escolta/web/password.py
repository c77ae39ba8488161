"""Changing one's own password, shared by the page ``/password`` and ``POST /api/password``.

A one-time password (made and printed by ``escolta users add`` or ``escolta serve --chief``)
lets its user sign in and do nothing else until they choose their own
(:class:`escolta.web.deps.PasswordChangeRequired`). The form asks for the current password,
the new one and the new one again; the new one must meet
:data:`escolta.operations.users.PASSWORD_RULE`. The current password is checked with Argon2id
in a worker thread, the new hash made there too, and only the write goes to the record's
writer. A wrong current password counts as a failed sign-in (rate-limited, audited).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.operations.users import User, change_own_password, check_new_password
from escolta.security.passwords import check_password, hash_password
from escolta.web.deps import writes_of
from escolta.web.security import SESSION_COOKIE, token_sha256
from escolta.web.signin import read_credentials


@dataclass(frozen=True)
class PasswordChange:
    """The outcome: changed (status 200), or why not and in which field: 422 (the rule, the
    repeat), 401 (the current password), 429 (rate limit), 409 (changed meanwhile)."""

    status: int
    message: str
    field: str = ""

    @property
    def changed(self) -> bool:
        return self.status == 200


async def change_password(request: Request, user: User, current: str, new: str,
                          repeat: str) -> PasswordChange:
    app = request.app
    writes = writes_of(app)
    try:
        check_new_password(user, current, new, repeat)
    except InputError as error:
        return PasswordChange(422, f"{error.field}: {error.reason}", error.field)
    address = request.client.host if request.client else "unknown"
    keys = (f"name:{user.name}", f"addr:{address}")
    if app.state.limiter.blocked(*keys):
        await writes.audit_async(actor=user.name, action="user.password", target=user.name,
                                 outcome="rate-limited")
        return PasswordChange(429, "too many failed attempts: wait and try again")
    credentials = await run_in_threadpool(read_credentials, app.state.store, user.name)
    if credentials is None or not await run_in_threadpool(
            check_password, credentials.password_hash, current):
        app.state.limiter.failed(*keys)
        await writes.audit_async(actor=user.name, action="user.password", target=user.name,
                                 outcome="failed")
        return PasswordChange(401, "current: is not your password", "current")
    new_hash = await run_in_threadpool(hash_password, new)
    token = request.cookies.get(SESSION_COOKIE)
    checked = credentials.password_hash

    def store(session: Session) -> bool:
        return change_own_password(session, writes.key, user, checked_hash=checked,
                                   new_hash=new_hash,
                                   keep_session=None if token is None else token_sha256(token))

    if not await writes.run_async(store):
        return PasswordChange(409, "your password was changed meanwhile: sign in again")
    app.state.limiter.succeeded(keys[0])
    return PasswordChange(200, "password changed")
