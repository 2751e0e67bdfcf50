"""Benchmark the lift report read from roll-ups against recomputing it from raw events.

Run: python bench/bench_lift_report.py [--days 30] [--daily-units 3000] [--postgres URL]
     (or set TESTIMONIALS_BENCH_POSTGRES_URL). Prints figures; not a timed test.

The PostgreSQL database given is EMPTIED (its public schema is dropped and re-made by the
migrations), so point it at a scratch database. SQLite runs in a temporary file.

Seeds one experiment with the demo's traffic model (simulated visitors written through the
recording path's row mapping, each day rolled up), then times, median of several runs:
- the report as served: `experiment_report` from the roll-ups (arms, lift over time, power,
  per-testimonial contribution), plus the whole GET of the API (JSON included);
- the baseline: the same report when every read first rebuilds the roll-ups of every day
  from the raw events (what a report without roll-ups has to scan);
- one day's roll-up: what the scheduled job does for today every 10 minutes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from on_databases import on_each_database  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.accounts.models import Scope  # noqa: E402
from testimonials.db import database_for  # noqa: E402
from testimonials.demo.traffic import TrafficModel, simulate_traffic  # noqa: E402
from testimonials.report.experiments import experiment_report  # noqa: E402
from testimonials.tracking import experiments  # noqa: E402
from testimonials.tracking.models import TrackingEvent  # noqa: E402
from testimonials.tracking.rollups import roll_up_day  # noqa: E402

FIRST_DAY = datetime(2026, 10, 1, tzinfo=UTC)


def _median_ms(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(url: str, label: str, days: int, daily_units: int) -> None:
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    sessionmaker = database_for(app).sessionmaker
    with sessionmaker() as session:
        workspace = accounts.create_workspace(session, "Bench")
        token = accounts.create_api_key(session, workspace.id, "bench", Scope.READ).token
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
        events = session.scalar(select(func.count()).select_from(TrackingEvent))
        experiment_id = experiment.id
    print(
        f"\n{label}: {visitors:,} visitor-days, {events:,} events over {days} days "
        f"(seeded and rolled up in {seeded:.1f} s)"
    )

    def served() -> None:
        with sessionmaker() as session:
            found = session.get(experiments.Experiment, experiment_id)
            experiment_report(session, found, 40.0)

    def baseline() -> None:
        with sessionmaker() as session:
            found = session.get(experiments.Experiment, experiment_id)
            for offset in range(days):
                roll_up_day(session, FIRST_DAY.date() + timedelta(days=offset), experiment_id)
            experiment_report(session, found, 40.0)
            session.rollback()

    def one_day() -> None:
        with sessionmaker() as session:
            roll_up_day(session, FIRST_DAY.date() + timedelta(days=days - 1), experiment_id)
            session.rollback()

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def request() -> None:
        # The API also refreshes yesterday's and today's roll-ups (empty here, as in a
        # report read after the experiment's days): the cost of that check is included.
        answer = client.get(f"/api/v1/reports/experiments/{experiment_id}", headers=headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)

    report_ms = _median_ms(served, 7)
    request_ms = _median_ms(request, 7)
    baseline_ms = _median_ms(baseline, 3)
    day_ms = _median_ms(one_day, 3)
    print(f"  report from roll-ups (service)        {report_ms:9.1f} ms")
    print(f"  GET /api/v1/reports/experiments/{{id}}  {request_ms:9.1f} ms")
    print(
        f"  baseline: rebuilt from raw events     {baseline_ms:9.1f} ms   "
        f"({baseline_ms / report_ms:.0f}x the roll-up read)"
    )
    print(
        f"  one day's roll-up (the 10-minute job) {day_ms:9.1f} ms   "
        f"({events // days:,} events a day)"
    )
    database_for(app).engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--daily-units", type=int, default=3000)
    parser.add_argument("--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    on_each_database(
        lambda url, label: bench(url, label, args.days, args.daily_units),
        args.postgres,
        args.skip_sqlite,
    )


if __name__ == "__main__":
    main()
