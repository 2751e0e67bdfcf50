"""What each index or trigger costs an import into a grown workspace, by CPU.

Run:  python bench/bench_import_indexes.py DATABASE [--rows 10000] [--variant NAME]...
(prints figures; not a timed test). DATABASE is a SQLite file or a PostgreSQL URL holding
`bench_import.py`'s "Bench Co" workspace grown by a real import (e.g. 1,000,000 rows); it is
never written: each variant runs on a copy (a file copy, or `CREATE DATABASE … TEMPLATE`),
in a process of its own. A variant drops one index or trigger (or changes one setting)
first; then --rows new reviews (another seed, other review ids) are imported in-process
with the scorer in the same process (workers=1) and the storing step's parts are timed by
CPU: `_store`, its items' insert, duplicate lookup, band keys, receivers, commits, and on
PostgreSQL the backend's CPU during `_store` (from /proc), and after the import the
backend's CPU to merge what the GIN indexes' pending lists still hold ("pending": work the
import leaves behind, larger when a variant lets the list grow longer). The difference to
"base" is that index's cost at that size. Variants: base, and those named in VARIANTS.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

# The copy's own setting, for every session (the storing one included).
WORK_MEM_64MB = (
    "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET work_mem = ''64MB''', "
    "current_database()); END $$"
)


SEARCH_COLUMNS = "text, author_name, author_company"


def _fts5_config(option: str, value: int, table: str = "feedback_search") -> str:
    return f"INSERT INTO {table} ({table}, rank) VALUES ('{option}', {value:d})"


def _rebuilt_search(options: str) -> list[str]:
    """Migration 0054's trigram table and triggers, created again with `options`, rebuilt,
    with 0056's automerge."""
    new = ", ".join(f"new.{c}" for c in SEARCH_COLUMNS.split(", "))
    old = ", ".join(f"old.{c}" for c in SEARCH_COLUMNS.split(", "))
    delete = f"INSERT INTO feedback_search(feedback_search, rowid, {SEARCH_COLUMNS}) "
    delete += f"VALUES ('delete', old.id, {old}); "
    insert = f"INSERT INTO feedback_search(rowid, {SEARCH_COLUMNS}) VALUES (new.id, {new}); "
    return [
        "DROP TRIGGER feedback_search_update",
        "DROP TRIGGER feedback_search_delete",
        "DROP TRIGGER feedback_search_insert",
        "DROP TABLE feedback_search",
        f"CREATE VIRTUAL TABLE feedback_search USING fts5({SEARCH_COLUMNS}, "
        f"content='feedback_items', content_rowid='id', tokenize='trigram'{options})",
        f"CREATE TRIGGER feedback_search_insert AFTER INSERT ON feedback_items BEGIN {insert}END",
        f"CREATE TRIGGER feedback_search_delete AFTER DELETE ON feedback_items BEGIN {delete}END",
        f"CREATE TRIGGER feedback_search_update AFTER UPDATE OF {SEARCH_COLUMNS} "
        f"ON feedback_items BEGIN {delete}{insert}END",
        "INSERT INTO feedback_search(feedback_search) VALUES ('rebuild')",
        _fts5_config("automerge", 8),
    ]


VARIANTS: dict[str, dict[str, list[str]]] = {  # name: {dialect: statements}
    "base": {"sqlite": [], "postgresql": []},
    "no_text_search": {
        "sqlite": ["DROP TRIGGER feedback_search_insert"],
        "postgresql": ["DROP INDEX ix_feedback_items_text_trgm"],
    },
    "fts5_automerge_4": {
        "sqlite": ["INSERT INTO feedback_search (feedback_search, rank) VALUES ('automerge', 4)"]
    },
    "fts5_automerge_8": {
        "sqlite": ["INSERT INTO feedback_search (feedback_search, rank) VALUES ('automerge', 8)"]
    },
    "no_grams": {
        "sqlite": ["DROP TRIGGER feedback_grams_insert"],
        "postgresql": ["DROP INDEX ix_feedback_grams_grams"],
    },
    "no_content_hash": {
        "sqlite": ["DROP INDEX ix_feedback_items_workspace_hash"],
        "postgresql": ["DROP INDEX ix_feedback_items_workspace_hash"],
    },
    "no_suspicion": {
        "sqlite": ["DROP INDEX ix_feedback_items_workspace_suspicion"],
        "postgresql": ["DROP INDEX ix_feedback_items_workspace_suspicion"],
    },
    "no_rank_indexes": {
        dialect: ["DROP INDEX ix_testimonials_inbox", "DROP INDEX ix_testimonials_workspace_rank"]
        for dialect in ("sqlite", "postgresql")
    },
    "no_trigram_indexes": {
        "postgresql": [
            f"DROP INDEX ix_feedback_items_{column}_trgm"
            for column in ("text", "author_name", "author_company")
        ]
    },
    "one_trigram_index": {
        "postgresql": [
            *(
                f"DROP INDEX ix_feedback_items_{column}_trgm"
                for column in ("text", "author_name", "author_company")
            ),
            "CREATE INDEX ix_feedback_items_searched_trgm ON feedback_items USING gin "
            "((coalesce(text, '') || E'\\n' || coalesce(author_name, '') || E'\\n' "
            "|| coalesce(author_company, '')) gin_trgm_ops)",
        ]
    },
    "gin_larger_batches": {
        "postgresql": [
            "ALTER INDEX ix_feedback_items_text_trgm SET (gin_pending_list_limit = 32768)",
            WORK_MEM_64MB,
        ]
    },
    "gin_pending_32mb": {
        "postgresql": [
            "ALTER INDEX ix_feedback_items_text_trgm SET (gin_pending_list_limit = 32768)"
        ]
    },
    "work_mem_64mb": {"postgresql": [WORK_MEM_64MB]},
    # The referential checks a stored item and its testimonial pay (one query each, per row).
    "no_foreign_keys": {
        "postgresql": [
            "ALTER TABLE feedback_items DROP CONSTRAINT fk_feedback_items_workspace_id_workspaces",
            "ALTER TABLE feedback_items DROP CONSTRAINT fk_feedback_items_import_id_imports",
            "ALTER TABLE testimonials DROP CONSTRAINT fk_testimonials_item_id_feedback_items",
            "ALTER TABLE testimonials DROP CONSTRAINT fk_testimonials_workspace_id_workspaces",
        ]
    },
    "no_nps_insert_trigger": {
        "postgresql": ["DROP TRIGGER nps_counts_answer_insert ON feedback_items"]
    },
    "gin_fastupdate_off": {
        "postgresql": ["ALTER INDEX ix_feedback_items_text_trgm SET (fastupdate = off)"]
    },
    # FTS5's pending-term hash (default 1 MB): a segment is written at each commit or when
    # the hash outgrows this, whichever comes first.
    "fts5_hashsize_8m": {"sqlite": [_fts5_config("hashsize", 8 * 1024 * 1024)]},
    # FTS5's default, as before migration 0058 set 8 MB: that migration's cost or gain on a
    # database that already has it.
    "fts5_hashsize_1m": {"sqlite": [_fts5_config("hashsize", 1024 * 1024)]},
    # The trigram table rebuilt as one segment, as it is and without its docsize table:
    # compare these two with each other, not with base (whose index has many segments).
    "fts5_rebuilt": {"sqlite": _rebuilt_search("")},
    "fts5_rebuilt_columnsize_0": {"sqlite": _rebuilt_search(", columnsize=0")},
    # Without positions: trigrams give candidates (no phrase queries), each row checked.
    "fts5_rebuilt_detail_none": {"sqlite": _rebuilt_search(", detail=none")},
    "fts5_rebuilt_detail_column": {"sqlite": _rebuilt_search(", detail=column")},
}
# Variants that commit the import every N chunks instead of every chunk (their statements,
# if any, are in VARIANTS under the name without the suffix `_commit_N`).
COMMIT_EVERY = (2, 5, 10)
for _every in COMMIT_EVERY:
    VARIANTS[f"base_commit_{_every}"] = VARIANTS["base"]
    VARIANTS[f"fts5_hashsize_8m_commit_{_every}"] = VARIANTS["fts5_hashsize_8m"]


def commits_every(variant: str) -> int:
    """How many chunks the variant's import stores between two commits."""
    name, _, every = variant.rpartition("_commit_")
    return int(every) if name and every.isdigit() else 1


# PostgreSQL: merge every GIN index's pending list into the index (pending work of the import).
PENDING_MERGE = (
    "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
    "WHERE a.amname = 'gin'"
)


def fresh_file(path: Path, rows: int) -> None:
    """`rows` reviews from bench_import's generator, another seed, ids the import lacks."""
    import bench_import

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(bench_import.HEADER)
        for row in bench_import.review_rows(rows, seed=99):
            row[0] = "x" + str(row[0])[1:]
            row[4] = row[4].isoformat()  # type: ignore[attr-defined]
            writer.writerow(row)


def _psql(database: str, statement: str) -> None:
    command = ["psql", "-qX", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-c"]
    subprocess.run([*command, statement], check=True, capture_output=True)


def _copy(database: str, variant: str) -> tuple[str, Callable[[], None]]:
    """A copy of the database with the variant applied: its URL and how to remove it."""
    if database.startswith("postgresql"):
        base, name = database.rsplit("/", 1)
        copy = f"{name}_v{os.getpid()}"
        _psql("postgres", f"CREATE DATABASE {copy} TEMPLATE {name}")
        for statement in VARIANTS[variant].get("postgresql", []):
            _psql(copy, statement)
        _psql(copy, "VACUUM ANALYZE")
        return f"{base}/{copy}", lambda: _psql("postgres", f"DROP DATABASE {copy}")
    import sqlite3

    path = Path(database).with_name(f"variant-{os.getpid()}.sqlite3")
    shutil.copyfile(database, path)
    connection = sqlite3.connect(path)
    for statement in VARIANTS[variant].get("sqlite", []):
        connection.execute(statement)
    connection.commit()
    connection.close()

    def remove() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return f"sqlite:///{path}", remove


def run_variant(database: str, variant: str, reviews: Path) -> None:
    """Import `reviews` into a copy with `variant` applied; print the parts' CPU seconds."""
    from testimonials import create_app
    from testimonials.accounts import services as accounts
    from testimonials.db import database_for, get_session
    from testimonials.harvest import bulk_intake
    from testimonials.harvest.imports import services
    from testimonials.harvest.intake import intake_scorer_for

    seconds: dict[str, float] = {}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.process_time() - started

        return wrapper

    intake: Any = bulk_intake
    store = intake.BulkIntake._store
    tick = os.sysconf("SC_CLK_TCK")

    def backend_seconds(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    def store_and_server(self: Any, *args: Any) -> None:
        if self.session.connection().dialect.name != "postgresql":
            return store(self, *args)
        from sqlalchemy import text

        pid = self.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        before = backend_seconds(pid)
        try:
            return store(self, *args)
        finally:
            seconds["server"] = seconds.get("server", 0.0) + backend_seconds(pid) - before

    intake.BulkIntake._store = timed("store", store_and_server)
    intake.BulkIntake._duplicates = timed("duplicates", intake.BulkIntake._duplicates)
    for name in ("insert_rows", "index_items", "fold_recent_keys", "refresh_sqlite_statistics"):
        setattr(intake, name, timed(name, getattr(intake, name)))
    intake.signals.feedback_imported.send = timed(
        "receivers", intake.signals.feedback_imported.send
    )

    url, remove = _copy(database, variant)
    try:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ENV": "development"})
        with app.app_context():
            session = get_session()
            workspace_id = accounts.find_workspace(session, "bench-co").id
            every, chunks = commits_every(variant), 0

            def commit_now(_run: Any) -> None:
                nonlocal chunks
                chunks += 1
                if chunks % every == 0:
                    session.commit()

            commit = timed("commits", commit_now)
            with reviews.open("rb") as stream:
                run = services.import_reviews(
                    session,
                    workspace_id,
                    stream,
                    reviews.name,
                    "Bench",
                    intake_scorer_for(app),
                    workers=1,
                    checkpoint=commit,
                )
            timed("commits", session.commit)()  # the last chunks' (every chunk's: nothing)
            if session.connection().dialect.name == "postgresql":
                # What the GIN indexes' pending lists still hold is work the import owes
                # (a longer list defers more of it): merged here, its server CPU apart.
                from sqlalchemy import text

                pid: int = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
                before = backend_seconds(pid)
                session.execute(text(PENDING_MERGE))
                session.commit()
                seconds["pending"] = backend_seconds(pid) - before
            session.close()
        database_for(app).engine.dispose()
    finally:
        remove()
    seconds["store+commits"] = seconds.get("store", 0.0) + seconds.get("commits", 0.0)
    parts = "  ".join(f"{name} {value:.2f}" for name, value in seconds.items())
    print(f"{variant:18} added {run.rows_added:,}  CPU s: {parts}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="a SQLite file or a PostgreSQL URL (never written)")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a variant, in this process
    parser.add_argument("--reviews", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_variant(args.database, args.one, Path(args.reviews))
        return
    dialect = "postgresql" if args.database.startswith("postgresql") else "sqlite"
    variants = args.variant or [name for name in VARIANTS if dialect in VARIANTS[name]]
    with tempfile.TemporaryDirectory() as folder:
        reviews = Path(folder) / "fresh.csv"
        fresh_file(reviews, args.rows)
        for variant in variants:
            command = [sys.executable, __file__, args.database, "--one", variant]
            subprocess.run([*command, "--reviews", str(reviews)], check=True)


if __name__ == "__main__":
    main()
