"""inbox search from the text index: a testimonial reached by its item, without its row

Revision ID: 0041
Revises: 0037
Create Date: 2026-12-05 02:00:00

On SQLite a search reads its matches from the FTS5 index (item ids) and joins each to its
testimonial: with this index the workspace, status, snooze and rank come from the index
alone, without reading the testimonial's row (12,700 matches: 166 -> 91 ms at a million
items). It is made on both databases so models and migrations agree.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0041"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_testimonials_item_inbox",
        "testimonials",
        ["item_id", "workspace_id", "status", "snoozed_until", "rank_score", "honesty_problem"],
    )


def downgrade() -> None:
    op.drop_index("ix_testimonials_item_inbox", table_name="testimonials")
