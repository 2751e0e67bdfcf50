"""Check that two SQLite databases hold the same items and give the same search answers.

Run:  python bench/compare_search_answers.py DATABASE DATABASE [--search WORDS]...
(exit status 1 on any difference; read-only). For a change to how the search index is
stored or written (FTS5 options, commits during an import): import the same file into a
database with each checkout, then compare. Compared: a checksum of every item's stored
columns (in id order; all but when it was stored and scored, the clock's), and for each
search the ids of the matching items, found through the index (FTS5, character grams) and
row by row (`per_row`), and their count.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import and_, create_engine, select  # noqa: E402

import testimonials.harvest.search as search  # noqa: E402  (its SQLite functions)
from testimonials.harvest.grams import sqlite_character_grams  # noqa: E402
from testimonials.harvest.models import FeedbackItem  # noqa: E402

# Short words (no trigram), words of three and more letters, two and three words, names,
# words in scripts without spaces (one and two characters among them), Arabic and Khmer,
# a number, a word no item holds, mixed case.
SEARCHES = (
    "ok",
    "we",
    "app",
    "bug",
    "invoice",
    "Support",
    "support team",
    "refund card bank",
    "Maria",
    "Kenji Tom",
    "Reviewer 12",
    "Reviewer",
    "料金",
    "予約",
    "毎",
    "サ",
    "使います",
    "とても 良い",
    "ល្អ",
    "សេវាកម្ម",
    "خدمة",
    "العيادة سريعة",
    "éq",
    "équipe",
    "Rechnung Termin",
    "314",
    "zzqx",
    "WEBHOOK zapier",
)


# When an item was stored and scored: the clock's, different in every import.
WHEN_STORED = ("received_at", "scored_at")


def item_checksum(connection: sqlite3.Connection) -> tuple[int, str]:
    """The number of items and a SHA-256 of every column of every item but WHEN_STORED,
    in id order."""
    columns = [
        row[1]
        for row in connection.execute("PRAGMA table_info(feedback_items)")
        if row[1] not in WHEN_STORED
    ]
    digest, count = hashlib.sha256(), 0
    listed = ", ".join(f'"{name}"' for name in columns)
    for row in connection.execute(f"SELECT {listed} FROM feedback_items ORDER BY id"):
        digest.update(repr(row).encode())
        count += 1
    return count, digest.hexdigest()


def answers(path: str, searches: tuple[str, ...]) -> dict[str, object]:
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    found: dict[str, object] = {}
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.create_function("feedback_character_grams", 2, sqlite_character_grams)
        found["items"] = item_checksum(driver)
        for words in searches:
            for per_row in (False, True):
                where = and_(*search.feedback_matches(words, per_row=per_row))
                ids = connection.scalars(
                    select(FeedbackItem.id).where(where).order_by(FeedbackItem.id)
                ).all()
                digest = hashlib.sha256(repr(list(ids)).encode()).hexdigest()[:16]
                found[f"{words!r} per_row={per_row}"] = (len(ids), digest)
    engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs=2, help="two SQLite files")
    parser.add_argument("--search", action="append", help="searches (default: a built-in set)")
    args = parser.parse_args()
    searches = tuple(args.search or SEARCHES)
    first, second = (answers(path, searches) for path in args.databases)
    different = 0
    for key, value in first.items():
        same = value == second[key]
        different += not same
        print(
            f"{'same' if same else 'DIFFERENT':9} {key}: {value}"
            + ("" if same else f" vs {second[key]}")
        )
    print(f"{len(first) - different} of {len(first)} the same")
    sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
