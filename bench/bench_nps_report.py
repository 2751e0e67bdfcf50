"""Benchmark the NPS report on 100,000 scored answers, on SQLite and PostgreSQL.

Run: python bench/bench_nps_report.py [--answers 100000] [--postgres URL]
     (or set TESTIMONIALS_BENCH_POSTGRES_URL). Prints figures; not a timed test.

The PostgreSQL database given is EMPTIED (its public schema is dropped and re-made by
the migrations), so point it at a scratch database. SQLite runs in a temporary file.

Prints, per database: seeding time, then the report's server time (service alone, and the
whole GET /api/v1/reports/nps request including JSON), median of several runs, for both
granularities and with a filter. Target: well under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.accounts.models import Scope  # noqa: E402
from testimonials.db import database_for  # noqa: E402
from testimonials.harvest.intake import NewFeedback, record_feedback_batch  # noqa: E402
from testimonials.harvest.models import Channel, Survey  # noqa: E402
from testimonials.harvest.report.services import NpsFilters, nps_report  # noqa: E402
from testimonials.migrate import empty_postgres_database  # noqa: E402

COUNTRIES = ["GB", "US", "DE", "FR", "ES", "IT", "NL", "SE", "PL", "BR", "IN", "JP", None]
# Roughly 50% promoters, 30% passives, 20% detractors.
SCORES = [10] * 25 + [9] * 25 + [8] * 18 + [7] * 12 + [6] * 8 + [5] * 5 + [3] * 4 + [0] * 3
RUNS = 5


def _seed(app, answers: int) -> tuple[int, str, float]:
    """Seed a workspace with `answers` scored answers (and a noisy neighbour)."""
    rng = random.Random(42)
    session = database_for(app).sessionmaker()
    workspace = accounts.create_workspace(session, "Bench Co")
    neighbour = accounts.create_workspace(session, "Neighbour Co")
    key = accounts.create_api_key(session, workspace.id, "bench", Scope.READ)
    surveys = []
    for n in range(5):
        survey = Survey(
            workspace_id=workspace.id,
            name=f"Survey {n}",
            company_name="Bench Co",
            question="How likely are you to recommend us?",
            comment_prompt="Why?",
            consent_text="You may quote me.",
            consent_version="v1",
            public_token=f"bench-token-{n}-{rng.random()}",
        )
        session.add(survey)
        surveys.append(survey)
    session.commit()
    end = datetime(2026, 6, 30, tzinfo=UTC)
    started = time.perf_counter()
    for workspace_id, count in ((workspace.id, answers), (neighbour.id, answers // 5)):
        batch = []
        for n in range(count):
            received = end - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            batch.append(
                NewFeedback(
                    text="",
                    channel=rng.choice(list(Channel)),
                    source_name="bench",
                    nps_score=rng.choice(SCORES),
                    country=rng.choice(COUNTRIES),
                    received_at=received,
                    submitted_at=received - timedelta(hours=rng.randrange(72)) if n % 2 else None,
                    survey_id=rng.choice(surveys).id if workspace_id == workspace.id else None,
                )
            )
            if len(batch) == 5000:
                record_feedback_batch(session, workspace_id, batch)  # no scorer: speed
                session.commit()
                batch = []
        if batch:
            record_feedback_batch(session, workspace_id, batch)
            session.commit()
    seconds = time.perf_counter() - started
    session.close()
    return workspace.id, key.token, seconds


def _median_ms(run) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def bench(url: str, label: str, answers: int) -> None:
    """Seed a fresh database at `url` and print the report's timings."""
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ENV": "development"})
    workspace_id, token, seed_seconds = _seed(app, answers)
    print(
        f"\n{label}: seeded {answers:,} answers (+{answers // 5:,} in another workspace) "
        f"in {seed_seconds:.1f} s"
    )
    with database_for(app).engine.begin() as connection:
        connection.execute(text("ANALYZE feedback_items"))
    _time_cases(app, workspace_id, token, "server time per report")
    database_for(app).engine.dispose()


def _time_cases(app, workspace_id: int, token: str, title: str) -> None:
    print(f"  {title}:")
    sessionmaker = database_for(app).sessionmaker
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    cases = [
        ("month, no filter", NpsFilters(), "month", ""),
        ("week, no filter", NpsFilters(), "week", "granularity=week"),
        (
            "week, one channel + from",
            NpsFilters(channel=Channel.API, date_from=datetime(2025, 7, 1).date()),
            "week",
            "granularity=week&channel=api&from=2025-07-01",
        ),
    ]
    for name, filters, granularity, query in cases:

        def service(filters=filters, granularity=granularity) -> None:
            with sessionmaker() as session:
                report = nps_report(session, workspace_id, filters, granularity)
                assert report.overall.n > 0

        def request(query=query) -> None:
            response = client.get(f"/api/v1/reports/nps?{query}", headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)

        service()  # warm up caches and the connection pool
        print(
            f"    {name:<26} service {_median_ms(service):7.1f} ms   "
            f"GET /api/v1/reports/nps {_median_ms(request):7.1f} ms   (median of {RUNS})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench(f"sqlite:///{folder}/bench.sqlite3", "SQLite", args.answers)
    if args.postgres:
        empty_postgres_database(args.postgres)
        name = make_url(args.postgres).database
        bench(args.postgres, f"PostgreSQL ({name})", args.answers)
    else:
        print("\nPostgreSQL: skipped (pass --postgres URL of a scratch database).")


if __name__ == "__main__":
    main()
