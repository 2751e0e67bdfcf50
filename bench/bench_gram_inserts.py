"""Benchmark what SQLite's character-gram triggers (migration 0050) add to inserting items.

Run:  python bench/bench_gram_inserts.py [--items 2000] [--rounds 5]
(prints figures; not a timed test). In a temporary SQLite file at the migrations' head,
inserts --items feedback items at a time (one executemany, as the inbox bench seeds them),
English and Japanese text from bench_inbox's sentences, with the gram triggers in place
and then dropped, in interleaved rounds; each batch is rolled back, so every batch meets
the same table. Prints the median µs an item of each, side by side.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from inbox_seed import SENTENCES, _item_row  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from testimonials import migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.db import make_engine  # noqa: E402
from testimonials.harvest.models import FeedbackItem  # noqa: E402

TRIGGERS = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'feedback_grams_%'"
)


def batch(rng: random.Random, workspace_id: int, language: str, items: int, start: int) -> list:
    rows = []
    for n in range(start, start + items):
        row = _item_row(rng, workspace_id, n)
        row["text"] = " ".join(rng.choice(SENTENCES[language]) for _ in range(3))
        row["language"] = language
        rows.append(row)
    return rows


def timed_insert(session: Session, rows: list[dict]) -> float:
    """µs an item to insert `rows` (then rolled back)."""
    started = time.perf_counter()
    session.execute(FeedbackItem.__table__.insert(), rows)
    elapsed = time.perf_counter() - started
    session.rollback()
    return elapsed * 1e6 / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/grams.sqlite3"
        migrate.upgrade(url, "head")
        engine = make_engine(url)
        with Session(engine) as session:
            workspace_id = accounts.create_workspace(session, "Bench Co").id
            session.commit()
            triggers = session.execute(text(TRIGGERS)).all()
            assert triggers, "no gram triggers: is migration 0050 applied?"
            timings: dict[tuple[str, bool], list[float]] = {}
            for round_number in range(args.rounds):
                for language in ("en", "ja"):
                    for with_triggers in (True, False):
                        for name, sql in triggers:
                            session.execute(text(f'DROP TRIGGER IF EXISTS "{name}"'))
                            if with_triggers:
                                session.execute(text(sql))
                        session.commit()
                        start = (round_number * 4 + len(timings)) * args.items
                        rows = batch(rng, workspace_id, language, args.items, start)
                        took = timed_insert(session, rows)
                        timings.setdefault((language, with_triggers), []).append(took)
            for name, sql in triggers:
                session.execute(text(f'DROP TRIGGER IF EXISTS "{name}"'))
                session.execute(text(sql))
            session.commit()
        engine.dispose()
    print(f"µs an item, median of {args.rounds} interleaved rounds of {args.items:,} items")
    print(f"    {'text':10} {'no gram triggers':>17} {'gram triggers':>14}  ratio")
    for language in ("en", "ja"):
        without = statistics.median(timings[(language, False)])
        with_ = statistics.median(timings[(language, True)])
        print(f"    {language:10} {without:17.1f} {with_:14.1f}  {with_ / without:.2f}x")


if __name__ == "__main__":
    main()
