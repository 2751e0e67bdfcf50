"""kill -9 of the server under load loses no acknowledged event and duplicates none.

gunicorn (the production server, gthread workers with the group-commit writer on
PostgreSQL) serves a fresh database; client threads send beacons of 16 events and note
which got a 2xx; the whole process group is SIGKILLed mid-load and started again; every
beacon is then sent once more, as a page's retry would be. Every acknowledged event must
be stored exactly once, and every retry must be answered without storing anything twice.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials import migrate
from testimonials.db import make_engine
from testimonials.tracking import experiments as tracking
from testimonials.tracking.models import TrackingEvent
from tests import factories
from tests.serving.processes import clean_environment, free_port, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]
BATCH = 16
CLIENTS = 6
AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def beacon(public_key: str, client: int, number: int) -> str:
    events = [
        {"id": f"k{client}-{number:06d}-{i:02d}", "type": "viewable" if i % 2 else "slot_reached"}
        for i in range(BATCH)
    ]
    return json.dumps({"experiment": public_key, "events": events})


def send(connection: http.client.HTTPConnection, body: str, visitor: int) -> tuple[int, dict]:
    headers = {
        "Content-Type": "text/plain;charset=UTF-8",
        "User-Agent": AGENT,
        "Accept-Language": "km-KH",
        # One proxy hop is trusted: each beacon comes from a visitor of its own, so the
        # per-address and per-unit caps never stop this load.
        "X-Forwarded-For": f"10.{visitor // 256 % 256}.{visitor % 256}.9",
    }
    connection.request("POST", "/api/v1/track/events", body, headers)
    answer = connection.getresponse()
    return answer.status, json.loads(answer.read() or b"{}")


@contextmanager
def serving(database_url: str, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = clean_environment(
        TESTIMONIALS_DATABASE_URL=database_url,
        TESTIMONIALS_SECRET_KEY="kill-test-secret",
        TESTIMONIALS_ENV="production",
        TESTIMONIALS_PROXY_HOPS="1",
        TESTIMONIALS_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "2", "--threads", "4"]
    command += ["-b", f"127.0.0.1:{port}", "wsgi:app"]
    with log.open("ab") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", server, log)
        yield server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def load(
    port: int, public_key: str, stop: threading.Event, client: int, acked: set[int], sent: list[int]
) -> None:
    """Send beacons until the server dies or `stop`; note each one that got a 2xx."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    number = 0
    while not stop.is_set():
        sent.append(number)
        try:
            status, _ = send(connection, beacon(public_key, client, number), client * 1000 + number)
        except (OSError, http.client.HTTPException, ValueError):
            # Killed, before the answer or in the middle of its body (JSON cut short): this
            # beacon's fate is unknown to the page.
            return
        if 200 <= status < 300:
            acked.add(number)
        number += 1


def test_kill_9_under_load_loses_no_acknowledged_event_and_stores_none_twice(
    empty_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = empty_database_url("ingest_kill")
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        workspace = factories.workspace(session, "Kill test")
        experiment = tracking.create_experiment(
            session, workspace.id, name="Hero", widget_key="hero"
        )
        tracking.start_experiment(session, experiment, datetime.now(UTC))
        public_key, experiment_id = experiment.public_key, experiment.id
        session.commit()
    port, log = free_port(), tmp_path / "server.log"
    acked: list[set[int]] = [set() for _ in range(CLIENTS)]
    sent: list[list[int]] = [[] for _ in range(CLIENTS)]

    with serving(url, port, log) as server:
        stop = threading.Event()
        clients = [
            threading.Thread(target=load, args=(port, public_key, stop, c, acked[c], sent[c]))
            for c in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 60
        while sum(map(len, acked)) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-load
        server.wait(timeout=30)
        stop.set()
        for thread in clients:
            thread.join(timeout=60)
    acknowledged = sum(map(len, acked))
    assert acknowledged >= 60, log.read_text()[-3000:]

    with serving(url, port, log):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for client in range(CLIENTS):
            for number in sent[client]:
                body = beacon(public_key, client, number)
                status, receipt = send(connection, body, client * 1000 + number)
                assert status == 200, receipt
                assert receipt["accepted"] + receipt["duplicates"] == BATCH
                if number in acked[client]:  # already stored: the retry stores nothing
                    assert receipt == {"accepted": 0, "duplicates": BATCH}

    with engine.connect() as connection:
        stored = dict(
            connection.execute(
                select(TrackingEvent.client_event_id, func.count())
                .where(TrackingEvent.experiment_id == experiment_id)
                .group_by(TrackingEvent.client_event_id)
            ).all()
        )
    engine.dispose()
    expected = {
        f"k{client}-{number:06d}-{i:02d}"
        for client in range(CLIENTS)
        for number in sent[client]
        for i in range(BATCH)
    }
    assert set(stored) == expected  # every beacon, acknowledged or retried, is stored
    assert set(stored.values()) == {1}  # and none twice
