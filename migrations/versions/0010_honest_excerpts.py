"""honest excerpts: flag curated words that are not the customer's own

Revision ID: 0010
Revises: 0013
Create Date: 2026-12-04 19:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from testimonials.curation.honesty import honesty_problem_of

revision: str = "0010"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows are read and written in batches so a large workspace does not sit in memory at once.
_BATCH = 1000


def upgrade() -> None:
    # ADD COLUMN of a nullable column is in place on both databases (no table rebuild, so
    # no cascade through the testimonials' foreign keys on SQLite).
    op.add_column("testimonials", sa.Column("honesty_problem", sa.String(length=500)))
    bind = op.get_bind()
    testimonials = sa.table(
        "testimonials",
        sa.column("id", sa.Integer),
        sa.column("item_id", sa.Integer),
        sa.column("excerpt", sa.Text),
        sa.column("display_name", sa.String),
        sa.column("honesty_problem", sa.String),
    )
    items = sa.table(
        "feedback_items",
        sa.column("id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("suggested_excerpt", sa.Text),
        sa.column("author_name", sa.String),
        sa.column("erased_at", sa.DateTime),
    )
    # Only what a person curated can break the rule (the scorer's suggestions are verbatim,
    # and erased answers have no words left to publish).
    query = (
        sa.select(
            testimonials.c.id,
            testimonials.c.excerpt,
            testimonials.c.display_name,
            items.c.text,
            items.c.author_name,
        )
        .join(items, items.c.id == testimonials.c.item_id)
        .where(
            sa.or_(testimonials.c.excerpt.is_not(None), testimonials.c.display_name.is_not(None)),
            items.c.erased_at.is_(None),
        )
        .order_by(testimonials.c.id)
    )
    last_id = 0
    while True:
        rows = bind.execute(query.where(testimonials.c.id > last_id).limit(_BATCH)).all()
        if not rows:
            break
        flagged = [
            {"row_id": row.id, "problem": problem}
            for row in rows
            if (
                problem := honesty_problem_of(
                    row.text, row.excerpt, row.author_name, row.display_name
                )
            )
        ]
        if flagged:
            bind.execute(
                testimonials.update()
                .where(testimonials.c.id == sa.bindparam("row_id"))
                .values(honesty_problem=sa.bindparam("problem")),
                flagged,
            )
        last_id = rows[-1].id


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE testimonials DROP COLUMN honesty_problem")
    else:
        op.drop_column("testimonials", "honesty_problem")
