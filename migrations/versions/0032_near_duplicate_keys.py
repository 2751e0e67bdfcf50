"""near-duplicate index in the database: one row per LSH band key of each stored item

Revision ID: 0032
Revises: 0033
Create Date: 2026-12-04 22:40:00

Web processes held the index in memory, one copy per process; testimonials.harvest.
near_duplicates now reads these rows. Existing items are indexed from their stored
MinHash signatures (erased items have none).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from testimonials.scoring.duplicates import band_keys_of_many

revision: str = "0032"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    keys = op.create_table(
        "near_duplicate_keys",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("band_key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("item_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_near_duplicate_keys_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "band_key", "item_id", name=op.f("pk_near_duplicate_keys")
        ),
        sqlite_with_rowid=False,
    )
    _index_stored_items(keys)


def _index_stored_items(keys: sa.Table) -> None:
    connection = op.get_bind()
    items = sa.table(
        "feedback_items",
        sa.column("id", sa.Integer()),
        sa.column("workspace_id", sa.Integer()),
        sa.column("minhash", sa.JSON()),
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(items.c.id, items.c.workspace_id, items.c.minhash)
            .where(items.c.id > last_id, items.c.minhash.is_not(None))
            .order_by(items.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        full = [row for row in rows if row.minhash and len(row.minhash) == 64]
        values = [
            {"workspace_id": row.workspace_id, "band_key": key, "item_id": row.id}
            for row, item_keys in zip(
                full, band_keys_of_many([r.minhash for r in full]), strict=True
            )
            for key in item_keys
        ]
        if values:
            connection.execute(sa.insert(keys), values)


def downgrade() -> None:
    op.drop_table("near_duplicate_keys")
