"""share pages, share images and the workspace brand colour

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column is added in place on SQLite too (no batch rebuild of workspaces,
    # which would cascade-delete every row that references a workspace).
    op.add_column("workspaces", sa.Column("brand_color", sa.String(length=7), nullable=True))
    op.create_table(
        "share_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("testimonial_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["testimonial_id"],
            ["testimonials.id"],
            name=op.f("fk_share_pages_testimonial_id_testimonials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_share_pages_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_pages")),
        sa.UniqueConstraint("testimonial_id", name=op.f("uq_share_pages_testimonial_id")),
        sa.UniqueConstraint("token", name=op.f("uq_share_pages_token")),
    )
    op.create_index(
        op.f("ix_share_pages_workspace_id"), "share_pages", ["workspace_id"], unique=False
    )
    op.create_table(
        "share_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("testimonial_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("format IN ('card', 'square')", name=op.f("ck_share_images_format")),
        sa.ForeignKeyConstraint(
            ["testimonial_id"],
            ["testimonials.id"],
            name=op.f("fk_share_images_testimonial_id_testimonials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_share_images_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_images")),
        sa.UniqueConstraint(
            "testimonial_id", "format", name=op.f("uq_share_images_testimonial_id_format")
        ),
    )
    op.create_index(
        op.f("ix_share_images_workspace_id"), "share_images", ["workspace_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_share_images_workspace_id"), table_name="share_images")
    op.drop_table("share_images")
    op.drop_index(op.f("ix_share_pages_workspace_id"), table_name="share_pages")
    op.drop_table("share_pages")
    if op.get_bind().dialect.name == "sqlite":
        # In place: a batch rebuild of workspaces would cascade-delete everything in them.
        op.execute("ALTER TABLE workspaces DROP COLUMN brand_color")
    else:
        op.drop_column("workspaces", "brand_color")
