"""Orders: each night's fingerprinting code and every copy issued (docs/design.md §10).

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "order_nights",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False, unique=True),
        sa.Column("biases_json", sa.Text, nullable=False),
        sa.Column("cutoff", sa.Float, nullable=False),
        sa.Column("call_key", sa.String(64), nullable=False),
        sa.Column("seeded", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "issued_orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("symbols", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("seeded", sa.Boolean, nullable=False),
        sa.Column("issued_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_issued_orders_date", "issued_orders", ["date"])
    op.create_index("ix_issued_orders_person", "issued_orders", ["person"])


def downgrade() -> None:
    op.drop_index("ix_issued_orders_person", table_name="issued_orders")
    op.drop_index("ix_issued_orders_date", table_name="issued_orders")
    op.drop_table("issued_orders")
    op.drop_table("order_nights")
