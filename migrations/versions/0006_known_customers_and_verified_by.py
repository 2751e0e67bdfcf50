"""known customers and verified_by

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 16:41:13.784671
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import testimonials.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_VERIFIED_BY_CHECK = "verified_by IS NULL OR verified_by IN ('token', 'customer_email', 'sender')"
_feedback = sa.table(
    "feedback_items",
    sa.column("verified", sa.Boolean),
    sa.column("verified_by", sa.String),
    sa.column("invitation_id", sa.Integer),
    sa.column("channel", sa.String),
)


def upgrade() -> None:
    op.create_table(
        "known_customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("added_at", testimonials.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_known_customers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_customers")),
        sa.UniqueConstraint(
            "workspace_id", "email_hash", name=op.f("uq_known_customers_workspace_id_email_hash")
        ),
    )
    if op.get_bind().dialect.name == "sqlite":
        # ADD COLUMN in place: a batch rebuild would drop the table, and with foreign keys on
        # that deletes every testimonial and follow-up of every item (ON DELETE CASCADE).
        op.execute(
            "ALTER TABLE feedback_items ADD COLUMN verified_by VARCHAR(20) "
            f"CONSTRAINT ck_feedback_items_verified_by CHECK ({_VERIFIED_BY_CHECK})"
        )
    else:
        op.add_column("feedback_items", sa.Column("verified_by", sa.String(20), nullable=True))
        op.create_check_constraint(
            op.f("ck_feedback_items_verified_by"), "feedback_items", _VERIFIED_BY_CHECK
        )

    # Items verified so far came through a per-respondent link, or an API client vouched
    # for them; anything else verified (e.g. demo data) keeps an unknown origin.
    op.execute(
        _feedback.update()
        .where(_feedback.c.verified.is_(True), _feedback.c.invitation_id.is_not(None))
        .values(verified_by="token")
    )
    op.execute(
        _feedback.update()
        .where(
            _feedback.c.verified.is_(True),
            _feedback.c.verified_by.is_(None),
            _feedback.c.channel == "api",
        )
        .values(verified_by="sender")
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place, for the same reason as in upgrade (the CHECK goes with its column).
        op.execute("ALTER TABLE feedback_items DROP COLUMN verified_by")
    else:
        op.drop_constraint(op.f("ck_feedback_items_verified_by"), "feedback_items", type_="check")
        op.drop_column("feedback_items", "verified_by")
    op.drop_table("known_customers")
