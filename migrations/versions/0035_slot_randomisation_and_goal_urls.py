"""tracking: per-testimonial randomisation, goal URLs, the testimonials an event concerns

Revision ID: 0035
Revises: 0015
Create Date: 2026-12-04 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("experiments") as batch:
        batch.add_column(
            sa.Column(
                "randomise_testimonials", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(sa.Column("goal_urls", sa.JSON(), nullable=False, server_default="[]"))
    # On PostgreSQL the parent of the daily partitions: the column reaches every partition.
    op.add_column("tracking_events", sa.Column("testimonial_ids", sa.String(1000), nullable=True))


def downgrade() -> None:
    op.drop_column("tracking_events", "testimonial_ids")
    with op.batch_alter_table("experiments") as batch:
        batch.drop_column("goal_urls")
        batch.drop_column("randomise_testimonials")
