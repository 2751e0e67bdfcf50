"""Surveys and widgets name the language their customers and visitors read

Revision ID: 0060
Revises: 0059
Create Date: 2026-12-06 06:00:00

The hosted survey (with its thanks and closed pages and its messages) and a widget's
wording, numbers and dates follow this language (testimonials.locales). Existing rows get
English, which is what they show today, byte for byte.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0060"
down_revision: str | None = "0059"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("surveys", "widgets")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("language", sa.String(16), nullable=False, server_default="en")
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("language")
