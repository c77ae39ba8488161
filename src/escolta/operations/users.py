"""People who sign in to the operations centre: add, list, remove, authenticate.

Roles are those of docs/design.md §11. An officer is tied to a person of the staff: when
the scenario of the record names a ``staff`` list the person must be on it, otherwise any
non-empty name is accepted. Every change is written to the audit chain in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.security.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    check_password,
    dummy_check,
    hash_password,
)
from escolta.store import audit
from escolta.store.models import ScenarioRow, UserRow, WebSessionRow
from escolta.store.record import latest_plan

ROLES = ("chief", "planner", "officer", "auditor")
NAME_LIMIT = 200
USER_LIMIT = 10_000  # users in one record


@dataclass(frozen=True)
class User:
    """A user as the rest of escolta sees it (never the hash, never the TOTP secret)."""

    id: int
    name: str
    role: str
    person: str | None
    totp: bool
    created_at: dt.datetime

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "person": self.person,
                "totp": self.totp, "created_at": self.created_at.isoformat(timespec="seconds")}


def _user(row: UserRow) -> User:
    return User(row.id, row.name, row.role, row.person, row.totp_secret is not None,
                row.created_at)


def staff_names(session: Session) -> list[str] | None:
    """The names in the ``staff`` list of the scenario in force (None: it has no staff)."""
    plan = latest_plan(session)
    row = (session.get(ScenarioRow, plan.scenario_id) if plan is not None else
           session.scalars(select(ScenarioRow).order_by(ScenarioRow.id.desc()).limit(1)).first())
    if row is None:
        return None
    data = yaml.safe_load(row.text)
    if not isinstance(data, dict) or "staff" not in data:
        return None
    return [str(p.get("name")) for p in data.get("staff") or [] if isinstance(p, dict)]


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise InputError(field, "(hidden)", f"must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InputError(field, "(hidden)", f"must have at most {MAX_LENGTH} characters")


def add_user(session: Session, key: bytes, *, name: str, role: str, password: str,
             person: str | None = None, totp_secret: str | None = None,
             actor: str = "cli") -> User:
    """Add a user; the password is stored as its Argon2id hash.

    Raises
    ------
    InputError
        Unknown role, empty or taken name, an officer without a staff person, a weak password.
    """
    name = name.strip()
    if not name or len(name) > NAME_LIMIT:
        raise InputError("NAME", name, f"must have 1 to {NAME_LIMIT} characters")
    if role not in ROLES:
        raise InputError("--role", role, f"must be one of {', '.join(ROLES)}")
    if role == "officer":
        if not person or not person.strip():
            raise InputError("--person", person, "an officer is tied to a person of the staff")
        staff = staff_names(session)
        if staff is not None and person not in staff:
            raise InputError("--person", person, "is not in the scenario's staff ("
                             + ", ".join(staff) + ")")
    elif person is not None:
        raise InputError("--person", person, "only an officer is tied to a person")
    check_password_rules(password)
    if session.scalars(select(UserRow).where(UserRow.name == name)).first() is not None:
        raise InputError("NAME", name, "is taken")
    if len(session.scalars(select(UserRow.id)).all()) >= USER_LIMIT:
        raise InputError("NAME", name, f"the record holds {USER_LIMIT} users already")
    row = UserRow(name=name, role=role, person=person, password_hash=hash_password(password),
                  totp_secret=totp_secret, created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    session.add(row)
    session.flush()
    audit.append(session, key, actor=actor, action="user.add", target=f"{name} ({role})")
    return _user(row)


def list_users(session: Session) -> list[User]:
    return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


def get_user(session: Session, user_id: int) -> User | None:
    row = session.get(UserRow, user_id)
    return None if row is None else _user(row)


def remove_user(session: Session, key: bytes, name: str, actor: str = "cli") -> User:
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    if row is None:
        raise InputError("NAME", name, "no such user")
    user = _user(row)
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
    session.delete(row)
    audit.append(session, key, actor=actor, action="user.remove", target=name)
    return user


def set_password(session: Session, key: bytes, name: str, password: str,
                 actor: str = "cli") -> None:
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    if row is None:
        raise InputError("NAME", name, "no such user")
    check_password_rules(password)
    row.password_hash = hash_password(password)
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
    audit.append(session, key, actor=actor, action="user.password", target=name)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the user, or why not (never which part was wrong)."""

    user: User | None
    reason: str = ""


@dataclass(frozen=True)
class Credentials:
    """What checking a sign-in needs, read in one short transaction (the hash is checked
    outside it, so a slow Argon2id never holds the record's write lock)."""

    user: User
    password_hash: str
    totp_secret: str | None


def find_credentials(session: Session, name: str) -> Credentials | None:
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    return None if row is None else Credentials(_user(row), row.password_hash, row.totp_secret)


def check_credentials(credentials: Credentials | None, password: str, totp: str | None = None,
                      now: dt.datetime | None = None) -> SignIn:
    """Check a password and (when the user has one) a TOTP code (RFC 6238, one step of
    clock drift either way); the reason never says which part was wrong."""
    if credentials is None:
        dummy_check(password)
        return SignIn(None, "wrong name or password")
    if not check_password(credentials.password_hash, password):
        return SignIn(None, "wrong name or password")
    if credentials.totp_secret is not None:
        import pyotp

        moment = now or dt.datetime.now(dt.UTC)
        if not totp or not pyotp.TOTP(credentials.totp_secret).verify(
                totp, for_time=moment, valid_window=1):
            return SignIn(None, "a valid one-time code is required")
    return SignIn(credentials.user)


def authenticate(session: Session, name: str, password: str, totp: str | None = None,
                 now: dt.datetime | None = None) -> SignIn:
    """Check a name, a password and a TOTP code in one go (for callers without contention)."""
    return check_credentials(find_credentials(session, name), password, totp, now)
