"""`flask --app testimonials tracking maintain`: the daily upkeep of tracking storage."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.tracking.storage import maintain

tracking_group = AppGroup("tracking", help="Tracking storage upkeep.")


@tracking_group.command("maintain")
@click.option(
    "--retention-days",
    type=click.IntRange(min=1),
    default=None,
    help="Days of raw events to keep; older days are dropped. Default: the "
    "TESTIMONIALS_TRACKING_RETENTION_DAYS setting.",
)
def maintain_command(retention_days: int | None) -> None:
    """Make the coming week's partitions, drop events past retention, destroy old salts."""
    db = get_session()
    days = retention_days or settings_for(current_app).tracking_retention_days
    done = maintain(db, datetime.now(UTC), days)
    db.commit()
    click.echo(
        f"{done.partitions_created} partitions made, {done.days_dropped} days of events "
        f"dropped, {done.salts_destroyed} expired salts destroyed."
    )
