"""SQLite: an index on an item's star rating, for the inbox's rating filter

Revision ID: 0055
Revises: 0054
Create Date: 2026-12-05 21:40:00

Since 0053 the inbox rank leads with its group (praise, lukewarm, no consent, unhappy),
and a star rating decides the group. The rating filter's capped count walked the rank
index from the bottom and read through the groups that hold no such rating first: "5 stars"
passed every unhappy item (SQLite, 200,000 items: 354 ms; rising with the inbox). This
partial index (rated items only: NPS answers and webhook text pay nothing) finds them
directly, and in received order for "oldest"/"newest". PostgreSQL plans the filter
through its bitmap scans and needs none. The schema comparison leaves the name out
(`harvest.search.SEARCH_SCHEMA_OBJECTS`), as for the other migrations' own indexes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0055"
down_revision: str | None = "0054"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_feedback_items_workspace_rating"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON feedback_items "
            "(workspace_id, rating, received_at) WHERE rating IS NOT NULL"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
