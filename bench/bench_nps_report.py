"""Benchmark the NPS report on 1,000,000 answers, on SQLite and PostgreSQL.

Run: python bench/bench_nps_report.py [--rows 1000000] [--postgres URL] [--skip-sqlite]
     (or set TESTIMONIALS_BENCH_POSTGRES_URL). Prints figures; not a timed test.

The PostgreSQL database given is EMPTIED (its public schema is dropped and re-made by
the migrations), so point it at a scratch database. SQLite runs in a temporary file.

Seeds in bulk (`bulk_insert.insert_rows`: COPY on PostgreSQL, executemany on SQLite), the aggregate
triggers of migration 0033 counting as rows arrive. Prints, per database: seeding time, then
the report's service time side by side: recomputed from every answer (the baseline, as the
report was before its aggregates) and read from the aggregates, with their ratio; and the
whole GET /api/v1/reports/nps request including JSON; medians of several runs, for both
granularities, a channel filter with a date range, a tag filter and a country filter within
one month, and reports narrowed by two and three dimensions at once (tags among them).
Target: <= 100 ms on both databases at 1,000,000 answers. To compare with another checkout's
code on the same seeded databases, see bench_nps_side_by_side.py.

--reuse keeps what it seeds (SQLite in --sqlite-path, PostgreSQL left as it is) and, on the
next run, only migrates it to head and times: seed 1,000,000 answers once per database.

Tags: 60% of the answers get an inbox entry (a testimonial) and two thirds of those carry
1-3 of 20 tags (about 80,000 tag links), so the tag segments and the tag filter are
measured on more tagging than a real workspace is likely to have.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from on_databases import on_each_database  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.accounts.models import Scope  # noqa: E402
from testimonials.bulk_insert import insert_rows  # noqa: E402
from testimonials.curation.models import Tag, Testimonial, testimonial_tags  # noqa: E402
from testimonials.curation.tags import create_tag  # noqa: E402
from testimonials.db import database_for  # noqa: E402
from testimonials.harvest.models import Channel, FeedbackItem  # noqa: E402
from testimonials.harvest.surveys.models import Survey  # noqa: E402
from testimonials.migrate import empty_postgres_database  # noqa: E402
from testimonials.report.services import (  # noqa: E402
    NpsFilters,
    nps_report,
    recomputed_nps_report,
)

COUNTRIES = ["GB", "US", "DE", "FR", "ES", "IT", "NL", "SE", "PL", "BR", "IN", "JP", None]
# Roughly 50% promoters, 30% passives, 20% detractors.
SCORES = [10] * 25 + [9] * 25 + [8] * 18 + [7] * 12 + [6] * 8 + [5] * 5 + [3] * 4 + [0] * 3
RUNS = 5
TAGS = 20
CHUNK = 10_000
CHANNELS = [c.value for c in Channel]


def _tag(session, workspace_id: int, rng: random.Random) -> int:
    """Open inbox entries for 60% of the answers and tag two thirds of those; tag links."""
    tag_ids = [create_tag(session, workspace_id, f"Tag {n}").id for n in range(TAGS)]
    item_ids = session.scalars(
        select(FeedbackItem.id).where(FeedbackItem.workspace_id == workspace_id)
    ).all()
    entries = [
        {"workspace_id": workspace_id, "item_id": item_id, "rank_score": 0.0}
        for item_id in item_ids
        if rng.random() < 0.6
    ]
    for start in range(0, len(entries), CHUNK):
        insert_rows(session, Testimonial, entries[start : start + CHUNK])
    testimonial_ids = session.scalars(
        select(Testimonial.id).where(Testimonial.workspace_id == workspace_id)
    ).all()
    links = [
        {"testimonial_id": testimonial_id, "tag_id": tag_id}
        for testimonial_id in testimonial_ids
        if rng.random() < 2 / 3
        # A few popular tags and a long tail, as real tagging goes.
        for tag_id in set(rng.choices(tag_ids, weights=range(TAGS, 0, -1), k=rng.randint(1, 3)))
    ]
    for start in range(0, len(links), CHUNK):
        session.execute(insert(testimonial_tags), links[start : start + CHUNK])
    session.commit()
    return len(links)


def _answer_rows(
    rng: random.Random, workspace_id: int, survey_ids: list, start: int, stop: int
) -> list[dict]:
    """Answers numbered start..stop-1, spread over two years, as plain rows."""
    end = datetime(2026, 6, 30, tzinfo=UTC)
    rows = []
    for n in range(start, stop):
        received = end - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        rows.append(
            {
                "workspace_id": workspace_id,
                "channel": rng.choice(CHANNELS),
                "source_name": "bench",
                "external_id": f"bench-{workspace_id}-{n}",
                "content_hash": f"{workspace_id:04d}{n:060d}",
                "text": "",
                "nps_score": rng.choice(SCORES),
                "country": rng.choice(COUNTRIES),
                "received_at": received,
                "submitted_at": received - timedelta(hours=rng.randrange(72)) if n % 2 else None,
                "survey_id": rng.choice(survey_ids),
            }
        )
    return rows


def _time_writes(app, workspace_id: int, start: int) -> float:
    """Seconds to store CHUNK more answers (in bulk, as an import does), rolled back.

    Rolled back so that a reused database stays as seeded; the aggregates' triggers run
    within the statements (PostgreSQL's statement triggers at each statement's end).
    """
    rng = random.Random(start)
    rows = _answer_rows(rng, workspace_id, [None], start, start + CHUNK)
    with database_for(app).sessionmaker() as session:
        started = time.perf_counter()
        insert_rows(session, FeedbackItem, rows)
        session.flush()
        seconds = time.perf_counter() - started
        session.rollback()
        return seconds


def _seed(app, answers: int) -> tuple[int, str, float, int]:
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
    started = time.perf_counter()
    for workspace_id, count in ((workspace.id, answers), (neighbour.id, answers // 5)):
        survey_ids = [s.id for s in surveys] if workspace_id == workspace.id else [None]
        for start in range(0, count, CHUNK):
            rows = _answer_rows(rng, workspace_id, survey_ids, start, min(count, start + CHUNK))
            insert_rows(session, FeedbackItem, rows)
            session.commit()
    links = _tag(session, workspace.id, rng)
    _tag(session, neighbour.id, rng)
    seconds = time.perf_counter() - started
    session.close()
    return workspace.id, key.token, seconds, links


def _median_ms(run) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _seeded(url: str, answers: int) -> tuple[int, int] | None:
    """(workspace id, tag links) of what an earlier run seeded at `url`, if it matches."""
    if migrate.current_revision(url) is None:
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            workspace_id = connection.scalar(
                text("SELECT min(id) FROM workspaces WHERE name = 'Bench Co'")
            )
            if workspace_id is None:
                return None
            stored = connection.scalar(
                text("SELECT count(*) FROM feedback_items WHERE workspace_id = :w"),
                {"w": workspace_id},
            )
            links = connection.scalar(
                text(
                    "SELECT count(*) FROM testimonial_tags l JOIN testimonials t "
                    "ON t.id = l.testimonial_id WHERE t.workspace_id = :w"
                ),
                {"w": workspace_id},
            )
    finally:
        engine.dispose()
    return (workspace_id, links) if stored == answers else None


def _emptied(url: str) -> None:
    """Start again from nothing (a reused database that holds something else)."""
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):  # a stale WAL must not meet a new file
            Path(f"{make_url(url).database}{suffix}").unlink(missing_ok=True)
    else:
        empty_postgres_database(url)


def bench(url: str, label: str, answers: int, reuse: bool) -> None:
    """Seed a fresh database at `url` (or reuse one seeded before) and print the timings."""
    config = {"DATABASE_URL": url, "SECRET_KEY": "bench", "ENV": "development"}
    found = _seeded(url, answers) if reuse else None
    if found is not None:
        workspace_id, links = found
        print(f"\n{label}: reusing the {answers:,} answers and {links:,} tag links seeded before")
        started = time.perf_counter()
        migrate.upgrade(url)  # migrations added since it was seeded
        print(f"  migrations to head: {time.perf_counter() - started:.1f} s")
        app = create_app(config)
        with database_for(app).sessionmaker() as session:
            token = accounts.create_api_key(session, workspace_id, "bench", Scope.READ).token
            session.commit()
        plain = None
    else:
        if reuse:
            _emptied(url)
        # Seeded before the aggregates' migration, which then counts what is stored (backfill).
        migrate.upgrade(url, "0015")
        app = create_app(config)
        workspace_id, token, seed_seconds, links = _seed(app, answers)
        plain = _time_writes(app, workspace_id + 1, answers)
        database_for(app).engine.dispose()
        print(
            f"\n{label}: seeded {answers:,} answers (+{answers // 5:,} in another workspace), "
            f"{links:,} tag links, in {seed_seconds:.1f} s"
        )
        started = time.perf_counter()
        migrate.upgrade(url)
        print(
            f"  migrations from 0015 (0033 counts them all): {time.perf_counter() - started:.1f} s"
        )
        app = create_app(config)
    counted = _time_writes(app, workspace_id + 1, answers + CHUNK)
    print(
        f"  storing {CHUNK:,} answers in bulk: "
        + (
            ""
            if plain is None
            else f"{plain * 1e6 / CHUNK:.0f} µs an answer before the aggregates, "
        )
        + f"{counted * 1e6 / CHUNK:.0f} µs with their triggers"
    )
    # Statistics for the planner; on PostgreSQL also the visibility map that index-only
    # scans need, which autovacuum sets on a live table but not yet right after bulk COPY.
    engine = database_for(app).engine
    analyse = "VACUUM (ANALYZE)" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("feedback_items", "testimonials", "testimonial_tags", "tags", "nps_counts"):
            connection.execute(text(f"{analyse} {table}"))
    _time_cases(app, workspace_id, token, "server time per report")
    database_for(app).engine.dispose()


def _time_cases(app, workspace_id: int, token: str, title: str) -> None:
    print(f"  {title}:")
    sessionmaker = database_for(app).sessionmaker
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    popular_tag = _first_tag(sessionmaker, workspace_id)
    with sessionmaker() as session:
        survey = session.scalar(
            select(func.min(Survey.id)).where(Survey.workspace_id == workspace_id)
        )
    cases = [
        ("month, no filter", NpsFilters(), "month", ""),
        ("week, no filter", NpsFilters(), "week", "granularity=week"),
        (
            "week, one channel + from",
            NpsFilters(channel=Channel.API, date_from=datetime(2025, 7, 1).date()),
            "week",
            "granularity=week&channel=api&from=2025-07-01",
        ),
        ("month, one tag", NpsFilters(tag_id=popular_tag), "month", f"tag_id={popular_tag}"),
        (
            "week, country, in a month",
            NpsFilters(country="DE", date_from=date(2026, 3, 5), date_to=date(2026, 3, 20)),
            "week",
            "granularity=week&country=DE&from=2026-03-05&to=2026-03-20",
        ),
        # Two or more dimension filters: the answers and tagged answers that match, counted
        # by index (migrations 0042 and 0049); the trend of two from their pair's counts.
        ("month, channel + country", NpsFilters(channel=Channel.API, country="DE"), "month",
         "channel=api&country=DE"),
        ("month, country + tag", NpsFilters(country="DE", tag_id=popular_tag), "month",
         f"country=DE&tag_id={popular_tag}"),
        ("month, channel + tag", NpsFilters(channel=Channel.API, tag_id=popular_tag), "month",
         f"channel=api&tag_id={popular_tag}"),
        ("week, survey+channel+country", NpsFilters(survey_id=survey, channel=Channel.API,
         country="DE"), "week", f"granularity=week&survey_id={survey}&channel=api&country=DE"),
        ("week, channel+country+tag", NpsFilters(channel=Channel.API, country="DE",
         tag_id=popular_tag), "week",
         f"granularity=week&channel=api&country=DE&tag_id={popular_tag}"),
    ]  # fmt: skip
    print(
        f"    {'':<26} {'recomputed':>11} {'aggregates':>11} {'ratio':>7} "
        f"{'GET (aggregates)':>17}   (ms, median of {RUNS})"
    )
    for name, filters, granularity, query in cases:

        def service(report=nps_report, filters=filters, granularity=granularity) -> None:
            with sessionmaker() as session:
                assert report(session, workspace_id, filters, granularity).overall.n > 0

        def request(query=query) -> None:
            response = client.get(f"/api/v1/reports/nps?{query}", headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)

        service()  # warm up caches and the connection pool
        before = _median_ms(lambda: service(recomputed_nps_report))
        after = _median_ms(service)
        print(
            f"    {name:<26} {before:11.1f} {after:11.1f} {before / after:6.1f}x "
            f"{_median_ms(request):17.1f}"
        )


def _first_tag(sessionmaker, workspace_id: int) -> int:
    """The workspace's most used tag (the widest tag filter)."""
    with sessionmaker() as session:
        return session.scalar(
            select(Tag.id).where(Tag.workspace_id == workspace_id).order_by(Tag.id).limit(1)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", "--answers", dest="answers", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the databases: seed only if they do not hold this many answers already "
        "(SQLite in --sqlite-path), then migrate them to head and time",
    )
    parser.add_argument("--sqlite-path", default="bench_nps.sqlite3")
    args = parser.parse_args()
    on_each_database(
        lambda url, label: bench(url, label, args.answers, args.reuse),
        args.postgres,
        args.skip_sqlite,
        sqlite_path=args.sqlite_path if args.reuse else None,
        keep_postgres=args.reuse,
    )


if __name__ == "__main__":
    main()
