"""`flask --app testimonials tracking maintain`: the daily upkeep of tracking storage."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from testimonials.db import get_session
from testimonials.tracking.storage import DEFAULT_RETENTION_DAYS, maintain

tracking_group = AppGroup("tracking", help="Tracking storage upkeep.")


@tracking_group.command("maintain")
@click.option(
    "--retention-days",
    type=click.IntRange(min=1),
    default=DEFAULT_RETENTION_DAYS,
    show_default=True,
    help="Days of raw events to keep; older days are dropped.",
)
def maintain_command(retention_days: int) -> None:
    """Make the coming week's partitions, drop events past retention, destroy old salts."""
    db = get_session()
    done = maintain(db, datetime.now(UTC), retention_days)
    db.commit()
    click.echo(
        f"{done.partitions_created} partitions made, {done.days_dropped} days of events "
        f"dropped, {done.salts_destroyed} expired salts destroyed."
    )
