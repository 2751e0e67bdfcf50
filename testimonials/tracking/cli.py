"""`flask --app testimonials tracking maintain`: the daily upkeep of tracking storage."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from testimonials.db import get_session
from testimonials.tracking.storage import maintain

tracking_group = AppGroup("tracking", help="Tracking storage upkeep.")


@tracking_group.command("maintain")
def maintain_command() -> None:
    """Make the coming week's partitions, drop events past retention, destroy old salts."""
    db = get_session()
    done = maintain(db, datetime.now(UTC), current_app.config["TRACKING_RETENTION_DAYS"])
    db.commit()
    click.echo(
        f"{done.partitions_created} partitions made, {done.days_dropped} days of events "
        f"dropped, {done.salts_destroyed} expired salts destroyed."
    )
