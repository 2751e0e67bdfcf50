"""SQLite: what the FTS5 search tables alone cost an import's rows, by CPU, per setting.

Run:  python bench/bench_search_index_writes.py DATABASE [--rows 10000] [--rounds 2]
          [--variant NAME]...
(prints figures; not a timed test). DATABASE is a SQLite file grown by real imports
(`bench_import.py`'s workspace); it is never written: each variant runs on a copy, in a
process of its own, variants alternating round by round. A variant changes one FTS5
setting (or rebuilds the trigram table with other options) on its copy; then `--rows`
reviews from `bench_import.py`'s generator (another seed) are written into the trigram
table `feedback_search` and the character grams' table `feedback_grams_fts` exactly as the
insert triggers write them (rowids past the last item), committed every `commit_every` rows
as an import commits its chunks, and the CPU of those statements and commits is printed.
Two more kinds of variant: `stale_statistics` puts back the planner statistics migration
0061 removed (the index analysed empty), and `one_by_one` commits each row alone, as single
answers are stored. `bench_import_indexes.py` measures the same inside a whole import
(scoring, duplicates and the other indexes around it); this leaves them out, so a
setting's difference is not lost in their noise on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_import_indexes import _fts5_config, _rebuilt_search  # noqa: E402

from testimonials.harvest.imports.services import CHUNK_ROWS  # noqa: E402

STALE_STATISTICS = [
    "ANALYZE feedback_search_config",  # makes sqlite_stat1 if the file has none
    "DELETE FROM sqlite_stat1 WHERE tbl = 'feedback_search_data'",
    "INSERT INTO sqlite_stat1 VALUES ('feedback_search_data', NULL, '2')",
    "ANALYZE sqlite_schema",  # the planner reads them again
]

# name: (statements on the copy, rows between commits)
VARIANTS: dict[str, tuple[list[str], int]] = {
    "base": ([], CHUNK_ROWS),
    "commit_5000": ([], 5 * CHUNK_ROWS),
    "commit_10000": ([], 10 * CHUNK_ROWS),
    "hashsize_8m": ([_fts5_config("hashsize", 8 * 1024 * 1024)], CHUNK_ROWS),
    "hashsize_8m_commit_5000": ([_fts5_config("hashsize", 8 * 1024 * 1024)], 5 * CHUNK_ROWS),
    "hashsize_16m_commit_10000": (
        [_fts5_config("hashsize", 16 * 1024 * 1024)],
        10 * CHUNK_ROWS,
    ),
    "hashsize_4m": ([_fts5_config("hashsize", 4 * 1024 * 1024)], CHUNK_ROWS),
    "hashsize_16m": ([_fts5_config("hashsize", 16 * 1024 * 1024)], CHUNK_ROWS),
    "hashsize_8m_both": (
        [
            _fts5_config("hashsize", 8 * 1024 * 1024),
            _fts5_config("hashsize", 8 * 1024 * 1024, "feedback_grams_fts"),
        ],
        CHUNK_ROWS,
    ),
    "rebuilt": (_rebuilt_search(""), CHUNK_ROWS),
    "rebuilt_hashsize_8m": (
        [*_rebuilt_search(""), _fts5_config("hashsize", 8 * 1024 * 1024)],
        CHUNK_ROWS,
    ),
    "rebuilt_columnsize_0_hashsize_8m": (
        [*_rebuilt_search(", columnsize=0"), _fts5_config("hashsize", 8 * 1024 * 1024)],
        CHUNK_ROWS,
    ),
    "rebuilt_columnsize_0": (_rebuilt_search(", columnsize=0"), CHUNK_ROWS),
    # What migration 0057 left a new database with until 0061 (the index's 2 rows when it
    # was analysed empty): FTS5's merge deletes planned as scans of the whole index.
    "stale_statistics": (STALE_STATISTICS, CHUNK_ROWS),
    # Single answers, one transaction each, as the hosted survey and the API store them.
    "one_by_one": ([], 1),
    "one_by_one_stale_statistics": (STALE_STATISTICS, 1),
}


def run_variant(database: str, variant: str, rows: int) -> None:
    import bench_import

    from testimonials.harvest.grams import sqlite_character_grams

    statements, every = VARIANTS[variant]
    copy = Path(database).with_name(f"writes-{os.getpid()}.sqlite3")
    shutil.copyfile(database, copy)
    try:
        connection = sqlite3.connect(copy, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        for statement in statements:
            connection.execute(statement)
        first = connection.execute("SELECT max(id) FROM feedback_items").fetchone()[0] + 1
        texts = [(row[1], row[3]) for row in bench_import.review_rows(rows, seed=99)]
        # The grams as the insert trigger's function gives them (not timed: Python's part).
        item_grams = [sqlite_character_grams(text, f"{name} ") for text, name in texts]
        search = (
            "INSERT INTO feedback_search(rowid, text, author_name, author_company) "
            "VALUES (?, ?, ?, NULL)"
        )
        # Plain inserts, no INSERT … SELECT: a statement that opens a savepoint makes FTS5
        # flush its pending terms (what the items' multi-row insert does once a chunk).
        grams = "INSERT INTO feedback_grams_fts(rowid, grams) VALUES (?, ?)"
        seconds = {"search": 0.0, "grams": 0.0, "commits": 0.0}
        for start in range(0, rows, every):
            connection.execute("BEGIN")
            for chunk in range(start, min(start + every, rows), CHUNK_ROWS):
                end = min(chunk + CHUNK_ROWS, start + every, rows)
                batch = [(first + i, *texts[i]) for i in range(chunk, end)]
                started = time.process_time()
                connection.executemany(search, batch)
                seconds["search"] += time.process_time() - started
                started = time.process_time()
                connection.executemany(
                    grams,
                    [
                        (rowid, item_grams[rowid - first])
                        for rowid, *_ in batch
                        if item_grams[rowid - first]
                    ],
                )
                seconds["grams"] += time.process_time() - started
            started = time.process_time()
            connection.execute("COMMIT")
            seconds["commits"] += time.process_time() - started
        segments = connection.execute(
            "SELECT count(*) FROM feedback_search_data WHERE id > 10"
        ).fetchone()[0]
        connection.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    total = sum(seconds.values())
    parts = "  ".join(f"{name} {value:.3f}" for name, value in seconds.items())
    print(
        f"{variant:26} {rows:,} rows  CPU s: {parts}  total {total:.3f} "
        f"({total / rows * 1000:.4f} ms a row)  FTS5 data rows {segments:,}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="a SQLite file (never written)")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a variant, in this process
    args = parser.parse_args()
    if args.one:
        run_variant(args.database, args.one, args.rows)
        return
    variants = args.variant or list(VARIANTS)
    print(f"load {os.getloadavg()[0]:.1f}", flush=True)
    for _round in range(args.rounds):
        for variant in variants:
            command = [sys.executable, __file__, args.database, "--one", variant]
            subprocess.run([*command, "--rows", str(args.rows)], check=True)
    print(f"load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
