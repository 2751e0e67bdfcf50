"""Benchmark the near-duplicate index: the database's (shared) against the in-memory one.

Run:  python bench/bench_duplicate_index.py [--items 100000]
          [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_dups]
(prints figures; not a test). The PostgreSQL database named is emptied first.

Web processes used to keep one in-memory index per busy workspace (one copy per process);
the app now asks the database's band-key table (testimonials.harvest.near_duplicates). For
the same stored items and queries (templated copies with one word changed, new texts) this
prints what each finds (they must agree), the cost per query (the database's answered in
batches of 1,000, as an import chunk asks), and the memory or storage per item.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_import import ENGLISH, synthetic_review  # noqa: E402
from on_databases import on_each_database  # noqa: E402
from sqlalchemy import text  # noqa: E402

from testimonials import migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.bulk_insert import insert_rows  # noqa: E402
from testimonials.db import make_engine  # noqa: E402
from testimonials.harvest.intake import NewFeedback, item_values  # noqa: E402
from testimonials.harvest.models import Channel, FeedbackItem  # noqa: E402
from testimonials.harvest.near_duplicates import find_duplicates, index_items  # noqa: E402
from testimonials.scoring import DuplicateIndex  # noqa: E402
from testimonials.scoring.duplicates import fingerprints  # noqa: E402

BATCH = 1000


def resident_mb() -> float:
    """This process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def make_texts(items: int) -> tuple[list[str], dict[str, list[str]]]:
    """Stored texts, and queries: near-duplicates (one word changed) and new texts."""
    rng = random.Random(7)
    texts = [synthetic_review(rng, ENGLISH) for _ in range(items)]
    near = []
    for original in rng.sample(texts, 2000):
        words = original.split()
        words[len(words) // 2] = "Zanzibar"
        near.append(" ".join(words))
    fresh = [synthetic_review(rng, ENGLISH) for _ in range(2000)]
    return texts, {"near-duplicate": near, "new text": fresh}


def bench_memory(stored: list[tuple[str, list[int]]], queries: dict) -> dict[str, list]:
    before = resident_mb()
    started = time.perf_counter()
    index = DuplicateIndex.from_signatures(
        (item_id, signature, digest) for item_id, (digest, signature) in enumerate(stored, 1)
    )
    build = time.perf_counter() - started
    grown = resident_mb() - before
    print(
        f"in memory:  build {build:5.2f} s; {grown:.0f} MB "
        f"({grown * 2**20 / len(stored):,.0f} bytes an item, in every web process)"
    )
    answers = {}
    for label, prints in queries.items():
        times, found = [], []
        for digest, signature in prints:
            t0 = time.perf_counter()
            found.append(index.query_signature(signature, digest))
            times.append((time.perf_counter() - t0) * 1e6)
        answers[label] = found
        print(
            f"in memory:  {label:14} median {statistics.median(times):6.1f} µs a query; "
            f"matched {sum(1 for f in found if f)}/{len(found)}"
        )
    return answers


def bench_database(url: str, label: str, stored: list, queries: dict, expected: dict) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        from sqlalchemy.orm import Session

        session = Session(bind=connection)
        workspace = accounts.create_workspace(session, "Bench Co")
        size_before = _size(session, url)
        started = time.perf_counter()
        for start in range(0, len(stored), BATCH):
            part = stored[start : start + BATCH]
            rows = [
                item_values(
                    workspace.id,
                    NewFeedback(text="(bench)", channel=Channel.IMPORT, source_name="b"),
                    digest,
                    signature,
                    None,
                )
                for digest, signature in part
            ]
            ids = insert_rows(session, FeedbackItem, rows, returning_ids=True)
            index_items(session, workspace.id, list(zip(ids, [s for _d, s in part], strict=True)))
        session.commit()
        build = time.perf_counter() - started
        first_id = ids[-1] - len(stored) + 1
        grown = _size(session, url) - size_before
        print(
            f"{label}: build {build:5.1f} s (items and keys inserted); "
            f"{grown * 2**20 / len(stored):,.0f} bytes an item on disk (items' rows included), "
            "0 in web processes"
        )
        for kind, prints in queries.items():
            found: list = []
            started = time.perf_counter()
            for start in range(0, len(prints), BATCH):
                batch = [(s, d, None) for d, s in prints[start : start + BATCH]]
                found += find_duplicates(session, workspace.id, batch)
            per_query = (time.perf_counter() - started) / len(prints) * 1e6
            # The in-memory index numbered items from 1; the database from first_id.
            same = [
                [(m.item_id - first_id + 1, m.similarity, m.exact) for m in matches]
                for matches in found
            ] == [
                [(m.item_id, m.similarity, m.exact) for m in matches] for matches in expected[kind]
            ]
            print(
                f"{label}: {kind:14} {per_query:6.1f} µs a query in batches of {BATCH:,}; "
                f"matched {sum(1 for f in found if f)}/{len(found)}; "
                f"same matches as in memory: {'yes' if same else 'NO'}"
            )
        session.close()
    engine.dispose()


def _size(session: object, url: str) -> float:
    if url.startswith("sqlite"):
        return os.path.getsize(url.removeprefix("sqlite:///")) / 2**20
    size = session.scalar(text("SELECT pg_database_size(current_database())"))  # type: ignore[attr-defined]
    return size / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    texts, query_texts = make_texts(args.items)
    stored = fingerprints(texts)
    queries = {label: fingerprints(group) for label, group in query_texts.items()}
    print(f"{args.items:,} signatures made in {time.perf_counter() - started:.1f} s")
    expected = bench_memory(stored, queries)
    on_each_database(
        lambda url, label: bench_database(url, label, stored, queries, expected),
        args.postgres,
        args.skip_sqlite,
    )


if __name__ == "__main__":
    main()
