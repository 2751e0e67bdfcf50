"""card engagement per testimonial, daily snapshots of each running experiment's estimate

Revision ID: 0044
Revises: 0037
Create Date: 2026-12-05 01:40:00

- per-testimonial day rows gain what viewers did on that testimonial's own card: units
  that interacted with it at all, expanded it, played it, clicked through from it;
- `tracking_experiment_snapshots`: what the daily analysis read for each running
  experiment at the end of each day (verdict, lift, interval, p-value or chance to win,
  SRM), one row per experiment and day, so a report shows how the estimate evolved.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0044"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CARD_COUNTS = ("card_engaged_units", "expand_units", "play_units", "click_units")


def upgrade() -> None:
    for name in CARD_COUNTS:
        op.add_column(
            "tracking_testimonial_days",
            sa.Column(name, sa.Integer(), nullable=False, server_default="0"),
        )
    op.create_table(
        "tracking_experiment_snapshots",
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=12), nullable=False),
        sa.Column("verdict_kind", sa.String(length=30), nullable=False),
        sa.Column("verdict", sa.String(length=1000), nullable=False),
        sa.Column("relative_lift", sa.Float()),
        sa.Column("ci_low", sa.Float()),
        sa.Column("ci_high", sa.Float()),
        sa.Column("p_value", sa.Float()),
        sa.Column("chance_to_win", sa.Float()),
        sa.Column("srm_p_value", sa.Float(), nullable=False),
        sa.Column("holdout_units", sa.Integer(), nullable=False),
        sa.Column("treatment_units", sa.Integer(), nullable=False),
        sa.Column("holdout_conversions", sa.Integer(), nullable=False),
        sa.Column("treatment_conversions", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.id"],
            name=op.f("fk_tracking_experiment_snapshots_experiment_id_experiments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "experiment_id", "day", name=op.f("pk_tracking_experiment_snapshots")
        ),
    )


def downgrade() -> None:
    op.drop_table("tracking_experiment_snapshots")
    with op.batch_alter_table("tracking_testimonial_days") as batch:
        for name in CARD_COUNTS:
            batch.drop_column(name)
