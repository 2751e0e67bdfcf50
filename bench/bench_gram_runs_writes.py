"""Benchmark what the character runs (migration 0059) add to storing items on PostgreSQL.

Run:  python bench/bench_gram_runs_writes.py --postgres URL [--items 2000] [--rounds 5]
          [--before-ref main]
(prints figures; not a timed test). Two databases named after URL's (`_w58`, `_w59`) are
EMPTIED and brought to migration 0058 and to head. Each round, in each database in turn,
--items feedback items (Japanese, then English text from bench_inbox's sentences, three a
review) are stored both ways an item arrives, each batch rolled back:
- `trigger`: COPY (`insert_rows`), the row trigger computing the grams (and, at head, the
  runs) in SQL, as for any insert outside an import;
- `import`: COPY inside `grams_given_by_caller`, then `store_character_grams`: today's at
  head, --before-ref's (loaded from git) at 0058, as a bulk import stores them.
Prints the median µs an item (wall time of the statements, before the rollback; the
client's CPU, and the server backend's from /proc) of each, before and after, and the
ratios.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_gram_inserts import batch  # noqa: E402
from bench_inbox_cpu import backend_ticks  # noqa: E402
from inbox_baselines import _module_at  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from testimonials import migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.bulk_insert import insert_rows  # noqa: E402
from testimonials.db import make_engine  # noqa: E402
from testimonials.harvest import grams  # noqa: E402
from testimonials.harvest.models import FeedbackItem  # noqa: E402
from testimonials.migrate import empty_postgres_database  # noqa: E402

Store = Callable[..., None]


def stored(session: Session, workspace_id: int, rows: list[dict], store: Store | None) -> tuple:
    """(wall µs, client CPU µs, server CPU µs) an item to store `rows` (then rolled back);
    `store` None: the trigger computes the grams."""
    backend = session.scalar(text("SELECT pg_backend_pid()"))
    ticks = backend_ticks(backend)
    started, cpu = time.perf_counter(), time.process_time()
    if store is None:
        insert_rows(session, FeedbackItem, rows, returning_ids=True)
    else:
        with grams.grams_given_by_caller(session):
            ids = insert_rows(session, FeedbackItem, rows, returning_ids=True)
        given = [
            (i, r["text"], r["author_name"], r.get("author_company"))
            for i, r in zip(ids, rows, strict=True)
        ]
        store(session, workspace_id, given)
    session.flush()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    server = (backend_ticks(backend) - ticks) / os.sysconf("SC_CLK_TCK")
    session.rollback()
    return wall * 1e6 / len(rows), cpu * 1e6 / len(rows), server * 1e6 / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before-ref", default="main")
    args = parser.parse_args()
    old = _module_at(args.before_ref, "testimonials/harvest/grams.py", "grams_before", {})
    base = make_url(args.postgres)
    schemas = {"0058": old.store_character_grams, "head": grams.store_character_grams}
    sessions = {}
    for revision, suffix in (("0058", "w58"), ("head", "w59")):
        url = base.set(database=f"{base.database}_{suffix}")
        rendered = url.render_as_string(hide_password=False)
        empty_postgres_database(rendered)
        migrate.upgrade(rendered, revision)
        session = Session(make_engine(rendered))
        workspace_id = accounts.create_workspace(session, "Bench Co").id
        session.commit()
        sessions[revision] = (session, workspace_id)
    rng = random.Random(7)
    timings: dict[tuple, list[tuple[float, float]]] = {}
    for round_number in range(args.rounds):
        for language in ("ja", "en"):
            for way in ("trigger", "import"):
                for revision, store in schemas.items():
                    session, workspace_id = sessions[revision]
                    start = (round_number * 8 + len(timings)) * args.items
                    rows = batch(rng, workspace_id, language, args.items, start)
                    took = stored(session, workspace_id, rows, store if way == "import" else None)
                    timings.setdefault((language, way, revision), []).append(took)
    for session, _workspace_id in sessions.values():
        session.close()
    print(f"µs an item (wall / client CPU / server CPU), median of {args.rounds} interleaved")
    print(f"rounds of {args.items:,} items; before: migration 0058 and {args.before_ref}'s store")
    print(f"    {'text':5} {'way':8} {'before':>23} {'after':>23}  wall, server CPU ratio")
    for language in ("ja", "en"):
        for way in ("trigger", "import"):
            before = [
                statistics.median(t) for t in zip(*timings[(language, way, "0058")], strict=True)
            ]
            after = [
                statistics.median(t) for t in zip(*timings[(language, way, "head")], strict=True)
            ]
            print(
                f"    {language:5} {way:8} {before[0]:7.1f} / {before[1]:5.1f} / {before[2]:5.1f} "
                f"{after[0]:7.1f} / {after[1]:5.1f} / {after[2]:5.1f}  "
                f"{after[0] / before[0]:.2f}x, {after[2] / before[2]:.2f}x"
            )


if __name__ == "__main__":
    main()
