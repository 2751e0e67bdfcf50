"""Benchmark the curation inbox on 50,000 (or --rows) testimonials, on SQLite and PostgreSQL.

Run:  python bench/bench_inbox.py [--rows 50000] [--runs 5] [--postgres URL]
          [--skip-sqlite] [--sqlite-file PATH] [--no-learning] [--no-proposed] [--reuse]
          [--seed-only] [--only CASE]...
          [--before-ref main] [--schema REV]
(prints figures; not a timed test). The PostgreSQL database named is EMPTIED first (its
public schema is dropped and re-made by the migrations); it is also read from
TESTIMONIALS_BENCH_POSTGRES_URL. SQLite runs in a temporary file, or in --sqlite-file PATH,
kept for the next run (seeded only if it does not hold the bench workspace yet with
--reuse; on SQLite too the tables' indexes and triggers are made after the seed, from their
stored SQL, and the FTS5 index rebuilt from its content table). --reuse keeps a
PostgreSQL database that already holds a bench workspace of --rows items (seeded by an
earlier run, e.g. with --seed-only) and only brings its schema up to date: a re-run at
1,000,000 rows then takes minutes, not the ~30 minutes of seeding on the loaded machine.
--before-ref REF times `inbox_page` as git revision REF wrote it (loaded from git beside
today's code, on PostgreSQL with the server's JIT on, as it then ran) as the baseline.

Seeds one workspace with --rows feedback items and their testimonials (and a neighbour
workspace with a fifth as many; on PostgreSQL with the indexes that back no constraint
dropped during the seed and built after it, then VACUUM ANALYZE): a realistic mix of
channels, sources, languages, NPS scores and star ratings, scores, tags on about 20% of
the items, mostly pending. Rows go
straight into the tables (COPY on PostgreSQL, executemany on SQLite): 240,000 rows take
about two minutes on PostgreSQL on the loaded 2-core machine. Then times the inbox page's
server work for each filter, sort and search — BEFORE (`previous_inbox_page`: a window
count of every match, every search through the text index) and after (`inbox_page`:
counted up to 1,000, a common search walked in rank order) side by side, runs alternating, median of
--runs runs — and the whole `GET /inbox` through the Flask test client, signed in; and,
unless --no-learning, the workspace learning: `maybe_refit` when nothing is due and a full
`refit_workspace_model`.

Target (issue 14): text search <= 150 ms and every filter <= 300 ms at 1,000,000 items.
Indexes not in the migrations are created afterwards in the bench database only,
labelled "proposed", and every case is timed again with them.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flask import Flask  # noqa: E402
from inbox_baselines import inbox_page_at, previous_inbox_page  # noqa: E402
from inbox_cases import Case, cases  # noqa: E402
from inbox_seed import BENCH_WORKSPACE, PASSWORD, SEEDED_TABLES, seed  # noqa: E402
from on_databases import on_each_database  # noqa: E402
from side_by_side import sign_in  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.orm import joinedload, selectinload  # noqa: E402

from testimonials import create_app, migrate, planner_statistics  # noqa: E402
from testimonials.curation.inbox import (  # noqa: E402
    InboxFilters,
    inbox_page,
    inbox_query,
)
from testimonials.curation.learning import maybe_refit, refit_workspace_model  # noqa: E402
from testimonials.curation.models import Testimonial  # noqa: E402
from testimonials.db import Page, database_for, paginate  # noqa: E402
from testimonials.harvest.models import FeedbackItem  # noqa: E402
from testimonials.migrate import empty_postgres_database  # noqa: E402

RUNS = 5
ONLY: list[str] = []  # --only: the cases whose names hold one of these
PER_PAGE = 25
# --- timing ---------------------------------------------------------------------------------


def median_ms(run: Callable[[], object]) -> float:
    """Median wall time of RUNS runs, after one warm-up run."""
    return medians_ms(run)[0]


def medians_ms(*runs: Callable[[], object]) -> list[float]:
    """Median wall time of RUNS runs of each, after one warm-up run of each, the runs
    alternating (a burst of another process's work on the shared machine, or a plan the
    server starts to reuse, falls on each alike)."""
    for run in runs:
        run()
    timings: list[list[float]] = [[] for _ in runs]
    for _ in range(RUNS):
        for run, taken in zip(runs, timings, strict=True):
            started = time.perf_counter()
            run()
            taken.append((time.perf_counter() - started) * 1000)
    return [statistics.median(taken) for taken in timings]


def page_statement(workspace_id: int, filters: InboxFilters):
    """The inbox statement as the API loads it (item joined in, tags in one more query)."""
    return inbox_query(workspace_id, filters).options(
        joinedload(Testimonial.item), selectinload(Testimonial.tags)
    )


BEFORE: Callable[..., Page] = previous_inbox_page


def time_service(app: Flask, workspace_id: int, case: Case) -> tuple[float, float, int]:
    """Median ms for the count plus one page of 25, before (the previous inbox_page) and
    after; and the total matches."""
    sessionmaker = database_for(app).sessionmaker
    with sessionmaker() as session:
        total = paginate(session, page_statement(workspace_id, case.filters), 1, PER_PAGE).total
    page = max(1, math.ceil(total / PER_PAGE)) if case.last_page else 1

    def timed(page_of: Callable, server_jit: bool = False) -> Callable[[], None]:
        def run() -> None:
            with sessionmaker() as session:
                if server_jit and session.connection().dialect.name == "postgresql":
                    # The baseline as it ran before the app's connections turned JIT off.
                    session.execute(text("SET LOCAL jit = on"))
                # Exactly what GET /inbox does for its page of 25.
                found = page_of(session, workspace_id, case.filters, page, PER_PAGE)
                assert found.total == 0 or found.items, case.name
                for testimonial in found.items:  # what the template touches
                    _ = testimonial.item.text, [tag.name for tag in testimonial.tags]

        return run

    before = timed(BEFORE, server_jit=BEFORE is not previous_inbox_page)
    before_ms, after_ms = medians_ms(before, timed(inbox_page))
    return before_ms, after_ms, total


def signed_in_client(app: Flask):
    """A test client signed in as the bench editor, or None if there is no inbox page."""
    if not any(rule.rule == "/inbox" for rule in app.url_map.iter_rules()):
        return None
    client = app.test_client()
    sign_in(client, "editor@bench.example", PASSWORD)
    return client


def time_page(client, case: Case, total: int) -> float:
    """Median ms of the whole GET /inbox for the case (rendering included)."""
    page = max(1, math.ceil(total / PER_PAGE)) if case.last_page else 1
    query = "&".join(part for part in (case.query, f"page={page}" if page > 1 else "") if part)

    def run() -> None:
        response = client.get(f"/inbox?{query}")
        assert response.status_code == 200, response.status_code

    return median_ms(run)


# Candidate indexes (not in the migrations; the rank and suspicion indexes it once proposed
# are, since migration 0005): created in the bench database only, after the first round,
# as (name, dialects, DDL).
PROPOSED: list[tuple[str, tuple[str, ...], str]] = [
    ("pg_trgm", ("postgresql",), "CREATE EXTENSION IF NOT EXISTS pg_trgm"),
    (
        "ix_feedback_items_text_trgm",
        ("postgresql",),
        "CREATE INDEX ix_feedback_items_text_trgm "
        "ON feedback_items USING gin (lower(text) gin_trgm_ops)",
    ),
    (
        "ix_feedback_items_author_name_trgm",
        ("postgresql",),
        "CREATE INDEX ix_feedback_items_author_name_trgm "
        "ON feedback_items USING gin (lower(author_name) gin_trgm_ops)",
    ),
]


def time_all(app: Flask, workspace_id: int, tag_id: int, label: str) -> dict[str, float]:
    """Print and return the service time per case (and the page time if the page exists)."""
    client = signed_in_client(app)
    print(f"  {label}:")
    print(
        f"    {'case':<28} {'matches':>8} {'before ms':>10} {'service ms':>11} {'ratio':>6} "
        f"{'GET /inbox ms':>14}"
    )
    results = {}
    for case in cases(tag_id):
        if ONLY and not any(part in case.name for part in ONLY):
            continue
        before, service, total = time_service(app, workspace_id, case)
        page = f"{time_page(client, case, total):14.1f}" if client else f"{'(no page)':>14}"
        flag = "" if service <= 300 else "  <-- over 300 ms"
        ratio = before / service if service else float("nan")
        print(
            f"    {case.name:<28} {total:>8,} {before:10.1f} {service:11.1f} {ratio:5.1f}x "
            f"{page}{flag}"
        )
        results[case.name] = service
    if client is None:
        print("    GET /inbox skipped: the inbox page is not registered yet.")
    return results


def time_learning(app: Flask, workspace_id: int) -> None:
    """Time the learning hooks: the no-op check after a triage action, and a full refit."""
    sessionmaker = database_for(app).sessionmaker
    refits = []
    for _ in range(3):
        with sessionmaker() as session:
            started = time.perf_counter()
            model = refit_workspace_model(session, workspace_id)
            session.commit()
            refits.append(time.perf_counter() - started)
    print(
        f"  learning: refit_workspace_model min {min(refits):.2f} s, median "
        f"{statistics.median(refits):.2f} s of 3 ({model.decisions:,} decisions fitted from "
        f"stored scores, pending+snoozed re-ranked); {model.message}"
    )

    def not_due() -> None:
        with sessionmaker() as session:
            assert maybe_refit(session, workspace_id) is None

    print(f"  learning: maybe_refit when nothing is due {median_ms(not_due):.1f} ms")


def seeded_workspace(app: Flask, items: int) -> int | None:
    """The bench workspace already seeded with `items` items at the app's database, if any."""
    with database_for(app).sessionmaker() as session:
        workspace_id = session.scalar(
            text("SELECT id FROM workspaces WHERE name = :name ORDER BY id LIMIT 1"),
            {"name": BENCH_WORKSPACE},
        )
        if workspace_id is None:
            return None
        count = session.scalar(
            select(func.count()).where(FeedbackItem.workspace_id == workspace_id)
        )
    return workspace_id if count == items else None


def gather_statistics(connection, how: str) -> None:
    """The planner's statistics as a database ends up with them. PostgreSQL: always ANALYZE
    (autovacuum's). SQLite: "full" as an import leaves them (ANALYZE; none on FTS5's shadow
    tables); "sampled" as the pool's `PRAGMA optimize` gathers them in a database grown by single
    answers (ANALYZE reading `SQLITE_ANALYSIS_LIMIT` rows an index); "none" as before that."""
    if connection.dialect.name != "sqlite" or how == "full":
        connection.execute(text("ANALYZE"))
        if connection.dialect.name == "sqlite":  # and none on the search index's own tables
            connection.execute(text(planner_statistics.FORGET_FTS5_SHADOW_STATISTICS))
        return
    connection.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))
    connection.execute(text("DROP TABLE IF EXISTS sqlite_stat4"))
    if how == "sampled":
        started = time.perf_counter()
        limit = planner_statistics.SQLITE_ANALYSIS_LIMIT
        connection.execute(text(f"PRAGMA analysis_limit={limit:d}"))
        connection.execute(text("ANALYZE"))
        connection.execute(text("PRAGMA analysis_limit=0"))
        print(f"  statistics sampled in {1000 * (time.perf_counter() - started):.0f} ms")
    else:
        connection.execute(text("ANALYZE sqlite_schema"))  # forget what was loaded


def bench(
    url: str,
    label: str,
    items: int,
    learning: bool,
    proposed: bool,
    reuse: bool = False,
    seed_only: bool = False,
    schema: str = "head",
    planner_statistics: str = "full",
) -> None:
    """Seed a fresh database at `url` (or, with reuse, keep the one seeded last time at
    this size) and print the inbox timings; the schema as of migration `schema`."""
    migrate.upgrade(url, schema)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "ENV": "development",
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    reused = seeded_workspace(app, items) if reuse else None
    if reuse and reused is None and url.startswith("postgresql"):
        # Seeded at another size, or cut short: start again from an empty database.
        database_for(app).engine.dispose()
        empty_postgres_database(url)
        migrate.upgrade(url, schema)
    if reused is not None:
        workspace_id = reused
        print(f"\n{label}: reusing the {items:,} items seeded before (--reuse)")
    else:
        workspace_id, seconds = seed(app, items)
        print(
            f"\n{label}: seeded {items:,} items + testimonials (+{items // 5:,} in another "
            f"workspace) in {seconds:.1f} s"
        )
    engine = database_for(app).engine
    with engine.begin() as connection:
        tag_id = connection.scalar(
            text("SELECT id FROM tags WHERE workspace_id = :w AND slug = 'onboarding'"),
            {"w": workspace_id},
        )
        gather_statistics(connection, planner_statistics)
    if engine.name == "postgresql":
        # As autovacuum leaves a table that has stopped growing: the visibility map set, so
        # index-only scans need not visit the heap (right after a bulk COPY it is not yet).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"VACUUM (ANALYZE) {', '.join(SEEDED_TABLES)}"))
    if seed_only:
        engine.dispose()
        return
    time_all(app, workspace_id, tag_id, f"median of {RUNS} runs, indexes from the migrations")
    if proposed:
        chosen = [(name, ddl) for name, dialects, ddl in PROPOSED if engine.name in dialects]
        with engine.begin() as connection:
            for _name, ddl in chosen:
                connection.execute(text(ddl))
            connection.execute(text("ANALYZE"))
        names = ", ".join(name for name, _ddl in chosen)
        time_all(app, workspace_id, tag_id, f"PROPOSED indexes added ({names})")
    if learning:
        time_learning(app, workspace_id)
    engine.dispose()


def main() -> None:
    global RUNS, BEFORE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", "--rows", dest="items", type=int, default=50_000)
    parser.add_argument("--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"))
    parser.add_argument("--no-learning", dest="learning", action="store_false")
    parser.add_argument("--no-proposed", dest="proposed", action="store_false")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (median)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the PostgreSQL database (or --sqlite-file) if it already holds a bench "
        "workspace of --rows items (seeded by an earlier run) instead of seeding it again",
    )
    parser.add_argument(
        "--sqlite-file",
        help="seed SQLite in this file and keep it (with --reuse: time it as seeded before)",
    )
    parser.add_argument(
        "--schema",
        default="head",
        help="bring the database's schema to this migration only (e.g. 0037, to time a "
        "baseline without later indexes on a --reuse database)",
    )
    parser.add_argument(
        "--seed-only", action="store_true", help="seed (or check the seed) and time nothing"
    )
    parser.add_argument(
        "--before-ref",
        help="time the inbox_page of this git revision (e.g. main) as the baseline, instead "
        "of the window count of every match that came before the counting cap",
    )
    parser.add_argument(
        "--only", action="append", default=[], help="time only cases whose name holds this"
    )
    parser.add_argument(
        "--statistics",
        choices=("full", "sampled", "none"),
        default="full",
        help="SQLite's planner statistics: full ANALYZE as after a bulk import (default), "
        "sampled as the pool's PRAGMA optimize gathers them, or none",
    )
    args = parser.parse_args()
    RUNS = args.runs
    ONLY.extend(args.only)
    if args.sqlite_file and not args.reuse and Path(args.sqlite_file).exists():
        parser.error(f"{args.sqlite_file} exists: pass --reuse, or remove it to seed it again")
    if args.before_ref:
        BEFORE = inbox_page_at(args.before_ref)
    on_each_database(
        lambda url, label: bench(
            url,
            label,
            args.items,
            args.learning,
            args.proposed,
            args.reuse,
            args.seed_only,
            args.schema,
            args.statistics,
        ),
        args.postgres,
        skip_sqlite=args.skip_sqlite,
        keep_postgres=args.reuse,
        sqlite_path=args.sqlite_file,
    )


if __name__ == "__main__":
    main()
