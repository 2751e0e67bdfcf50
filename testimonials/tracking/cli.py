"""`flask --app testimonials tracking maintain`: the daily upkeep of tracking storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.jobs import enqueue
from testimonials.tracking.jobs import roll_up_days
from testimonials.tracking.snapshots import record_daily_snapshots
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
    """Partitions for the coming week, retention, old salts, roll-ups, yesterday's snapshots."""
    db = get_session()
    days = retention_days or settings_for(current_app).tracking_retention_days
    now = datetime.now(UTC)
    done = maintain(db, now, days)
    db.commit()
    snapshots = record_daily_snapshots(db, now)
    db.commit()
    click.echo(
        f"{done.partitions_created} partitions made, {done.days_dropped} days of events "
        f"dropped, {done.salts_destroyed} expired salts destroyed, {snapshots} running "
        "experiments' daily snapshots written."
    )


@tracking_group.command("roll-up")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), help="First day (UTC).")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), help="Last day (default: today).")
@click.option("--experiment", "experiment_id", type=int, help="Only this experiment's id.")
def roll_up_command(
    first: datetime | None, last: datetime | None, experiment_id: int | None
) -> None:
    """Rebuild the roll-ups of a range of days (a backfill), on the job queue if there is one."""
    today = datetime.now(UTC).date()
    end = last.date() if last else today
    start = first.date() if first else end - timedelta(days=1)
    if start > end:
        raise click.ClickException("--from must not be after --to.")
    job = enqueue(current_app, roll_up_days, start, end, experiment_id)
    if job is None:
        click.echo(f"Rolled up {start} to {end}.")
    else:
        click.echo(f"Queued the roll-up of {start} to {end} (job {job}).")
