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
    must_change_password: bool = False  # the password is a one-time one (0006)

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "person": self.person,
                "totp": self.totp, "created_at": self.created_at.isoformat(timespec="seconds"),
                "must_change_password": self.must_change_password}


def _user(row: UserRow) -> User:
    return User(row.id, row.name, row.role, row.person, row.totp_secret is not None,
                row.created_at, bool(row.password_one_time))


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


PASSWORD_RULE = (f"at least {MIN_LENGTH} characters (at most {MAX_LENGTH}), not your sign-in "
                 "name, not the password you have now")
"""The rule a new password chosen at the operations centre must meet (shown on the form)."""


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise InputError(field, "(hidden)", f"must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InputError(field, "(hidden)", f"must have at most {MAX_LENGTH} characters")


def add_user(session: Session, key: bytes, *, name: str, role: str, password: str,
             person: str | None = None, totp_secret: str | None = None,
             actor: str = "cli", one_time: bool = False) -> User:
    """Add a user; the password is stored as its Argon2id hash. ``one_time``: a password
    escolta made and printed, which the user must change at first sign-in.

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
                  totp_secret=totp_secret, password_one_time=one_time,
                  created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
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
                 actor: str = "cli", one_time: bool = False) -> None:
    """Give ``name`` a new password (``one_time``: made by escolta, to be changed at the
    next sign-in); every session of theirs ends."""
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    if row is None:
        raise InputError("NAME", name, "no such user")
    check_password_rules(password)
    row.password_hash = hash_password(password)
    row.password_one_time = one_time
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
    audit.append(session, key, actor=actor, action="user.password", target=name)


def check_new_password(user: User, current: str, new: str, repeat: str) -> None:
    """The :data:`PASSWORD_RULE` and the repeat, checked before any hash is computed."""
    check_password_rules(new, "new")
    if new != repeat:
        raise InputError("repeat", "(hidden)", "is not the same as the new password")
    if new == current:
        raise InputError("new", "(hidden)", "must differ from the password you have now")
    if new.strip().casefold() == user.name.strip().casefold():
        raise InputError("new", "(hidden)", "must not be your sign-in name")


def change_own_password(session: Session, key: bytes, user: User, *, checked_hash: str,
                        new_hash: str, keep_session: str | None) -> bool:
    """Store a password the user chose (its Argon2id hash ``new_hash``, made outside any
    transaction) after they proved the one they had, whose hash was ``checked_hash``; the
    one-time mark goes, and every other session of theirs ends. False (nothing changed)
    when the password changed meanwhile."""
    row = session.get(UserRow, user.id)
    if row is None or row.password_hash != checked_hash:
        return False
    row.password_hash = new_hash
    row.password_one_time = False
    others = delete(WebSessionRow).where(WebSessionRow.user_id == row.id)
    if keep_session is not None:
        others = others.where(WebSessionRow.token_sha256 != keep_session)
    session.execute(others)
    audit.append(session, key, actor=user.name, action="user.password", target=user.name,
                 outcome="changed")
    return True


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
