"""Tracking's background jobs: recent roll-ups every few minutes, the daily upkeep and analyses.

In production the scheduler enqueues them on the RQ queue and workers run them; in the
embedded default (no queue) a report rolls up its own experiment's recent days inline
before reading, and `flask --app testimonials tracking maintain` does the daily upkeep.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from flask import Flask, current_app

from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.jobs import Periodic, queue_url, register_periodic
from testimonials.tracking.storage import maintain

log = logging.getLogger(__name__)
ROLL_UP_EVERY = 600  # seconds: how stale a report may be when a queue runs the roll-ups
DAILY_AT = "10 0 * * *"  # 00:10 UTC, once yesterday's last events are in
# Roll-ups and snapshots (and the statistics under them) are imported by the jobs that use
# them: a web worker registers these jobs but runs none (docs/performance.md).


def _now() -> datetime:
    return datetime.now(UTC)


def roll_up_recent(experiment_id: int | None = None) -> int:
    """Rebuild yesterday's and today's roll-ups (of one experiment, or all); units seen."""
    from testimonials.tracking.rollups import roll_up_day

    session = get_session()
    today = _now().date()
    units = sum(roll_up_day(session, day, experiment_id) for day in (today - timedelta(1), today))
    session.commit()
    return units


def roll_up_days(first: date, last: date, experiment_id: int | None = None) -> int:
    """Rebuild the roll-ups of every day from `first` to `last` (a backfill); units seen."""
    from testimonials.tracking.rollups import roll_up_day

    session = get_session()
    units, day = 0, first
    while day <= last:
        units += roll_up_day(session, day, experiment_id)
        session.commit()  # a day at a time: a long backfill holds no transaction open
        day += timedelta(days=1)
    return units


def daily_analysis(retention_days: int | None = None) -> int:
    """The daily upkeep (partitions, retention, salts, roll-ups), then each running verdict.

    Raw events are kept `retention_days`, by default the TRACKING_RETENTION_DAYS setting.
    Returns how many running experiments got yesterday's snapshot.
    """
    from testimonials.tracking.snapshots import record_daily_snapshots

    session = get_session()
    days = retention_days or settings_for(current_app).tracking_retention_days
    now = _now()
    maintain(session, now, days)
    session.commit()
    # Yesterday is complete (rolled up just above): each running experiment's reading of it
    # is kept, so reports show how the estimate evolved. Re-running the day replaces it.
    snapshots = record_daily_snapshots(session, now)
    session.commit()
    return snapshots


def refresh_before_reading(app: Flask, experiment_id: int) -> None:
    """Inline (no queue): roll up the experiment's recent days now, so a report is current.

    With a queue the scheduler does it every ROLL_UP_EVERY seconds and a page view adds
    no write to the request.
    """
    if not queue_url(app):
        from testimonials.tracking.rollups import roll_up_day

        session = get_session()
        today = _now().date()
        for day in (today - timedelta(days=1), today):
            roll_up_day(session, day, experiment_id)
        session.commit()


def register(app: Flask) -> None:
    """Declare tracking's periodic jobs to the scheduler."""
    register_periodic(app, Periodic(roll_up_recent, interval=ROLL_UP_EVERY))
    register_periodic(app, Periodic(daily_analysis, cron=DAILY_AT))
