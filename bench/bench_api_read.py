"""The API read path beside two bare Flask baselines, side by side in one run.

Run:  python bench/bench_api_read.py --postgres URL [--seconds 10] [--rounds 3]
          [--workers 2] [--connections 16]
(prints figures; not a timed test). `--before ../main` serves another checkout's app too,
in the same rounds, for a before/after measured side by side. The PostgreSQL database named
is EMPTIED first; it is also read from TESTIMONIALS_BENCH_POSTGRES_URL. Needs `wrk`
(Debian: apt-get install wrk).

Seeds the demo workspace, approves 20 of its testimonials and tags them, then serves them
all at once under the same gunicorn settings (sync workers), loaded in turn by the same
wrk load for several rounds (medians; the app/floor ratio of each round is printed too):
- ceiling: bare Flask answering the endpoint's own response bytes from memory;
- floor: bare Flask + SQLAlchemy Core reading the same 20 rows and their tags, as JSON;
- the app: `GET /api/v1/testimonials?status=approved&per_page=20` with a read API key;
- the ORM floor: the same rows through two mapped classes and a Session (worker memory);
- the app's API-reads entry point (`create_app(serves=API_READS)`, wsgi_api_reads.py).
It prints requests/s, p50/p99 latency, ratios, the SQL statements one app request runs
(authentication included) and each server's worker resident memory after the load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"  # the bare floors and the ceiling served beside the app
sys.path.insert(0, str(REPO))

from sqlalchemy import event, insert, select, update  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.curation.models import Status, Testimonial, testimonial_tags  # noqa: E402
from testimonials.curation.tags import create_tag  # noqa: E402
from testimonials.db import database_for  # noqa: E402
from testimonials.demo import DEMO_SLUG, seed_demo_workspace  # noqa: E402
from testimonials.harvest.intake import intake_scorer_for  # noqa: E402
from testimonials.migrate import empty_postgres_database  # noqa: E402

PATH = "/api/v1/testimonials?status=approved&per_page=20"
ITEMS = 20


# The app itself (this checkout, or --before's), as gunicorn imports it.
APP_MODULE = """
import sys
sys.path.insert(0, {repo!r})
from testimonials import create_app
app = create_app()
"""
# This checkout's API-reads entry point (wsgi_api_reads.py): the same app serving only reads.
API_READS_MODULE = """
import sys
sys.path.insert(0, {repo!r})
from testimonials import create_app
from testimonials.app import API_READS
app = create_app(serves=API_READS)
"""
API_READS_LABEL = "the same, API-reads entry point (wsgi_api_reads)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(url: str) -> tuple[int, str]:
    """Migrate, seed the demo workspace, approve and tag 20 items; (workspace id, API key)."""
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ENV": "development"})
    with app.app_context():
        session = database_for(app).sessionmaker()
        summary = seed_demo_workspace(session, "bench password 123", intake_scorer_for(app))
        from testimonials.accounts.services import find_workspace

        workspace = find_workspace(session, DEMO_SLUG)
        ids = session.scalars(
            select(Testimonial.id)
            .where(Testimonial.workspace_id == workspace.id)
            .order_by(Testimonial.id)
            .limit(ITEMS)
        ).all()
        session.execute(
            update(Testimonial).where(Testimonial.id.in_(ids)).values(status=Status.APPROVED)
        )
        tags = [create_tag(session, workspace.id, name) for name in ("pricing", "support")]
        session.execute(
            insert(testimonial_tags),
            [{"testimonial_id": t, "tag_id": tag.id} for t in ids for tag in tags],
        )
        session.commit()
        session.close()
    return workspace.id, summary.api_token


def statements_per_request(url: str, token: str) -> int:
    """SQL statements one app request runs, authentication included."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ENV": "development"})
    engine = database_for(app).engine
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    client.get(PATH, headers=headers)  # warm: first-use work is not the steady state
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a, **k: seen.append(a[2]))
    client.get(PATH, headers=headers)
    return len(seen)


def serve(module: Path, env: dict[str, str], workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    # A file, not a pipe: the app logs a line per request, and an unread pipe would fill
    # and stall the workers.
    errors = (module.parent / f"{module.stem}.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--chdir",
            str(module.parent),
            "-w",
            str(workers),
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            f"{module.stem}:app",
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=errors,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            time.sleep(0.05)
    log = (module.parent / f"{module.stem}.log").read_text()[-800:]
    raise RuntimeError(f"{module.stem} did not start: {log}")


def worker_rss_mib(process: subprocess.Popen) -> float:
    """Largest resident memory among the server's worker processes, in MiB."""
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return max(sizes)


def load(port: int, headers: dict[str, str], seconds: int, connections: int) -> dict:
    """wrk against one server; requests/s and latency percentiles."""
    url = f"http://127.0.0.1:{port}{PATH}"
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request) as answer:  # warm every code path once
        answer.read()
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"errors under load:\n{out}")

    def millis(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": rps, "p50": millis("50%"), "p99": millis("99%")}


def run(
    url: str, seconds: int, workers: int, connections: int, rounds: int, before: Path | None
) -> None:
    empty_postgres_database(url)
    workspace_id, token = seed(url)
    headers = {"Authorization": f"Bearer {token}"}
    statements = statements_per_request(url, token)
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        app_module = folder_path / "bench_app.py"
        app_module.write_text(APP_MODULE.format(repo=str(REPO)))
        (folder_path / "bench_api_reads.py").write_text(API_READS_MODULE.format(repo=str(REPO)))
        if before is not None:
            (folder_path / "bench_before.py").write_text(APP_MODULE.format(repo=str(before)))
        for served, source in (
            ("bench_floor", "api_floor_core_app"),
            ("bench_floor_orm", "api_floor_orm_app"),
            ("bench_ceiling", "api_ceiling_app"),
        ):
            shutil.copyfile(BENCH / f"{source}.py", folder_path / f"{served}.py")
        app_env = {
            "TESTIMONIALS_LOG_LEVEL": "WARNING",
            "TESTIMONIALS_DATABASE_URL": url,
            "TESTIMONIALS_SECRET_KEY": "bench-secret",
            "TESTIMONIALS_ENV": "development",
        }
        # The app's own bytes for the ceiling, so both answer the same payload.
        process, port = serve(app_module, app_env, 1)
        request = urllib.request.Request(f"http://127.0.0.1:{port}{PATH}", headers=headers)
        with urllib.request.urlopen(request) as answer:
            body = answer.read()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
        (folder_path / "body.json").write_bytes(body)
        assert len(json.loads(body)["items"]) == ITEMS

        results = {}
        servers = (
            ("ceiling: bare Flask, bytes from memory", "bench_ceiling", {}, {}),
            (
                "floor: bare Flask + SQLAlchemy Core",
                "bench_floor",
                {"BENCH_DATABASE_URL": url, "BENCH_WORKSPACE_ID": str(workspace_id)},
                {},
            ),
            ("GET /api/v1/testimonials (approved, 20)", "bench_app", app_env, headers),
            (
                "floor: bare Flask + SQLAlchemy ORM",
                "bench_floor_orm",
                {"BENCH_DATABASE_URL": url, "BENCH_WORKSPACE_ID": str(workspace_id)},
                {},
            ),
            (API_READS_LABEL, "bench_api_reads", app_env, headers),
        )
        if before is not None:
            servers += (
                (f"the same, {before.name} checkout (before)", "bench_before", app_env, headers),
            )
        # All three serve at once and take turns under load, round after round: on a shared
        # machine the load from elsewhere changes by the minute, and each round's ratios
        # compare servers measured seconds apart. Figures are medians over the rounds.
        running = []
        try:
            for label, module, env, request_headers in servers:
                env = {**env, "BENCH_BODY_FILE": str(folder_path / "body.json")}
                process, port = serve(folder_path / f"{module}.py", env, workers)
                running.append((label, process, port, request_headers))
            rounds_seen: dict[str, list[dict]] = {label: [] for label, *_ in running}
            for _ in range(rounds):
                for label, _process, port, request_headers in running:
                    rounds_seen[label].append(load(port, request_headers, seconds, connections))
            for label, process, _port, _headers in running:
                seen = rounds_seen[label]
                results[label] = {
                    key: statistics.median(r[key] for r in seen) for key in ("rps", "p50", "p99")
                }
                results[label]["rss"] = worker_rss_mib(process)
            ratios = [
                app["rps"] / floor["rps"]
                for floor, app in zip(
                    rounds_seen["floor: bare Flask + SQLAlchemy Core"],
                    rounds_seen["GET /api/v1/testimonials (approved, 20)"],
                    strict=True,
                )
            ]
        finally:
            for _label, process, _port, _headers in running:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait()

    ceiling, floor, ours = (r["rps"] for r in list(results.values())[:3])
    print(
        f"\n{len(body):,} bytes per answer; {workers} sync workers; wrk -t2 -c{connections}, "
        f"{seconds} s each, {rounds} rounds (medians)"
    )
    print(
        f"{'server':50} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'RSS MiB':>8} "
        f"{'÷ceiling':>9} {'÷floor':>7}"
    )
    for label, r in results.items():
        print(
            f"{label:50} {r['rps']:8.0f} {r['p50']:7.1f} {r['p99']:7.1f} {r['rss']:8.1f} "
            f"{r['rps'] / ceiling:9.3f} {r['rps'] / floor:7.2f}"
        )
    print("app ÷ floor, round by round: " + ", ".join(f"{r:.2f}" for r in ratios))
    print(f"\nSQL statements per app request (authentication included): {statements}")
    print(f"Target: app >= 0.8x floor (now {ours / floor:.2f}x); <= 4 statements.")
    rss = {label: r["rss"] for label, r in results.items()}
    app_rss = rss["GET /api/v1/testimonials (approved, 20)"]
    core, orm = (rss[f"floor: bare Flask + SQLAlchemy {kind}"] for kind in ("Core", "ORM"))
    print(
        f"Worker memory: app {app_rss:.1f} MiB = {app_rss / core:.2f}x the Core floor's "
        f"{core:.1f} MiB, {app_rss / orm:.2f}x the ORM floor's {orm:.1f} MiB "
        "(target: <= 1.3x a bare Flask + SQLAlchemy worker)."
    )
    reads_rss = rss[API_READS_LABEL]
    print(
        f"API-reads entry point: {reads_rss:.1f} MiB = {reads_rss / core:.2f}x the Core floor, "
        f"{reads_rss / orm:.2f}x the ORM floor."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout of this repository (e.g. main) to serve too, in the same rounds",
    )
    args = parser.parse_args()
    if not args.postgres:
        parser.error("give --postgres URL of a scratch database (it is emptied)")
    run(args.postgres, args.seconds, args.workers, args.connections, args.rounds, args.before)


if __name__ == "__main__":
    main()
