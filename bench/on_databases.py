"""Run a benchmark on a fresh SQLite file, then on the PostgreSQL database given (emptied)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from testimonials.migrate import empty_postgres_database


def on_each_database(
    bench: Callable[[str, str], None],
    postgres_url: str | None,
    skip_sqlite: bool = False,
    keep_postgres: bool = False,
    sqlite_file: str | None = None,
) -> None:
    """Call `bench(url, label)` for SQLite (a temporary file, or `sqlite_file`, kept) and for
    PostgreSQL, if given (emptied first, unless keep_postgres: a bench reusing what it
    seeded last time)."""
    if sqlite_file and not skip_sqlite:
        bench(f"sqlite:///{Path(sqlite_file).resolve()}", "SQLite")
    elif not skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            bench(f"sqlite:///{folder}/bench.sqlite3", "SQLite")
    if postgres_url:
        if not keep_postgres:
            empty_postgres_database(postgres_url)
        bench(postgres_url, f"PostgreSQL ({make_url(postgres_url).database})")
    else:
        print("\nPostgreSQL: skipped (pass --postgres URL of a scratch database).")
