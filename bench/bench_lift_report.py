"""Benchmark the lift report read from roll-ups against recomputing it from raw events.

Run: python bench/bench_lift_report.py [--days 30] [--daily-units 3000] [--postgres URL]
     [--before CHECKOUT [--before CHECKOUT2] --rounds 3]
     (or set TESTIMONIALS_BENCH_POSTGRES_URL). Prints figures; not a timed test.

The PostgreSQL database given is EMPTIED (its public schema is dropped and re-made by the
migrations), so point it at a scratch database. SQLite runs in a temporary file.

Seeds one experiment with the demo's traffic model (simulated visitors written through the
recording path's row mapping, each day rolled up), then times, median of several runs:
- the report as served: `experiment_report` from the roll-ups (arms, lift over time, power,
  per-testimonial contribution), the whole GET of the API (JSON included) and the whole GET
  of the dashboard page (signed in, HTML rendered);
- the baseline: the same report when every read first rebuilds the roll-ups of every day
  from the raw events (what a report without roll-ups has to scan);
- one day's roll-up: what the scheduled job does for today every 10 minutes.

With --before (once per checkout to compare with, e.g. main's or an older commit's), each
database is seeded once with this checkout's code; then, in each round, a process importing
each checkout in turn (the --before ones, then this one) times the service, the two GETs and
one day's roll-up on that same database, so all see the same machine load. It prints the
median over the rounds, each checkout's ratio to this one and the load average. A checkout
only reads (the roll-up it times is rolled back; the GETs refresh days without events), so
a database migrated past an older checkout's head serves it too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
sys.path.insert(0, os.environ.get("BENCH_CHECKOUT", str(REPO)))

from flask import Flask  # noqa: E402
from on_databases import on_each_database  # noqa: E402
from side_by_side import run_in_checkout, sign_in  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.accounts.models import Role, Scope  # noqa: E402
from testimonials.db import database_for  # noqa: E402
from testimonials.demo.traffic import TrafficModel, simulate_traffic  # noqa: E402
from testimonials.report.experiments import experiment_report  # noqa: E402
from testimonials.tracking import experiments  # noqa: E402
from testimonials.tracking.models import TrackingEvent  # noqa: E402
from testimonials.tracking.rollups import roll_up_day  # noqa: E402

FIRST_DAY = datetime(2026, 10, 1, tzinfo=UTC)
VIEWER, PASSWORD = "viewer@bench.example", "bench password 123"
TIMED = {
    "service": "report from roll-ups (service)",
    "api": "GET /api/v1/reports/experiments/{id}",
    "page": "GET /reports/experiments/{id} (page)",
    "one_day": "one day's roll-up (the 10-minute job)",
}


@dataclass(frozen=True)
class Seeded:
    experiment_id: int
    token: str
    events: int


def _median_ms(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _app(url: str) -> Flask:
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})


def seed(url: str, label: str, days: int, daily_units: int) -> Seeded:
    """Migrate `url` and seed one experiment's days of traffic, rolled up; print what."""
    migrate.upgrade(url)
    app = _app(url)
    with database_for(app).sessionmaker() as session:
        workspace = accounts.create_workspace(session, "Bench")
        token = accounts.create_api_key(session, workspace.id, "bench", Scope.READ).token
        accounts.create_user(session, VIEWER, PASSWORD, workspace, Role.VIEWER)
        experiment = experiments.create_experiment(
            session, workspace.id, name="Bench", widget_key="carousel", key="bench-lift"
        )
        experiments.start_experiment(session, experiment, FIRST_DAY)
        start = time.perf_counter()
        visitors = simulate_traffic(
            session,
            experiment,
            FIRST_DAY.date(),
            days,
            [1, 2, 3, 4, 5, 6],
            TrafficModel(daily_units=daily_units),
        )
        session.commit()
        seeded = time.perf_counter() - start
        events = session.scalar(select(func.count()).select_from(TrackingEvent)) or 0
        found = Seeded(experiment.id, token, events)
    print(
        f"\n{label}: {visitors:,} visitor-days, {events:,} events over {days} days "
        f"(seeded and rolled up in {seeded:.1f} s)"
    )
    database_for(app).engine.dispose()
    return found


def read_timings(app: Flask, seeded: Seeded, days: int) -> dict[str, float]:
    """Median ms of the service, the API GET, the page GET and one day's roll-up."""
    sessionmaker = database_for(app).sessionmaker
    experiment_id = seeded.experiment_id

    def served() -> None:
        with sessionmaker() as session:
            found = session.get(experiments.Experiment, experiment_id)
            experiment_report(session, found, 40.0)

    api = app.test_client()
    headers = {"Authorization": f"Bearer {seeded.token}"}

    def api_get() -> None:
        # The API also refreshes yesterday's and today's roll-ups (empty here, as in a
        # report read after the experiment's days): the cost of that check is included.
        answer = api.get(f"/api/v1/reports/experiments/{experiment_id}", headers=headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)

    page = app.test_client()
    sign_in(page, VIEWER, PASSWORD)

    def page_get() -> None:
        answer = page.get(f"/reports/experiments/{experiment_id}")
        assert answer.status_code == 200, answer.status_code

    def one_day() -> None:
        with sessionmaker() as session:
            roll_up_day(session, FIRST_DAY.date() + timedelta(days=days - 1), experiment_id)
            session.rollback()

    for run in (served, api_get, page_get):
        run()  # warm: modules loaded on first use, templates compiled
    return {
        "service": _median_ms(served, 7),
        "api": _median_ms(api_get, 7),
        "page": _median_ms(page_get, 7),
        "one_day": _median_ms(one_day, 3),
    }


def bench(url: str, label: str, days: int, daily_units: int) -> None:
    seeded = seed(url, label, days, daily_units)
    app = _app(url)
    sessionmaker = database_for(app).sessionmaker

    def baseline() -> None:
        with sessionmaker() as session:
            found = session.get(experiments.Experiment, seeded.experiment_id)
            for offset in range(days):
                day = FIRST_DAY.date() + timedelta(days=offset)
                roll_up_day(session, day, seeded.experiment_id)
            experiment_report(session, found, 40.0)
            session.rollback()

    found = read_timings(app, seeded, days)
    baseline_ms = _median_ms(baseline, 3)
    for key in ("service", "api", "page"):
        print(f"  {TIMED[key]:<38} {found[key]:9.1f} ms")
    print(
        f"  {'baseline: rebuilt from raw events':<38} {baseline_ms:9.1f} ms   "
        f"({baseline_ms / found['service']:.0f}x the roll-up read)"
    )
    print(
        f"  {TIMED['one_day']:<38} {found['one_day']:9.1f} ms   "
        f"({seeded.events // days:,} events a day)"
    )
    database_for(app).engine.dispose()


def _name(checkout: Path) -> str:
    commit = subprocess.run(
        ["git", "-C", str(checkout), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{checkout.name}@{commit}"


def side_by_side(
    url: str, label: str, days: int, daily_units: int, befores: list[Path], rounds: int
) -> None:
    seeded = seed(url, label, days, daily_units)
    checkouts = [*befores, REPO]
    found: dict[Path, dict[str, list[float]]] = {c: {k: [] for k in TIMED} for c in checkouts}
    loads = [os.getloadavg()[0]]
    for _ in range(rounds):
        for checkout in checkouts:
            timings = run_in_checkout(
                HERE,
                checkout,
                *("--child", url, "--days", str(days)),
                *("--experiment", str(seeded.experiment_id), "--token", seeded.token),
            )
            # Each process ran the checkout it was given, not an installed copy.
            assert timings.pop("code") == str(checkout), (timings, checkout)
            for key, ms in timings.items():
                found[checkout][key].append(ms)
        loads.append(os.getloadavg()[0])
    print(
        f"  load average {min(loads):.1f}-{max(loads):.1f}; ms, median of {rounds} rounds "
        "[min-max]; (Nx) = that checkout's ms ÷ this one's"
    )
    names = [_name(c) for c in checkouts]
    print("  " + " " * 38 + "".join(f"{n[-22:]:>24}" for n in names))
    for key, title in TIMED.items():
        this = statistics.median(found[REPO][key])
        cells = []
        for checkout in checkouts:
            ms = statistics.median(found[checkout][key])
            ratio = f" ({ms / this:.2f}x)" if checkout != REPO else ""
            cells.append(f"{ms:.1f}{ratio}")
        print(f"  {title:<38}" + "".join(f"{c:>24}" for c in cells))
        print("  " + " " * 38 + "".join(f"{_spread(found[c][key]):>24}" for c in checkouts))


def _spread(values: list[float]) -> str:
    return f"[{min(values):.1f}-{max(values):.1f}]"


def _child(url: str, days: int, experiment_id: int, token: str) -> None:
    """In a checkout's own process: time the reads with that checkout's code, print JSON."""
    import testimonials

    app = _app(url)
    timings: dict[str, object] = dict(read_timings(app, Seeded(experiment_id, token, 0), days))
    timings["code"] = str(Path(testimonials.__file__).parents[1])
    database_for(app).engine.dispose()
    print(json.dumps(timings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--daily-units", type=int, default=3000)
    parser.add_argument("--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--before", action="append", default=[], help="a checkout to compare")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--checkout", help=argparse.SUPPRESS)
    parser.add_argument("--experiment", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.days, args.experiment, args.token)
        return
    befores = [Path(b).resolve() for b in args.before]
    on_each_database(
        lambda url, label: (
            side_by_side(url, label, args.days, args.daily_units, befores, args.rounds)
            if befores
            else bench(url, label, args.days, args.daily_units)
        ),
        args.postgres,
        args.skip_sqlite,
    )


if __name__ == "__main__":
    main()
