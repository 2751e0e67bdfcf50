"""erasure of one answer, and who asked

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 17:02:00.626827
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Only the erasures table changes. On SQLite its batch rebuild drops and copies erasures
# alone: no table refers to it, so nothing cascades (feedback_items is never rebuilt here).
_erasures = sa.table("erasures", sa.column("kind", sa.String), sa.column("subject_hash", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("erasures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("item_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("requested_by_api_key_id", sa.Integer(), nullable=True))
    # Every erasure so far named a person by e-mail.
    op.execute(_erasures.update().values(kind="respondent"))
    with op.batch_alter_table("erasures", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column("subject_hash", existing_type=sa.VARCHAR(length=64), nullable=True)
        batch_op.create_check_constraint(
            batch_op.f("ck_erasures_kind"), "kind IN ('respondent', 'item')"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_erasures_requested_by_api_key_id_api_keys"),
            "api_keys",
            ["requested_by_api_key_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_erasures_item_id_feedback_items"),
            "feedback_items",
            ["item_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    # Keep the record of single-answer erasures (their counts bound the inbox model's
    # refits); the old schema wants a hash, and an empty one matches no address.
    op.execute(_erasures.update().where(_erasures.c.subject_hash.is_(None)).values(subject_hash=""))
    with op.batch_alter_table("erasures", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_erasures_item_id_feedback_items"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_erasures_requested_by_api_key_id_api_keys"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("ck_erasures_kind"), type_="check")
        batch_op.alter_column("subject_hash", existing_type=sa.VARCHAR(length=64), nullable=False)
        batch_op.drop_column("requested_by_api_key_id")
        batch_op.drop_column("item_id")
        batch_op.drop_column("kind")
