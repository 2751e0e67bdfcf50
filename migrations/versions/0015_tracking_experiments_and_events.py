"""tracking: experiments, visitor-day salts, append-only events (partitioned on PostgreSQL), roll-ups

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-04 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import testimonials.db

revision: str = "0015"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Daily partitions live in their own schema so the application schema lists only the
# parent table (and Alembic's model comparison sees exactly the models' tables).
PARTITION_SCHEMA = "tracking_partitions"


def upgrade() -> None:
    op.create_table(
        "experiments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("widget_key", sa.String(length=100), nullable=False),
        sa.Column("holdout_share", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", testimonials.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", testimonials.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("stopped_at", testimonials.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "holdout_share > 0 AND holdout_share < 1", name=op.f("ck_experiments_holdout_share")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'running', 'stopped')", name=op.f("ck_experiments_status")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_experiments_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiments")),
        sa.UniqueConstraint("public_key", name=op.f("uq_experiments_public_key")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_experiments_workspace_id_key")),
    )
    op.create_index(
        op.f("ix_experiments_workspace_id"), "experiments", ["workspace_id"], unique=False
    )
    op.create_table(
        "visitor_day_salts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("created_at", testimonials.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_visitor_day_salts")),
    )
    op.create_table(
        "tracking_unit_days",
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_key", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("arm", sa.String(length=10), nullable=False),
        sa.Column("excluded", sa.String(length=20), nullable=True),
        sa.Column("exposures", sa.Integer(), nullable=False),
        sa.Column("slots_reached", sa.Integer(), nullable=False),
        sa.Column("viewables", sa.Integer(), nullable=False),
        sa.Column("interactions", sa.Integer(), nullable=False),
        sa.Column("conversions", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "experiment_id", "day", "unit_key", name=op.f("pk_tracking_unit_days")
        ),
    )
    op.create_table(
        "tracking_arm_days",
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("arm", sa.String(length=10), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("excluded_units", sa.Integer(), nullable=False),
        sa.Column("converted_units", sa.Integer(), nullable=False),
        sa.Column("reached_units", sa.Integer(), nullable=False),
        sa.Column("viewable_units", sa.Integer(), nullable=False),
        sa.Column("viewables", sa.Integer(), nullable=False),
        sa.Column("viewables_squares", sa.Integer(), nullable=False),
        sa.Column("interactions", sa.Integer(), nullable=False),
        sa.Column("interactions_squares", sa.Integer(), nullable=False),
        sa.Column("interactions_x_viewables", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Float(), nullable=False),
        sa.Column("revenue_squares", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("experiment_id", "day", "arm", name=op.f("pk_tracking_arm_days")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _create_partitioned_events()
    else:
        _create_plain_events()


def _create_plain_events() -> None:
    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("client_event_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("unit_key", sa.String(length=32), nullable=False),
        sa.Column("arm", sa.String(length=10), nullable=False),
        sa.Column("excluded", sa.String(length=20), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("order_id", sa.String(length=100), nullable=True),
        sa.Column("received_at", testimonials.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint(
            "day",
            "experiment_id",
            "client_event_id",
            name=op.f("uq_tracking_events_day_experiment_id_client_event_id"),
        ),
    )
    op.create_index(
        "ix_tracking_events_experiment_kind",
        "tracking_events",
        ["experiment_id", "kind", "unit_key"],
        unique=False,
    )


def _create_partitioned_events() -> None:
    # A partitioned table's keys must contain the partition key, hence (id, day). Events of
    # days without their own partition yet land in the default one rather than failing.
    op.execute(f"CREATE SCHEMA IF NOT EXISTS {PARTITION_SCHEMA}")
    op.execute(
        """
        CREATE TABLE tracking_events (
            id BIGSERIAL NOT NULL,
            day DATE NOT NULL,
            workspace_id INTEGER NOT NULL,
            experiment_id INTEGER NOT NULL,
            client_event_id VARCHAR(64) NOT NULL,
            kind VARCHAR(20) NOT NULL,
            name VARCHAR(64),
            unit_key VARCHAR(32) NOT NULL,
            arm VARCHAR(10) NOT NULL,
            excluded VARCHAR(20),
            value FLOAT,
            order_id VARCHAR(100),
            received_at TIMESTAMP WITH TIME ZONE NOT NULL,
            CONSTRAINT pk_tracking_events PRIMARY KEY (id, day),
            CONSTRAINT uq_tracking_events_day_experiment_id_client_event_id
                UNIQUE (day, experiment_id, client_event_id)
        ) PARTITION BY RANGE (day)
        """
    )
    op.execute(
        "CREATE INDEX ix_tracking_events_experiment_kind "
        "ON tracking_events (experiment_id, kind, unit_key)"
    )
    op.execute(
        f"CREATE TABLE {PARTITION_SCHEMA}.tracking_events_default "
        "PARTITION OF tracking_events DEFAULT"
    )


def downgrade() -> None:
    op.drop_table("tracking_arm_days")
    op.drop_table("tracking_unit_days")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE tracking_events")  # takes every partition with it
        op.execute(f"DROP SCHEMA IF EXISTS {PARTITION_SCHEMA} CASCADE")
    else:
        op.drop_index("ix_tracking_events_experiment_kind", table_name="tracking_events")
        op.drop_table("tracking_events")
    op.drop_table("visitor_day_salts")
    op.drop_index(op.f("ix_experiments_workspace_id"), table_name="experiments")
    op.drop_table("experiments")
