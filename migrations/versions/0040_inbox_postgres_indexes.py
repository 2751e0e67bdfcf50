"""inbox on PostgreSQL at a million items: index-only paths for sparse filters

Revision ID: 0040
Revises: 0042
Create Date: 2026-12-05 01:50:00

A sparse inbox filter (one language over a quarter, the flagged items) is gathered
through an index on the items and joined to the testimonials, a row at a time. At a
million items each of those rows cost a visit to two wide heaps. On PostgreSQL:
- (workspace, language, received) with the item id included: a language and a date
  range are one index range, read without the heap;
- the suspicion index includes the item id: the flagged items, without the heap;
- (item id) including what the inbox filters and sorts on (workspace, status, snooze,
  rank): the join to the testimonial reads the index alone;
- the rank index includes the item id: a walk in rank order reaches the item without
  the testimonial's heap.
SQLite gets the (workspace, language, received) index only (no INCLUDE there).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0040"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RANK = ["workspace_id", "rank_score", "id", "status", "snoozed_until"]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_index(
        "ix_feedback_items_workspace_language_received",
        "feedback_items",
        ["workspace_id", "language", "received_at"],
        postgresql_include=["id"],
    )
    if not postgres:
        return
    op.drop_index("ix_feedback_items_workspace_suspicion", table_name="feedback_items")
    op.create_index(
        "ix_feedback_items_workspace_suspicion",
        "feedback_items",
        ["workspace_id", "suspicion"],
        postgresql_include=["id"],
    )
    op.drop_index("ix_testimonials_workspace_rank", table_name="testimonials")
    op.create_index(
        "ix_testimonials_workspace_rank", "testimonials", RANK, postgresql_include=["item_id"]
    )
    op.create_index(
        "ix_testimonials_item_inbox",
        "testimonials",
        ["item_id"],
        postgresql_include=["workspace_id", "status", "snoozed_until", "rank_score"],
    )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.drop_index("ix_testimonials_item_inbox", table_name="testimonials")
        op.drop_index("ix_testimonials_workspace_rank", table_name="testimonials")
        op.create_index("ix_testimonials_workspace_rank", "testimonials", RANK)
        op.drop_index("ix_feedback_items_workspace_suspicion", table_name="feedback_items")
        op.create_index(
            "ix_feedback_items_workspace_suspicion",
            "feedback_items",
            ["workspace_id", "suspicion"],
        )
    op.drop_index("ix_feedback_items_workspace_language_received", table_name="feedback_items")
