"""Rosters: who stands in which position of which team each night (docs/design.md §9).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster_assignments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("team", sa.String(200), nullable=False),
        sa.Column("position", sa.String(200), nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("with_principal", sa.Boolean, nullable=False),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=True),
        sa.Column("rostered_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("date", "team", "position"),
    )
    op.create_index("ix_roster_assignments_date", "roster_assignments", ["date"])
    op.create_index("ix_roster_assignments_person", "roster_assignments", ["person"])


def downgrade() -> None:
    op.drop_table("roster_assignments")
