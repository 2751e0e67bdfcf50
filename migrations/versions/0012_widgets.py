"""widgets, and the disclosure of insider or incentivised testimonials

Revision ID: 0012
Revises: 0014
Create Date: 2026-12-04 19:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import testimonials.db

revision: str = "0012"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Curators say when an author is an insider or was paid; widgets label such quotes.
_DISCLOSURE_CHECK = (
    "disclosure IS NULL OR disclosure IN ('employee', 'family', 'partner', 'incentivised')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # ADD COLUMN in place: a batch rebuild would drop testimonials, and with foreign keys
        # on that deletes their tag links and audit entries (ON DELETE CASCADE).
        op.execute(
            "ALTER TABLE testimonials ADD COLUMN disclosure VARCHAR(20) "
            f"CONSTRAINT ck_testimonials_disclosure CHECK ({_DISCLOSURE_CHECK})"
        )
    else:
        op.add_column("testimonials", sa.Column("disclosure", sa.String(20), nullable=True))
        op.create_check_constraint(
            op.f("ck_testimonials_disclosure"), "testimonials", _DISCLOSURE_CHECK
        )
    op.create_table(
        "widgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("selection", sa.JSON(), nullable=False),
        sa.Column("theme", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("custom_css", sa.Text(), nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=False),
        sa.Column("structured_data", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("allowed_origins", sa.JSON(), nullable=False),
        sa.Column("created_at", testimonials.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", testimonials.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('wall', 'carousel', 'single', 'marquee', 'avatars', 'rating')",
            name=op.f("ck_widgets_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_widgets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_widgets")),
        sa.UniqueConstraint("public_key", name=op.f("uq_widgets_public_key")),
    )
    op.create_index("ix_widgets_workspace_name", "widgets", ["workspace_id", "name"])


def downgrade() -> None:
    op.drop_index("ix_widgets_workspace_name", table_name="widgets")
    op.drop_table("widgets")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("testimonials") as batch:
            batch.drop_constraint(op.f("ck_testimonials_disclosure"), type_="check")
            batch.drop_column("disclosure")
    else:
        op.drop_constraint(op.f("ck_testimonials_disclosure"), "testimonials", type_="check")
        op.drop_column("testimonials", "disclosure")
