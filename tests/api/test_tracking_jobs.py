"""Roll-ups and daily analyses through the job seam: inline by default, RQ workers on Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.jobs import QUEUE_NAME, cron_scheduler, enqueue, periodic_jobs
from testimonials.tracking import experiments as service
from testimonials.tracking.events import record_beacon, record_exposure
from testimonials.tracking.jobs import daily_analysis, roll_up_recent
from testimonials.tracking.models import ArmDay, Experiment
from testimonials.tracking.visitor import Visitor
from tests.conftest import Tenant

REDIS_URL = os.environ.get("TESTIMONIALS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The test Redis database, emptied before and after (the queue lives there)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(
            f"Redis at {REDIS_URL} does not answer ({error}); start it or set "
            "TESTIMONIALS_TEST_REDIS_URL"
        )
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


def _todays_traffic(db: Session, tenant: Tenant) -> Experiment:
    experiment = service.create_experiment(db, tenant.workspace.id, name="E", widget_key="w")
    now = datetime.now(UTC)
    service.start_experiment(db, experiment, now)
    for n in range(40):
        visitor = Visitor(now.date(), f"{n:032x}", None)
        record_exposure(db, experiment, visitor, f"exposure-{n:04d}")
        if n % 4 == 0:
            record_beacon(db, experiment, visitor, [{"id": f"conv-{n:04d}", "type": "conversion"}])
    db.commit()
    return experiment


def _rolled_up_units(db: Session, experiment: Experiment) -> int:
    db.expire_all()
    return db.scalar(
        select(func.coalesce(func.sum(ArmDay.units), 0)).where(
            ArmDay.experiment_id == experiment.id
        )
    )


def test_without_a_queue_jobs_run_inline(app: Flask, db: Session, tenant: Tenant) -> None:
    experiment = _todays_traffic(db, tenant)
    with app.app_context():
        assert enqueue(app, roll_up_recent, experiment.id) is None  # ran, nothing queued
    assert _rolled_up_units(db, experiment) == 40


def test_a_real_rq_worker_runs_enqueued_and_scheduled_jobs(
    app_factory, db: Session, tenant: Tenant, redis_url: str
) -> None:
    from redis import Redis
    from rq import Queue, SimpleWorker

    app = app_factory(JOB_QUEUE_URL=redis_url)
    experiment = _todays_traffic(db, tenant)
    connection = Redis.from_url(redis_url)
    queue = Queue(QUEUE_NAME, connection=connection)
    with app.app_context():
        job_id = enqueue(app, roll_up_recent, experiment.id)
    assert job_id is not None and queue.count == 1
    assert _rolled_up_units(db, experiment) == 0  # queued, not run by the web process

    with app.app_context():
        worker = SimpleWorker([queue], connection=connection)
        assert worker.work(burst=True)
    job = queue.fetch_job(job_id)
    assert job is not None and job.is_finished and job.return_value() == 40
    assert _rolled_up_units(db, experiment) == 40

    # The scheduler enqueues the periodic jobs: the roll-ups at once, the daily run by cron.
    names = {p.job.__name__ for p in periodic_jobs(app)}
    assert names == {"roll_up_recent", "daily_analysis"}
    scheduler = cron_scheduler(app, connection)
    enqueued = scheduler.enqueue_jobs()
    assert [j.args[0].__name__ for j in enqueued] == ["roll_up_recent"]
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert queue.count == 0
    assert queue.failed_job_registry.count == 0


def test_daily_analysis_rolls_up_and_reads_every_running_experiment(
    app: Flask, db: Session, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    experiment = _todays_traffic(db, tenant)
    with app.app_context(), caplog.at_level("INFO", logger="testimonials.tracking.jobs"):
        assert daily_analysis() >= 1
    assert _rolled_up_units(db, experiment) == 40
    assert any(f"experiment {experiment.id}" in r.getMessage() for r in caplog.records)


def test_the_worker_command_explains_when_there_is_no_queue(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0
    assert "TESTIMONIALS_JOB_QUEUE_URL is not set" in result.output


def test_a_backfill_from_the_command_line_rolls_up_every_day_asked(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    experiment = _todays_traffic(db, tenant)
    today = datetime.now(UTC).date().isoformat()
    runner = app.test_cli_runner()
    backwards = runner.invoke(args=["tracking", "roll-up", "--from", "2030-01-02", "--to", today])
    assert backwards.exit_code != 0 and "--from must not be after --to" in backwards.output
    result = runner.invoke(
        args=["tracking", "roll-up", "--from", today, "--experiment", str(experiment.id)]
    )
    assert result.exit_code == 0, result.output
    assert f"Rolled up {today} to {today}." in result.output
    assert _rolled_up_units(db, experiment) == 40
