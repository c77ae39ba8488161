"""One-time passwords: a user whose password was made for them must change it first.

``users.password_one_time`` is true for a password escolta generated and printed (``escolta
users add`` without ``--password-stdin``, ``escolta serve --chief``); such a user can sign in,
but the operations centre lets them do nothing except change it (and sign out) until they
have (docs/design.md §11, docs/web.md). Users of an earlier record chose or were given
their password before this existed: they keep it, the flag false.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("password_one_time", sa.Boolean, nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.drop_column("password_one_time")
