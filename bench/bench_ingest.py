"""Benchmark event ingestion through the real HTTP stack: events/s and acknowledgement latency.

Run: python bench/bench_ingest.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/SCRATCH
     [--seconds 20] [--clients 8] [--workers 2]   (prints figures; not a timed test)

A gunicorn server (the production server) is started on 127.0.0.1 against a freshly
migrated scratch database with one running experiment; client threads send beacons of 16
events each (the batch size of the issue) from many simulated visitors, over keep-alive
connections, for a bounded time, and stop by themselves. Printed beside the targets of
issue #12: >= 20,000 events/s sustained in batches of 16, p99 acknowledgement <= 50 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select  # noqa: E402

from bench.on_databases import on_each_database  # noqa: E402
from testimonials import migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.db import make_engine  # noqa: E402
from testimonials.tracking import experiments as tracking  # noqa: E402
from testimonials.tracking.models import TrackingEvent  # noqa: E402

BATCH = 16
TARGET_EVENTS_PER_S = 20_000
TARGET_P99_MS = 50.0
AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare(url: str) -> str:
    from sqlalchemy.orm import Session

    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        workspace = accounts.create_workspace(session, f"Bench {secrets.token_hex(3)}")
        experiment = tracking.create_experiment(
            session, workspace.id, name="Bench", widget_key="hero"
        )
        tracking.start_experiment(session, experiment, datetime.now(UTC))
        public_key = experiment.public_key
        session.commit()
    engine.dispose()
    return public_key


def _wait_until_serving(port: int) -> None:
    # Workers load the app (and the scorer) before they answer; give them up to a minute.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/api/v1/openapi.json")
            if probe.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not start within a minute")


def _client(
    port: int, public_key: str, stop_at: float, out: list[float], errors: list[str], client_id: int
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    sent = 0
    while time.perf_counter() < stop_at:
        events = [
            {
                "id": f"c{client_id:03d}-{sent:07d}-{i:02d}",
                "type": "viewable" if i % 2 else "slot_reached",
            }
            for i in range(BATCH)
        ]
        body = json.dumps({"experiment": public_key, "events": events})
        headers = {
            "Content-Type": "text/plain;charset=UTF-8",
            "User-Agent": AGENT,
            "Accept-Language": "km-KH",
        }
        started = time.perf_counter()
        try:
            connection.request("POST", "/api/v1/track/events", body, headers)
            answer = connection.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException) as error:
            errors.append(repr(error))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        if answer.status != 200:
            errors.append(f"{answer.status}: {answer.read()[:200]!r}")
        else:
            out.append(time.perf_counter() - started)
        sent += 1
    connection.close()


def bench(url: str, label: str, seconds: float, clients: int, workers: int) -> None:
    public_key = _prepare(url)
    port = _free_port()
    env = {
        **os.environ,
        "TESTIMONIALS_DATABASE_URL": url,
        "TESTIMONIALS_SECRET_KEY": "bench-secret",
        "TESTIMONIALS_ENV": "development",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # The per-address limit would stop one load generator at 120 requests a minute.
            "testimonials:create_app({'RATELIMIT_ENABLED': False})",
        ],
        cwd=REPO,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_until_serving(port)
        latencies: list[float] = []
        errors: list[str] = []
        stop_at = time.perf_counter() + seconds
        threads = [
            threading.Thread(target=_client, args=(port, public_key, stop_at, latencies, errors, i))
            for i in range(clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    engine = make_engine(url)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(TrackingEvent)) or 0
    engine.dispose()
    acknowledged = len(latencies) * BATCH
    cut = sorted(latencies)
    p50 = statistics.median(cut) * 1000 if cut else float("nan")
    p99 = cut[int(len(cut) * 0.99) - 1] * 1000 if cut else float("nan")
    rate = acknowledged / elapsed
    if errors:
        print(f"  first failures: {errors[:3]}")
    print(f"\n{label}: {workers} gunicorn workers, {clients} clients, {elapsed:.0f} s")
    print(f"  events acknowledged        {acknowledged:,} ({len(errors)} failed requests)")
    print(f"  events stored              {stored:,} (must equal acknowledged)")
    print(
        f"  events/s                   {rate:,.0f}   target {TARGET_EVENTS_PER_S:,}  "
        f"({rate / TARGET_EVENTS_PER_S:.2f}x)"
    )
    print(
        f"  ack p50 / p99              {p50:.1f} / {p99:.1f} ms   "
        f"target p99 <= {TARGET_P99_MS:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="URL of a scratch PostgreSQL database (emptied)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    on_each_database(
        lambda url, label: bench(url, label, args.seconds, args.clients, args.workers),
        args.postgres,
    )


if __name__ == "__main__":
    main()
