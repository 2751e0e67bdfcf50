"""inbox at scale: the "needs fixing" count reads a partial index

Revision ID: 0037
Revises: 0032
Create Date: 2026-12-04 23:50:00

The inbox page counts the workspace's testimonials whose words broke the honesty rule on
every view; a partial index of those few rows keeps that count from reading the
workspace's every testimonial (a million of them). The inbox's other walks use the
indexes that exist (ix_testimonials_workspace_rank, the items' workspace-first indexes,
and the (workspace, source, external id) key for the list of sources).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEEDS_FIX = sa.text("honesty_problem IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_testimonials_needs_fix",
        "testimonials",
        ["workspace_id"],
        sqlite_where=NEEDS_FIX,
        postgresql_where=NEEDS_FIX,
    )


def downgrade() -> None:
    op.drop_index("ix_testimonials_needs_fix", table_name="testimonials")
