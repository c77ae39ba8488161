"""Encryption at rest: names, sites, nights, rosters, orders and scenarios sealed.

Every column that says where the principal will be or names a person or a site becomes
text sealed with AES-256-GCM (:mod:`escolta.security.sealing`); the acknowledgements'
order id (``DATE:PERSON``) becomes a keyed blind index. The data migration is here, in the
same transaction as the schema change: a record written by the release before opens with
its rows sealed on first open, under the keyring ``open_store`` hands over in
``config.attributes["keyring"]``. A record with rows and no keyring (``alembic upgrade`` by
hand) is refused rather than left half-sealed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SEALED = {
    "scenarios": ("name", "text"),
    "plans": ("plan_json",),
    "drawn_nights": ("night_json",),
    "spent_nights": ("site", "posts_json", "cost_json"),
    "appearance_weeks": ("slots_json",),
    "order_nights": ("biases_json", "call_key"),
    "issued_orders": ("person", "text"),
    "roster_assignments": ("team", "position", "role", "person"),
    "users": ("person",),
    "acknowledgements": ("person",),
    "audit_entries": ("target",),
}
INDEXED = {"acknowledgements": ("order_id",)}
WIDENED = {  # (table, column, old type, nullable): VARCHAR columns that become TEXT
    ("scenarios", "name", sa.String(200), False),
    ("spent_nights", "site", sa.String(200), False),
    ("order_nights", "call_key", sa.String(64), False),
    ("issued_orders", "person", sa.String(200), False),
    ("roster_assignments", "team", sa.String(200), False),
    ("roster_assignments", "position", sa.String(200), False),
    ("roster_assignments", "role", sa.String(200), False),
    ("roster_assignments", "person", sa.String(200), False),
    ("users", "person", sa.String(200), True),
    ("acknowledgements", "person", sa.String(200), False),
    ("acknowledgements", "order_id", sa.String(200), False),
}


def _widen() -> None:
    tables = sorted({table for table, *_ in WIDENED})
    for table in tables:
        with op.batch_alter_table(table) as batch:
            for name, column, old, nullable in sorted(WIDENED, key=lambda w: w[1]):
                if name == table:
                    batch.alter_column(column, type_=sa.Text(), existing_type=old,
                                       existing_nullable=nullable)


def _convert(connection: sa.Connection) -> None:
    from escolta.security.sealing import is_sealed, seal
    from escolta.store.sealed import INDEX_PREFIX, blind

    keyring = context.config.attributes.get("keyring")
    work = [(t, c, "seal") for t, cs in SEALED.items() for c in cs]
    work += [(t, c, "index") for t, cs in INDEXED.items() for c in cs]
    for table, column, how in work:
        rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} "  # noqa: S608
                                          f"WHERE {column} IS NOT NULL")).all()
        for row_id, value in rows:
            done = is_sealed(value) if how == "seal" else value.startswith(INDEX_PREFIX)
            if done:
                continue
            if keyring is None:
                raise RuntimeError("0005 seals existing rows: open the record with escolta "
                                   "(open_store), which hands over its key file")
            where = f"{table}.{column}"
            new = seal(keyring, value, where) if how == "seal" else blind(keyring, value, where)
            connection.execute(sa.text(f"UPDATE {table} SET {column} = :v "  # noqa: S608
                                       "WHERE id = :i"), {"v": new, "i": row_id})


def upgrade() -> None:
    _widen()
    _convert(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("sealed values are not unsealed by a downgrade; restore a "
                              "backup taken before 0005 instead")
