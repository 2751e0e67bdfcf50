"""Benchmark the widgets: bytes on the wire, cold render time and the public endpoint's speed.

Run: python bench/bench_widgets.py [--seconds 10] [--connections 16] [--workers 2]
     Needs `wrk` for the throughput figures (Debian: apt-get install -y wrk); without it
     those are skipped and said so. Prints figures; not a timed test.

Prints, side by side with the targets of issue #11:
- the loader script, gzipped (target <= 5 KB);
- a 12-card wall's HTML fragment, gzipped, without images (target <= 15 KB);
- the cold render of that wall: reading what it shows from the database and rendering it,
  with the cache emptied before each run (median and p95; target <= 50 ms);
- requests per second of GET /w/<key>/slot.json (warm cache) against a bare Flask app
  returning the same bytes from memory, both under gunicorn with the same settings, in the
  same run, alternating (target >= 0.9x), and the widget endpoint's p99 latency at that
  load (target <= 50 ms).

The database is a temporary SQLite file (the embedded default); the quotes are generated
text of realistic length (60-400 characters, several scripts).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
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
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from testimonials import create_app, migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.accounts.models import Role  # noqa: E402
from testimonials.curation import services as curation  # noqa: E402
from testimonials.db import database_for  # noqa: E402
from testimonials.harvest import services as harvest  # noqa: E402
from testimonials.harvest.models import Channel, ConsentState  # noqa: E402
from testimonials.widgets import services as widgets  # noqa: E402
from testimonials.widgets.public import rendered, widget_cache  # noqa: E402

LOADER = REPO / "testimonials" / "static" / "widgets" / "loader.js"
WORDS = (
    "booking",
    "support",
    "clinic",
    "staff",
    "minutes",
    "faster",
    "appointment",
    "reminder",
    "invoice",
    "team",
    "schedule",
    "patients",
    "nurse",
    "dashboard",
    "export",
    "calendar",
    "week",
    "month",
    "reliable",
    "helpful",
    "easy",
    "quick",
    "clear",
    "ការណាត់ជួប",
    "បុគ្គលិក",
    "ລູກຄ້າ",
    "ການບໍລິການ",
    "خدمة",
    "سريعة",
)


def quote(rng: random.Random) -> str:
    """Made-up words of a realistic testimonial length (as little repetition as real text)."""
    syllables = ["ka", "to", "ri", "mo", "sen", "la", "vi", "dor", "pe", "nu", "ste", "qua"]
    words = [
        rng.choice(WORDS)
        if rng.random() < 0.3
        else "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
        for _ in range(rng.randint(10, 60))
    ]
    words.insert(rng.randrange(len(words)), f"{rng.randint(2, 40)}")
    return " ".join(words).capitalize() + "."


def seed(app, cards: int = 12) -> str:
    """A workspace with `cards` publishable testimonials and a wall; returns its key."""
    rng = random.Random(11)
    session = database_for(app).sessionmaker()
    workspace = accounts.create_workspace(session, "Bench Clinics")
    owner = accounts.create_user(session, "o@bench.example", "x" * 12, workspace, Role.OWNER)
    for n in range(cards):
        item = harvest.record_feedback(
            session,
            workspace.id,
            harvest.NewFeedback(
                text=quote(rng),
                channel=Channel.API,
                source_name="bench",
                author_name=f"Customer {n}",
                author_role="Practice manager",
                author_company=f"Clinic {n}",
                rating=rng.randint(3, 5),
                language="en",
                consent_state=ConsentState.GRANTED,
                consent_version="v1",
                consent_at=datetime(2026, 1, 1, tzinfo=UTC),
            ),
        )
        item.suspicion, item.specificity = 0.05, 0.6
        testimonial = curation.create_testimonials(session, [item])[0]
        curation.approve(session, testimonial, curation.Actor(user_id=owner.id))
    widget = widgets.create_widget(
        session, workspace.id, {"name": "Wall", "kind": "wall", "selection": {"max_items": 12}}
    )
    session.commit()
    key = widget.public_key
    session.close()
    return key


def kb(size: int) -> str:
    return f"{size / 1024:.2f} KB"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(target: str, env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    """Start gunicorn on a free port; returns the process and its base URL once it answers."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", target,
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "sync", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=REPO, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/w/x/slot.json", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers (404 for an unknown widget is an answer)
        except OSError:
            time.sleep(0.1)
    return process, base


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float]:
    """Requests per second and p99 latency in ms."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    loader = LOADER.read_bytes()
    print(f"{'figure':44} {'measured':>12} {'target':>10}")
    print(f"{'loader.js gzipped':44} {kb(len(gzip.compress(loader, 9))):>12} {'<= 5 KB':>10}")

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(url)
        config = {"DATABASE_URL": url, "SECRET_KEY": "bench", "SERVER_NAME": "127.0.0.1"}
        app = create_app(config)
        key = seed(app)
        client = app.test_client()
        fragment = client.get(f"/w/{key}/fragment").data
        cards = fragment.count(b'class="tw-card')
        label = f"12-card wall fragment gzipped ({cards} cards; {kb(len(fragment))} raw)"
        print(f"{label:44} {kb(len(gzip.compress(fragment, 9))):>12} {'<= 15 KB':>10}")

        timings = []
        for _ in range(60):
            # A new request context each time: a new session, nothing remembered.
            with app.test_request_context():
                widget_cache().invalidate(1)
                started = time.perf_counter()
                rendered(key)
                timings.append((time.perf_counter() - started) * 1000)
        timings = timings[5:]  # the first runs compile templates and warm the pool
        p95 = statistics.quantiles(timings, n=20)[-1]
        figure = f"{statistics.median(timings):.1f} ms (p95 {p95:.1f})"
        print(f"{'cold render of the 12-card wall, median':44} {figure:>12} {'<= 50 ms':>10}")

        if shutil.which("wrk") is None:
            print("\nThroughput: skipped (wrk not found; Debian: apt-get install -y wrk).")
            return
        slot = client.get(f"/w/{key}/slot.json").data
        body_file = Path(folder) / "slot.json"
        body_file.write_bytes(slot)
        env = {
            "TESTIMONIALS_DATABASE_URL": url,
            "TESTIMONIALS_SECRET_KEY": "bench",
            "TESTIMONIALS_ENV": "production",
            "BENCH_BODY_FILE": str(body_file),
        }
        real, real_url = gunicorn("wsgi:app", env, args.workers)
        bare, bare_url = gunicorn("bench.bare_app:app", env, args.workers)
        try:
            path = f"/w/{key}/slot.json"
            assert urllib.request.urlopen(real_url + path).read() == slot
            assert urllib.request.urlopen(bare_url + path).read() == slot
            wrk(real_url + path, 2, args.connections)  # warm both
            wrk(bare_url + path, 2, args.connections)
            ours, base, p99s, base_p99s = [], [], [], []
            for _ in range(args.rounds):  # alternate, so machine noise hits both alike
                rps, p99 = wrk(real_url + path, args.seconds, args.connections)
                ours.append(rps)
                p99s.append(p99)
                rps, p99 = wrk(bare_url + path, args.seconds, args.connections)
                base.append(rps)
                base_p99s.append(p99)
        finally:
            for process in (real, bare):
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
        settings = f"gunicorn sync x{args.workers}, wrk -c{args.connections}"
        print(f"\nThroughput of GET /w/<key>/slot.json, warm cache ({settings}):")
        print(f"{'widget endpoint, req/s':44} {statistics.mean(ours):>12.0f}")
        print(f"{'bare Flask, same bytes from memory, req/s':44} {statistics.mean(base):>12.0f}")
        ratio = statistics.mean(ours) / statistics.mean(base)
        print(f"{'ratio':44} {ratio:>11.2f}x {'>= 0.9x':>10}")
        print(f"{'widget endpoint p99 at that load':44} {max(p99s):>9.1f} ms {'<= 50 ms':>10}")
        print(f"{'bare Flask p99 at that load':44} {max(base_p99s):>9.1f} ms")
        load = f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        print(f"(machine load average during the run: {load})")


if __name__ == "__main__":
    main()
