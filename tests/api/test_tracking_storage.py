"""Tracking storage upkeep: daily partitions on PostgreSQL, retention, salt destruction."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from testimonials.tracking import experiments as service
from testimonials.tracking.events import record_beacon
from testimonials.tracking.models import TrackingEvent, VisitorDaySalt
from testimonials.tracking.storage import maintain, partition_name
from testimonials.tracking.visitor import Visitor, day_salt
from tests.conftest import Tenant


def _events_on(db: Session, tenant: Tenant, days: list[date]) -> None:
    experiment = service.create_experiment(db, tenant.workspace.id, name="E", widget_key="w")
    service.start_experiment(db, experiment, datetime(2026, 1, 1, tzinfo=UTC))
    for day in days:
        visitor = Visitor(day, "a" * 32, None)
        record_beacon(db, experiment, visitor, [{"id": f"evt-{day:%Y%m%d}", "type": "viewable"}])


def test_maintenance_partitions_the_week_ahead_and_enforces_retention(
    db: Session, tenant: Tenant
) -> None:
    now = datetime(2031, 3, 10, 3, tzinfo=UTC)
    postgres = db.connection().dialect.name == "postgresql"
    first = maintain(db, now, retention_days=30)
    if postgres:
        assert first.partitions_created == 7
        tables = set(
            db.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'tracking_partitions'")
            )
        )
        assert partition_name(now.date()) in tables
        assert partition_name(now.date() + timedelta(days=6)) in tables
        assert maintain(db, now, retention_days=30).partitions_created == 0  # idempotent
    today = now.date()
    _events_on(db, tenant, [today, today - timedelta(days=29), today - timedelta(days=45)])
    if postgres:
        # Today's event went to today's partition, not the default one.
        in_today = db.scalar(
            text(f"SELECT count(*) FROM tracking_partitions.{partition_name(today)}")
        )
        assert in_today == 1
    maintain(db, now, retention_days=30)
    kept = set(db.scalars(select(TrackingEvent.day)))
    assert kept == {today, today - timedelta(days=29)}


def test_maintenance_destroys_salts_older_than_48_hours(db: Session) -> None:
    now = datetime(2031, 3, 10, 3, tzinfo=UTC)
    for back in range(4):
        day_salt(db, now.date() - timedelta(days=back))
    maintain(db, now, retention_days=30)
    left = db.scalar(select(func.min(VisitorDaySalt.day)))
    assert left == now.date() - timedelta(days=1)
