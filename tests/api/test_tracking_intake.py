"""The beacon endpoint's hot path: caps per visitor and per address, the schema's fallback,
refusals that store nothing, and the same headers as every other public answer."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.tracking import writer
from testimonials.tracking.models import TrackingEvent
from tests.api.test_tracking import beacon, started_experiment
from tests.conftest import Tenant

REDIS_URL = os.environ.get("TESTIMONIALS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def batch(experiment: dict, prefix: str, size: int = 16, **extra) -> dict:
    events = [{"id": f"{prefix}-{i:06d}", "type": "viewable"} for i in range(size)]
    return {"experiment": experiment["public_key"], "events": events, **extra}


def stored(db: Session, experiment: dict) -> int:
    count = select(func.count()).where(TrackingEvent.experiment_id == experiment["id"])
    return db.scalar(count) or 0


def storages() -> list[str]:
    found = ["memory://"]
    try:
        redis.Redis.from_url(REDIS_URL).ping()
        found.append(REDIS_URL)
    except redis.RedisError:
        pass  # the Redis case runs where Redis runs (CI starts it)
    return found


@pytest.mark.parametrize("storage", storages())
def test_a_visitor_cannot_flood_events_past_the_unit_cap(
    app_factory: Callable[..., Flask], tenant: Tenant, db: Session, storage: str
) -> None:
    if storage.startswith("redis"):
        redis.Redis.from_url(storage).flushdb()
    app = app_factory(TRACKING_UNIT_EVENT_LIMIT="20 per minute", RATELIMIT_STORAGE_URL=storage)
    client = app.test_client()
    experiment = started_experiment(client, tenant)
    assert beacon(client, batch(experiment, "first")).status_code == 200
    flood = beacon(client, batch(experiment, "flood"))
    assert flood.status_code == 429
    assert flood.mimetype == "application/problem+json"
    assert "20 per 1 minute events from this visitor" in flood.get_json()["detail"]
    assert stored(db, experiment) == 16  # the refused batch stored nothing
    # Another visitor (another network, so another unit) is not held back.
    assert beacon(client, batch(experiment, "other"), ip="198.51.100.4").status_code == 200
    # Nor is the same visitor on a valid beacon the schema reads (the slow path).
    refused_too = beacon(client, batch(experiment, "slow", size=1, webdriver="false"))
    assert refused_too.status_code == 429


def test_beacons_past_the_per_address_limit_are_refused(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    experiment = started_experiment(client, tenant)
    answers = [beacon(client, batch(experiment, f"a{n:03d}", size=1)) for n in range(121)]
    assert {a.status_code for a in answers[:120]} == {200}
    assert answers[120].status_code == 429
    assert stored(db, experiment) == 120


def test_a_beacon_the_fast_reader_leaves_to_the_schema_is_stored_all_the_same(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    experiment = started_experiment(client, tenant)
    body = batch(experiment, "strings", size=2, webdriver="true")
    body["events"][0].update(type="conversion", value="49.5", order_id="A-7")
    answer = beacon(client, body)
    assert answer.status_code == 200 and answer.get_json() == {"accepted": 2, "duplicates": 0}
    rows = db.scalars(select(TrackingEvent).where(TrackingEvent.experiment_id == experiment["id"]))
    by_id = {row.client_event_id: row for row in rows}
    assert by_id["strings-000000"].value == 49.5
    assert {row.excluded for row in by_id.values()} == {"bot"}  # webdriver "true" is true


def test_fast_and_schema_paths_answer_with_the_same_public_headers(
    client: FlaskClient, tenant: Tenant
) -> None:
    experiment = started_experiment(client, tenant)
    fast = beacon(client, batch(experiment, "fast"))
    slow = beacon(client, batch(experiment, "slow", webdriver="false"))
    assert fast.status_code == slow.status_code == 200
    for name in (
        "Cache-Control",
        "Access-Control-Allow-Origin",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
    ):
        assert fast.headers[name] == slow.headers[name], name
    assert fast.mimetype == slow.mimetype == "application/json"
    assert "Set-Cookie" not in fast.headers


def test_events_that_cannot_be_stored_are_not_acknowledged(
    client: FlaskClient, tenant: Tenant, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    experiment = started_experiment(client, tenant)

    def database_down(*_args: object) -> set:
        raise OSError("connection refused")

    for way_of_storing in ("_store_group", "_store_alone"):  # grouped, or SQLite's inline
        monkeypatch.setattr(writer.EventWriter, way_of_storing, database_down)
    answer = beacon(client, batch(experiment, "down"))
    assert answer.status_code == 503
    assert answer.mimetype == "application/problem+json"
    assert "retry" in answer.get_json()["detail"]
    monkeypatch.undo()
    retried = beacon(client, batch(experiment, "down"))  # the page's retry stores it once
    assert retried.get_json() == {"accepted": 16, "duplicates": 0}
    assert stored(db, experiment) == 16
