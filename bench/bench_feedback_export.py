"""Benchmark the CSV export of 100,000 harvested items, on SQLite and PostgreSQL.

Run: python bench/bench_feedback_export.py [--items 100000] [--postgres URL]
     (or set TESTIMONIALS_BENCH_POSTGRES_URL). Prints figures; not a timed test.

The PostgreSQL database given is EMPTIED (its public schema is dropped and re-made by
the migrations), so point it at a scratch database. SQLite runs in a temporary file.

Prints, per database: seeding time, then for the whole GET /api/v1/feedback/export.csv
request (read through the test client chunk by chunk, as a browser would, never held
whole): rows/s and MB/s (median of several runs), and the peak Python memory allocated
while exporting (tracemalloc, a separate run: tracing slows Python down), for the whole
workspace and for a channel + date filter.

Data: 60% of the items have a comment (some Khmer, Arabic and emoji) and so an inbox
entry; two thirds of those carry 1-3 of 20 tags and a third were approved or rejected;
specificity and suspicion are filled in. A neighbouring workspace holds a fifth as many.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from on_databases import on_each_database  # noqa: E402
from sqlalchemy import insert, select, text, update  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.accounts.models import Scope  # noqa: E402
from testimonials.curation.models import Testimonial, testimonial_tags  # noqa: E402
from testimonials.curation.tags import create_tag  # noqa: E402
from testimonials.db import database_for  # noqa: E402
from testimonials.harvest.intake import NewFeedback, record_feedback_batch  # noqa: E402
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem  # noqa: E402

SCORES = [10] * 25 + [9] * 25 + [8] * 18 + [7] * 12 + [6] * 8 + [5] * 5 + [3] * 4 + [0] * 3
COMMENTS = [
    "Booking the clinic took two minutes and the reminder text saved my appointment.",
    "The new calendar view is much faster than the old one; our front desk loves it.",
    "សេវាកម្មល្អណាស់ ហើយបុគ្គលិកជួយយ៉ាងរហ័ស",
    "خدمة ممتازة، والحجز عبر الهاتف سهل جداً. شكراً لكم",
    "Support answered in 5 minutes 🎉 and fixed the invoice export for us 👍🏽",
    '=HYPERLINK("http://example.com") good product',
    "Too expensive for a small practice, and the SMS credits run out quickly.",
]
RUNS = 3
TAGS = 20


def _seed(app, items: int) -> tuple[int, str, float]:
    """Seed a workspace with `items` items (and a neighbour with a fifth as many)."""
    rng = random.Random(42)
    session = database_for(app).sessionmaker()
    workspace = accounts.create_workspace(session, "Bench Co")
    neighbour = accounts.create_workspace(session, "Neighbour Co")
    key = accounts.create_api_key(session, workspace.id, "bench", Scope.READ)
    session.commit()
    end = datetime(2026, 6, 30, tzinfo=UTC)
    started = time.perf_counter()
    for workspace_id, count in ((workspace.id, items), (neighbour.id, items // 5)):
        batch = []
        for n in range(count):
            received = end - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            commented = rng.random() < 0.6
            batch.append(
                NewFeedback(
                    text=f"{rng.choice(COMMENTS)} (#{n})" if commented else "",
                    channel=rng.choice(list(Channel)),
                    source_name="bench",
                    external_id=f"r-{n}",
                    nps_score=rng.choice(SCORES),
                    author_name=f"Customer {n}" if commented else None,
                    author_email=f"customer{n}@example.com",
                    author_company="Clinic Ltd" if n % 3 == 0 else None,
                    language="en",
                    country=rng.choice(["GB", "US", "KH", "EG", None]),
                    consent_state=ConsentState.GRANTED if n % 2 else ConsentState.NOT_ASKED,
                    received_at=received,
                    submitted_at=received - timedelta(hours=rng.randrange(72)) if n % 2 else None,
                )
            )
            if len(batch) == 5000:
                record_feedback_batch(session, workspace_id, batch)  # no scorer: speed
                session.commit()
                batch = []
        if batch:
            record_feedback_batch(session, workspace_id, batch)
            session.commit()
        _curate(session, workspace_id, rng)
    session.execute(
        update(FeedbackItem).values(
            specificity=(FeedbackItem.id % 100) / 100.0, suspicion=(FeedbackItem.id % 7) / 10.0
        )
    )
    session.commit()
    seconds = time.perf_counter() - started
    session.close()
    return workspace.id, key.token, seconds


def _curate(session, workspace_id: int, rng: random.Random) -> None:
    """Tag two thirds of the inbox entries and decide a third of them."""
    tag_ids = [create_tag(session, workspace_id, f"Tag {n}").id for n in range(TAGS)]
    testimonial_ids = session.scalars(
        select(Testimonial.id).where(Testimonial.workspace_id == workspace_id)
    ).all()
    links = [
        {"testimonial_id": testimonial_id, "tag_id": tag_id}
        for testimonial_id in testimonial_ids
        if rng.random() < 2 / 3
        for tag_id in set(rng.choices(tag_ids, k=rng.randint(1, 3)))
    ]
    if links:
        session.execute(insert(testimonial_tags), links)
    for status, remainder in (("approved", 1), ("rejected", 2)):
        session.execute(
            update(Testimonial)
            .where(Testimonial.workspace_id == workspace_id, Testimonial.id % 9 == remainder)
            .values(status=status)
        )
    session.commit()


def _download(client, headers, query: str) -> tuple[int, int]:
    """GET the export and read it chunk by chunk; (rows, bytes)."""
    response = client.get(f"/api/v1/feedback/export.csv?{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    size = lines = 0
    for chunk in response.response:
        data = chunk if isinstance(chunk, bytes) else chunk.encode()
        size += len(data)
        lines += data.count(b"\r\n")
    response.close()
    return lines - 1, size  # less the header (no comment in the bench has a line break)


def bench(url: str, label: str, items: int) -> None:
    """Seed a fresh database at `url` and print the export's figures."""
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ENV": "development"})
    _workspace_id, token, seed_seconds = _seed(app, items)
    print(
        f"\n{label}: seeded {items:,} items (+{items // 5:,} in another workspace) in "
        f"{seed_seconds:.1f} s"
    )
    with database_for(app).engine.begin() as connection:
        for table in ("feedback_items", "testimonials", "testimonial_tags", "tags"):
            connection.execute(text(f"ANALYZE {table}"))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for name, query in (
        ("whole workspace", ""),
        ("channel=api&from=2025-07-01", "channel=api&from=2025-07-01"),
    ):
        _download(client, headers, query)  # warm up caches and the connection pool
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            rows, size = _download(client, headers, query)
            timings.append(time.perf_counter() - started)
        seconds = statistics.median(timings)
        tracemalloc.start()
        _download(client, headers, query)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"  {name:<28} {rows:>7,} rows  {size / 1e6:6.1f} MB  {seconds:5.2f} s  "
            f"{rows / seconds:8,.0f} rows/s  {size / 1e6 / seconds:5.1f} MB/s  "
            f"peak Python memory {peak / 1e6:5.1f} MB  (median of {RUNS})"
        )
    database_for(app).engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    on_each_database(lambda url, label: bench(url, label, args.items), args.postgres)


if __name__ == "__main__":
    main()
