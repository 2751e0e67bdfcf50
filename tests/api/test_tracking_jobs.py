"""Roll-ups and daily analyses through the job seam: inline by default, RQ workers on Redis."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.jobs import QUEUE_NAME, cron_scheduler, enqueue, periodic_jobs
from testimonials.tracking import experiments as service
from testimonials.tracking.analysis import experiment_result
from testimonials.tracking.events import record_beacon, record_exposure
from testimonials.tracking.jobs import daily_analysis, roll_up_recent
from testimonials.tracking.models import ArmDay, Experiment, ExperimentSnapshot
from testimonials.tracking.rollups import roll_up_day
from testimonials.tracking.snapshots import record_snapshot
from testimonials.tracking.visitor import Visitor
from tests.conftest import Tenant, login

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


def _traffic_on(db: Session, experiment: Experiment, day: date, first: int, count: int) -> None:
    for n in range(first, first + count):
        visitor = Visitor(day, f"{n:032x}", None)
        record_exposure(db, experiment, visitor, f"exposure-{n:04d}")
        if n % 4 == 0:
            record_beacon(db, experiment, visitor, [{"id": f"conv-{n:04d}", "type": "conversion"}])
    db.commit()


def _snapshots(db: Session, experiment: Experiment) -> list[ExperimentSnapshot]:
    db.expire_all()
    query = select(ExperimentSnapshot).where(ExperimentSnapshot.experiment_id == experiment.id)
    return list(db.scalars(query.order_by(ExperimentSnapshot.day)))


def test_daily_analysis_rolls_up_and_keeps_yesterdays_reading_once_per_day(
    app: Flask, db: Session, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    experiment = _todays_traffic(db, tenant)  # today only: no day has ended yet
    stopped = service.create_experiment(db, tenant.workspace.id, name="S", widget_key="s")
    with app.app_context(), caplog.at_level("INFO", logger="testimonials.tracking.snapshots"):
        assert daily_analysis() == 0
        assert _rolled_up_units(db, experiment) == 40
        assert _snapshots(db, experiment) == []

        yesterday = datetime.now(UTC).date() - timedelta(days=1)
        _traffic_on(db, experiment, yesterday, 100, 60)
        assert daily_analysis() == 1
        [first] = _snapshots(db, experiment)
        result = experiment_result(db, experiment, through=yesterday)
        assert (first.day, first.holdout_units + first.treatment_units) == (yesterday, 60)
        assert first.verdict == result.verdict.message
        assert first.verdict_kind == result.verdict.kind == "not_enough_data"
        assert first.srm_p_value == pytest.approx(result.srm.p_value)
        assert first.holdout_conversions + first.treatment_conversions == 15
        assert any(f"experiment {experiment.id}" in r.getMessage() for r in caplog.records)

        # Late events of yesterday, and the job run again the same day: the row is replaced.
        _traffic_on(db, experiment, yesterday, 200, 20)
        assert daily_analysis() == 1
        [again] = _snapshots(db, experiment)
        assert again.holdout_units + again.treatment_units == 80
        assert again.holdout_conversions + again.treatment_conversions == 20
    assert _snapshots(db, stopped) == []  # a draft is not analysed


def test_the_report_shows_each_days_snapshot_as_it_was_recorded(
    app: Flask, client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = service.create_experiment(db, tenant.workspace.id, name="E", widget_key="w")
    day = datetime.now(UTC).date() - timedelta(days=3)
    service.start_experiment(db, experiment, datetime.combine(day, time(9), UTC))
    for d in range(3):
        _traffic_on(db, experiment, day + timedelta(days=d), 1000 * d, 300)
        roll_up_day(db, day + timedelta(days=d), experiment.id)
        with app.app_context():
            record_snapshot(db, experiment, day + timedelta(days=d), datetime.now(UTC))
        db.commit()
    # A snapshot is what was said then: rewriting a day's roll-up does not change it.
    _traffic_on(db, experiment, day, 5000, 50)
    roll_up_day(db, day, experiment.id)
    db.commit()
    answer = client.get(f"/api/v1/reports/experiments/{experiment.id}", headers=tenant.headers())
    report = answer.get_json()
    snapshots = report["snapshots"]
    assert [s["day"] for s in snapshots] == [
        (day + timedelta(days=d)).isoformat() for d in range(3)
    ]
    assert [s["holdout_units"] + s["treatment_units"] for s in snapshots] == [300, 600, 900]
    assert (
        report["over_time"][0]["holdout_units"] + report["over_time"][0]["treatment_units"] == 350
    )
    last = snapshots[-1]
    assert last["verdict"]["message"] and last["method"] == "sequential"
    if last["relative_lift"] is not None:
        assert last["ci"][0] <= last["relative_lift"] <= last["ci"][1]

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    f"/api/v1/reports/experiments/{experiment.id}/export.csv",
                    headers=tenant.headers(),
                )
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert [r["snapshot_verdict"] for r in rows] == [s["verdict"]["message"] for s in snapshots]

    login(client, tenant.viewer.email)
    page = client.get(f"/reports/experiments/{experiment.id}")
    html = page.get_data(as_text=True)
    assert 'id="snapshots"' in html and last["verdict"]["message"] in html


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
