"""Run a benchmark on a fresh SQLite file, then on the PostgreSQL database given (emptied)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

from sqlalchemy.engine import make_url

from testimonials.migrate import empty_postgres_database


def on_each_database(
    bench: Callable[[str, str], None], postgres_url: str | None, skip_sqlite: bool = False
) -> None:
    """Call `bench(url, label)` for SQLite (a temporary file) and for PostgreSQL, if given."""
    if not skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            bench(f"sqlite:///{folder}/bench.sqlite3", "SQLite")
    if postgres_url:
        empty_postgres_database(postgres_url)
        bench(postgres_url, f"PostgreSQL ({make_url(postgres_url).database})")
    else:
        print("\nPostgreSQL: skipped (pass --postgres URL of a scratch database).")
