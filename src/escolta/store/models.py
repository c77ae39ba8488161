"""Tables of the record (SQLAlchemy 2.0 declarative models).

The schema itself is created and changed only by the Alembic migrations in
``escolta/store/migrations/versions``; these models must match the head revision (a test
compares them). Timestamps are naive UTC; dates are calendar dates of the night (the evening
the principal goes to bed). JSON columns hold the exchange formats of docs/design.md §5.
Columns of type :class:`~escolta.store.sealed.SealedText` are encrypted at rest (docs/web.md,
"Encryption at rest").
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from escolta.store.sealed import BlindIndex, SealedText


class Base(DeclarativeBase):
    """Declarative base of every table in the record."""


class ScenarioRow(Base):
    """A scenario file, versioned by the SHA-256 of its exact text."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(SealedText("scenarios.name"))
    text: Mapped[str] = mapped_column(SealedText("scenarios.text"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PlanRow(Base):
    """A solved plan: the section 5 JSON and the solver's statistics."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    plan_json: Mapped[str] = mapped_column(SealedText("plans.plan_json"))
    risk: Mapped[float] = mapped_column(Float)
    lower_bound: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(40))
    seconds: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class DrawnNightRow(Base):
    """A night drawn from a plan for a date (the latest draw for a date is the one in force)."""

    __tablename__ = "drawn_nights"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    night_json: Mapped[str] = mapped_column(SealedText("drawn_nights.night_json"))
    seeded: Mapped[bool] = mapped_column(Boolean)
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SpentNightRow(Base):
    """The night actually spent on a date, and what it cost when it overrode the plan."""

    __tablename__ = "spent_nights"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, unique=True)
    site: Mapped[str] = mapped_column(SealedText("spent_nights.site"))
    room: Mapped[int] = mapped_column(Integer)
    posts_json: Mapped[str] = mapped_column(SealedText("spent_nights.posts_json"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), nullable=True)
    override: Mapped[bool] = mapped_column(Boolean)
    cost_json: Mapped[str | None] = mapped_column(SealedText("spent_nights.cost_json"),
                                                  nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class HandsetRow(Base):
    """A phone handset in the inventory (docs/design.md §4b); a retired one never returns."""

    __tablename__ = "handsets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200), unique=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class PhoneDayRow(Base):
    """The handset carried on a date."""

    __tablename__ = "phone_days"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, unique=True)
    handset_id: Mapped[int] = mapped_column(ForeignKey("handsets.id"), index=True)
    seeded: Mapped[bool] = mapped_column(Boolean)
    assigned_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AppearanceWeekRow(Base):
    """The public-appearance slots chosen for a week (docs/design.md §4c)."""

    __tablename__ = "appearance_weeks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    week_start: Mapped[dt.date] = mapped_column(Date, unique=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), nullable=True)
    slots_json: Mapped[str] = mapped_column(SealedText("appearance_weeks.slots_json"))
    seeded: Mapped[bool] = mapped_column(Boolean)
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime)


class OrderNightRow(Base):
    """The fingerprinting code of one night's orders: its biases and its call-sign key."""

    __tablename__ = "order_nights"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, unique=True)
    biases_json: Mapped[str] = mapped_column(SealedText("order_nights.biases_json"))
    cutoff: Mapped[float] = mapped_column(Float)
    call_key: Mapped[str] = mapped_column(SealedText("order_nights.call_key"))
    seeded: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class IssuedOrderRow(Base):
    """One copy of an order issued to a person: which codeword went to whom (section 10)."""

    __tablename__ = "issued_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    person: Mapped[str] = mapped_column(SealedText("issued_orders.person"), index=True)
    symbols: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(SealedText("issued_orders.text"))
    text_sha256: Mapped[str] = mapped_column(String(64))
    seeded: Mapped[bool] = mapped_column(Boolean)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)


class RosterAssignmentRow(Base):
    """One person in one position of one team on one night (docs/design.md §9)."""

    __tablename__ = "roster_assignments"
    __table_args__ = (UniqueConstraint("date", "team", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    team: Mapped[str] = mapped_column(SealedText("roster_assignments.team"))
    position: Mapped[str] = mapped_column(SealedText("roster_assignments.position"))
    role: Mapped[str] = mapped_column(SealedText("roster_assignments.role"))
    person: Mapped[str] = mapped_column(SealedText("roster_assignments.person"), index=True)
    with_principal: Mapped[bool] = mapped_column(Boolean)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), nullable=True)
    rostered_at: Mapped[dt.datetime] = mapped_column(DateTime)


class UserRow(Base):
    """A person who signs in to the operations centre (docs/design.md §11)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    person: Mapped[str | None] = mapped_column(SealedText("users.person"), nullable=True)
    password_hash: Mapped[str] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # a password escolta made and printed: to be changed at first sign-in (0006)
    password_one_time: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default=false())


class WebSessionRow(Base):
    """A signed-in browser or script: the SHA-256 of its token, never the token."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AcknowledgementRow(Base):
    """An officer's acknowledgement of one order."""

    __tablename__ = "acknowledgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[str] = mapped_column(BlindIndex("acknowledgements.order_id"),
                                          unique=True)
    person: Mapped[str] = mapped_column(SealedText("acknowledgements.person"))
    acknowledged_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditEntryRow(Base):
    """One entry of the audit chain: mac = HMAC-SHA256(key, prev_mac || canonical JSON)."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    timestamp: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(SealedText("audit_entries.target"))
    outcome: Mapped[str] = mapped_column(String(40))
    prev_mac: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))
