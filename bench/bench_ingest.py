"""Benchmark event ingestion through the real HTTP stack: events/s and acknowledgement latency.

Run: python bench/bench_ingest.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/SCRATCH
     [--redis redis://127.0.0.1:6379/13] [--seconds 20] [--connections 32] [--rounds 1]
(prints figures; not a timed test; needs `wrk`, Debian package `wrk`)

Both servers run under gunicorn with the same settings (2 gthread workers, a thread per
connection, at most half the connections each, so wrk's connections reach both workers)
against a freshly migrated scratch database with one running experiment, and `wrk` (one
thread of C; bench/ingest_beacons.lua) sends beacons of 16 events, the batch size of issue
#12, from 5,000 simulated visitors, for a bounded time after 3 s of unmeasured warm-up:

* baseline: bench/bare_ingest_app.py, a bare endpoint doing one COPY of each batch as it is
  and a commit (no validation, no visitor unit, no caps, no idempotency);
* testimonials: the app as deployed behind one proxy (PROXY_HOPS=1), per-address and
  per-unit caps counted in Redis, events validated, keyed and group-committed.

Printed beside each other and beside the targets of issue #12: >= 20,000 events/s
sustained, p99 acknowledgement <= 50 ms; events stored must equal events acknowledged
(plus at most the requests in flight when wrk stopped, which it does not count).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from testimonials import migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.db import make_engine  # noqa: E402
from testimonials.migrate import empty_postgres_database  # noqa: E402
from testimonials.tracking import experiments as tracking  # noqa: E402
from testimonials.tracking.models import TrackingEvent  # noqa: E402

BATCH = 16
TARGET_EVENTS_PER_S = 20_000
TARGET_P99_MS = 50.0
WORKERS = 2
GUNICORN = ["-k", "gthread", "-w", str(WORKERS), "--log-level", "warning"]
_RESULT = re.compile(r"RESULT (.*)")


@dataclass(frozen=True)
class Experiment:
    id: int
    workspace_id: int
    public_key: str


@dataclass(frozen=True)
class Run:
    label: str
    events_per_s: float
    p50_ms: float
    p99_ms: float
    acknowledged: int
    stored: int
    failed: int


def _prepare(url: str) -> Experiment:
    empty_postgres_database(url)
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        workspace = accounts.create_workspace(session, f"Bench {secrets.token_hex(3)}")
        experiment = tracking.create_experiment(
            session, workspace.id, name="Bench", widget_key="hero"
        )
        tracking.start_experiment(session, experiment, datetime.now(UTC))
        made = Experiment(experiment.id, workspace.id, experiment.public_key)
        session.commit()
    engine.dispose()
    return made


def _serve(
    app: str, env: dict[str, str], port: int, log: Path, connections: int
) -> subprocess.Popen[bytes]:
    # wrk opens every connection at once, and one gthread worker may accept them all; a
    # cap per worker spreads them, as a proxy's connections spread over time. A thread
    # per connection lets a whole worker's beacons share a commit; gunicorn then keeps no
    # connection alive (it keeps worker_connections - threads), for both servers alike.
    per_worker = -(-connections // WORKERS)
    spread = ["--worker-connections", str(per_worker), "--threads", str(per_worker)]
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *GUNICORN, *spread, "-b", f"127.0.0.1:{port}", app],
            cwd=REPO,
            env={**os.environ, **env},
            stdout=out,
            stderr=out,
            start_new_session=True,
        )


def _wait_until_serving(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/track/events", timeout=5)
        except urllib.error.HTTPError:
            return  # any HTTP answer (405 to a GET) means it serves
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start within 90 s")


def _stored(url: str, prefix: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(
            select(func.count())
            .select_from(TrackingEvent)
            .where(TrackingEvent.client_event_id.like(f"{prefix}-%"))
        )
    engine.dispose()
    return count or 0


def _load(
    label: str,
    app: str,
    env: dict[str, str],
    url: str,
    experiment: Experiment,
    args: argparse.Namespace,
) -> Run:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run_id = f"{label[:4]}{secrets.token_hex(3)}"
    server = _serve(app, env, port, Path(args.log), args.connections)
    try:
        _wait_until_serving(port, server)
        answer = None
        # A short unmeasured run first: each worker's first beacons make its writer's
        # connection, read the experiment and the day's salt, compile the crawler list.
        for seconds, run in ((args.warmup, f"warm{run_id}"), (args.seconds, run_id)):
            answer = subprocess.run(
                [
                    "wrk",
                    "-t1",
                    f"-c{args.connections}",
                    f"-d{seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(REPO / "bench" / "ingest_beacons.lua"),
                    f"http://127.0.0.1:{port}",
                ],
                env={**os.environ, "BENCH_EXPERIMENT": experiment.public_key, "BENCH_RUN": run},
                capture_output=True,
                text=True,
                check=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert answer is not None
    found = _RESULT.search(answer.stdout)
    if found is None:
        raise SystemExit(f"wrk printed no result:\n{answer.stdout}\n{answer.stderr}")
    figures = {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    failed = figures["non2xx"] + figures["socket_errors"]
    acknowledged = (figures["requests"] - failed) * BATCH
    return Run(
        label,
        acknowledged / (figures["duration_us"] / 1e6),
        figures["p50_us"] / 1000,
        figures["p99_us"] / 1000,
        acknowledged,
        _stored(url, run_id),
        failed,
    )


def _print(run: Run, baseline: Run | None) -> None:
    ratio = f"   {run.events_per_s / baseline.events_per_s:.2f}x baseline" if baseline else ""
    print(f"\n{run.label}")
    print(f"  events acknowledged  {run.acknowledged:,} ({run.failed} failed requests)")
    print(f"  events stored        {run.stored:,} (>= acknowledged; the excess was in flight)")
    print(
        f"  events/s             {run.events_per_s:,.0f}   target {TARGET_EVENTS_PER_S:,} "
        f"({run.events_per_s / TARGET_EVENTS_PER_S:.2f}x){ratio}"
    )
    print(
        f"  ack p50 / p99        {run.p50_ms:.1f} / {run.p99_ms:.1f} ms   "
        f"target p99 <= {TARGET_P99_MS:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="URL of a scratch database (emptied)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="for the caps")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load not measured")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1, help="baseline/app pairs, alternated")
    parser.add_argument("--log", default="/tmp/bench_ingest_servers.log")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk (apt-get install wrk)")
    experiment = _prepare(args.postgres)
    libpq_url = make_url(args.postgres).set(drivername="postgresql")
    bare_env = {
        "BENCH_DATABASE_URL": libpq_url.render_as_string(hide_password=False),
        "BENCH_EXPERIMENT_ID": str(experiment.id),
        "BENCH_WORKSPACE_ID": str(experiment.workspace_id),
    }
    app_env = {
        "TESTIMONIALS_DATABASE_URL": args.postgres,
        "TESTIMONIALS_SECRET_KEY": "bench-secret",
        "TESTIMONIALS_ENV": "production",
        "TESTIMONIALS_PROXY_HOPS": "1",
        "TESTIMONIALS_RATELIMIT_STORAGE_URL": args.redis,
        "TESTIMONIALS_LOG_LEVEL": "WARNING",
    }
    print(
        f"gunicorn {' '.join(GUNICORN)}, threads and worker connections for "
        f"{-(-args.connections // WORKERS)} connections a worker; "
        f"wrk -t1 -c{args.connections} -d{args.seconds}s; "
        f"beacons of {BATCH} events; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    for _ in range(args.rounds):
        baseline = _load(
            "baseline: bare COPY endpoint",
            "bench.bare_ingest_app:app",
            bare_env,
            args.postgres,
            experiment,
            args,
        )
        _print(baseline, None)
        ours = _load(
            "testimonials: POST /api/v1/track/events",
            "wsgi:app",
            app_env,
            args.postgres,
            experiment,
            args,
        )
        _print(ours, baseline)


if __name__ == "__main__":
    main()
