"""Background work through one seam: RQ on Redis in production, inline in the embedded default.

`enqueue(app, job, ...)` runs `job` at once, in the caller's app context and session, when
`TESTIMONIALS_JOB_QUEUE_URL` is empty (SQLite, one process, no Redis to run); with a Redis
URL it puts the job on the `testimonials` RQ queue and returns at once. Workers
(`flask --app testimonials jobs worker`) build the app once and run each job in a fresh app
context of its own (its own session, closed after it); the scheduler
(`flask --app testimonials jobs scheduler`) enqueues the periodic jobs that features
register with `register_periodic`. Jobs are module-level functions of plain arguments that
use `get_session()` and commit once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click
from flask import Flask, current_app, has_app_context
from flask.cli import AppGroup

from testimonials.config import settings_for

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue

QUEUE_NAME = "testimonials"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    """A job the scheduler enqueues every `interval` seconds or on a `cron` schedule (UTC)."""

    job: Callable[..., Any]
    interval: int | None = None
    cron: str | None = None


PERIODIC_KEY = "testimonials.periodic_jobs"


def register_periodic(app: Flask, periodic: Periodic) -> None:
    """Declare a periodic job (features call this from their init_app)."""
    app.extensions.setdefault(PERIODIC_KEY, []).append(periodic)


def periodic_jobs(app: Flask) -> list[Periodic]:
    """The app's periodic jobs."""
    return list(app.extensions.get(PERIODIC_KEY, []))


def queue_url(app: Flask) -> str:
    """The Redis URL of the job queue, or '' when jobs run inline."""
    return settings_for(app).job_queue_url


def redis_connection(url: str) -> Redis:
    """A Redis connection for RQ (imported here: the embedded default needs no Redis)."""
    from redis import Redis

    return Redis.from_url(url)


def job_queue(app: Flask) -> Queue | None:
    """The app's RQ queue, or None when jobs run inline."""
    url = queue_url(app)
    if not url:
        return None
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(url))


def enqueue(app: Flask, job: Callable[..., Any], *args: Any) -> str | None:
    """Run `job(*args)` inline (None) or put it on the queue (its RQ job id)."""
    queue = job_queue(app)
    if queue is None:
        job(*args)
        return None
    return queue.enqueue(run_job, job, *args).id


def run_job(job: Callable[..., Any], *args: Any) -> Any:
    """What a worker runs: `job(*args)` in a fresh app context (its own session, closed after).

    Workers are `flask --app testimonials jobs worker`: it builds the app once, from the
    same TESTIMONIALS_* settings as the web processes, and runs every job inside it.
    """
    if not has_app_context():
        raise RuntimeError(
            "Testimonials jobs need the app: run workers with `flask --app testimonials jobs "
            "worker`, not a bare `rq worker`."
        )
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        return job(*args)


def cron_scheduler(app: Flask, connection: Redis) -> Any:
    """An RQ cron scheduler with the app's periodic jobs registered on its queue."""
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=connection, name="testimonials-scheduler")
    for periodic in periodic_jobs(app):
        scheduler.register(
            run_job,
            QUEUE_NAME,
            args=(periodic.job,),
            interval=periodic.interval,
            cron=periodic.cron,
            name=f"{periodic.job.__module__}.{periodic.job.__name__}",
        )
    return scheduler


jobs_group = AppGroup("jobs", help="Background jobs: the RQ worker and the scheduler.")


def _connection_or_fail() -> Redis:
    url = queue_url(current_app)
    if not url:
        raise click.ClickException(
            "TESTIMONIALS_JOB_QUEUE_URL is not set: jobs run inline in the web process, "
            "so there is nothing for a worker to do. Set it to a Redis URL to use workers."
        )
    return redis_connection(url)


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then exit.")
def worker_command(burst: bool) -> None:
    """Run queued jobs (roll-ups, daily analyses) until stopped."""
    from rq import Queue, SimpleWorker

    connection = _connection_or_fail()
    # Jobs run in this process, inside the app context the command runs in: no fork, so no
    # database connection is ever shared between processes. Run several workers to scale.
    worker = SimpleWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
    worker.work(burst=burst, logging_level="INFO")


@jobs_group.command("scheduler")
def scheduler_command() -> None:
    """Enqueue the periodic jobs on time (run one per installation, beside the workers)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    scheduler = cron_scheduler(app, _connection_or_fail())
    click.echo(f"Scheduling {len(periodic_jobs(app))} periodic jobs on queue {QUEUE_NAME!r}.")
    scheduler.start()
