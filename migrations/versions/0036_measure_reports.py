"""measure reports: click-throughs and engagement in roll-ups, featured testimonials, analysis settings

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-04 22:20:00

- experiments gain the analysis method their report uses (sequential by default: reports
  are read daily) and the minimum detectable lift their power screen plans for;
- the roll-ups gain click-throughs (with the sums the ratio metric needs) and engaged units,
  and a per-testimonial day table for the treatment arm.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARM_DAY_COUNTS = (
    "engaged_units",
    "clicks",
    "clicks_squares",
    "clicks_x_viewables",
    "randomised_units",
    "randomised_converted_units",
)


def upgrade() -> None:
    with op.batch_alter_table("experiments") as batch:
        batch.add_column(
            sa.Column(
                "analysis_method", sa.String(length=12), nullable=False, server_default="sequential"
            )
        )
        batch.add_column(
            sa.Column("minimum_detectable_lift", sa.Float(), nullable=False, server_default="0.1")
        )
        batch.create_check_constraint(
            op.f("ck_experiments_analysis_method"),
            "analysis_method IN ('sequential', 'frequentist', 'bayesian')",
        )
    op.add_column(
        "tracking_unit_days",
        sa.Column("clicks", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("tracking_unit_days", sa.Column("featured", sa.String(length=1000)))
    for name in ARM_DAY_COUNTS:
        op.add_column(
            "tracking_arm_days", sa.Column(name, sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "tracking_testimonial_days",
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("testimonial_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("first_units", sa.Integer(), nullable=False),
        sa.Column("viewable_units", sa.Integer(), nullable=False),
        sa.Column("engaged_units", sa.Integer(), nullable=False),
        sa.Column("converted_units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "experiment_id", "day", "testimonial_id", name=op.f("pk_tracking_testimonial_days")
        ),
    )


def downgrade() -> None:
    op.drop_table("tracking_testimonial_days")
    with op.batch_alter_table("tracking_arm_days") as batch:
        for name in ARM_DAY_COUNTS:
            batch.drop_column(name)
    with op.batch_alter_table("tracking_unit_days") as batch:
        batch.drop_column("featured")
        batch.drop_column("clicks")
    with op.batch_alter_table("experiments") as batch:
        batch.drop_constraint(op.f("ck_experiments_analysis_method"), type_="check")
        batch.drop_column("minimum_detectable_lift")
        batch.drop_column("analysis_method")
