"""The first schema: scenarios, plans, nights drawn and spent, handsets, phone days, weeks.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id"), nullable=False),
        sa.Column("plan_json", sa.Text, nullable=False),
        sa.Column("risk", sa.Float, nullable=False),
        sa.Column("lower_bound", sa.Float, nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_plans_scenario_id", "plans", ["scenario_id"])
    op.create_table(
        "drawn_nights",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("night_json", sa.Text, nullable=False),
        sa.Column("seeded", sa.Boolean, nullable=False),
        sa.Column("drawn_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_drawn_nights_plan_id", "drawn_nights", ["plan_id"])
    op.create_index("ix_drawn_nights_date", "drawn_nights", ["date"])
    op.create_table(
        "spent_nights",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False, unique=True),
        sa.Column("site", sa.String(200), nullable=False),
        sa.Column("room", sa.Integer, nullable=False),
        sa.Column("posts_json", sa.Text, nullable=False),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=True),
        sa.Column("override", sa.Boolean, nullable=False),
        sa.Column("cost_json", sa.Text, nullable=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "handsets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(200), nullable=False, unique=True),
        sa.Column("added_at", sa.DateTime, nullable=False),
        sa.Column("retired_at", sa.DateTime, nullable=True),
        sa.Column("notes", sa.Text, nullable=True),
    )
    op.create_table(
        "phone_days",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False, unique=True),
        sa.Column("handset_id", sa.Integer, sa.ForeignKey("handsets.id"), nullable=False),
        sa.Column("seeded", sa.Boolean, nullable=False),
        sa.Column("assigned_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_phone_days_handset_id", "phone_days", ["handset_id"])
    op.create_table(
        "appearance_weeks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("week_start", sa.Date, nullable=False, unique=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=True),
        sa.Column("slots_json", sa.Text, nullable=False),
        sa.Column("seeded", sa.Boolean, nullable=False),
        sa.Column("drawn_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("appearance_weeks", "phone_days", "handsets", "spent_nights",
                  "drawn_nights", "plans", "scenarios"):
        op.drop_table(table)
