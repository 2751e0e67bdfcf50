"""webhook source kind and typeform field map

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 17:21:57.213835
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Only webhook_sources changes. Every existing source speaks our own format, so the new
# column's server default gives them kind 'testimonials' as it is added.
_KIND_CHECK = "kind IN ('testimonials', 'typeform')"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # ADD COLUMN in place: a batch rebuild would drop webhook_sources, and with foreign
        # keys on that deletes every webhook_deliveries row (ON DELETE CASCADE), so replayed
        # event ids would no longer be recognised as duplicates.
        op.execute(
            "ALTER TABLE webhook_sources ADD COLUMN kind VARCHAR(20) DEFAULT 'testimonials' "
            f"NOT NULL CONSTRAINT ck_webhook_sources_kind CHECK ({_KIND_CHECK})"
        )
        op.execute("ALTER TABLE webhook_sources ADD COLUMN field_map JSON")
    else:
        op.add_column(
            "webhook_sources",
            sa.Column("kind", sa.String(length=20), server_default="testimonials", nullable=False),
        )
        op.create_check_constraint(op.f("ck_webhook_sources_kind"), "webhook_sources", _KIND_CHECK)
        op.add_column(
            "webhook_sources", sa.Column("field_map", sa.JSON(none_as_null=True), nullable=True)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place, for the same reason as in upgrade (the CHECK goes with its column).
        op.execute("ALTER TABLE webhook_sources DROP COLUMN field_map")
        op.execute("ALTER TABLE webhook_sources DROP COLUMN kind")
    else:
        op.drop_column("webhook_sources", "field_map")
        op.drop_constraint(op.f("ck_webhook_sources_kind"), "webhook_sources", type_="check")
        op.drop_column("webhook_sources", "kind")
