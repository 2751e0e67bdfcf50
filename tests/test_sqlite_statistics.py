"""SQLite databases that grow one answer at a time still get planner statistics: a pooled
connection runs `PRAGMA optimize` when it goes back to the pool, once per interval."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from testimonials import planner_statistics
from testimonials.db import make_engine


@pytest.fixture
def grown(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite file with an indexed table of 300 rows and no statistics, as an app that
    stored single answers leaves it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'grown.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY, rating INTEGER)"))
        connection.execute(text("CREATE INDEX ix_items_rating ON items (rating)"))
        for n in range(300):
            connection.execute(text("INSERT INTO items (rating) VALUES (:r)"), {"r": n % 5})
    engine.dispose()
    yield engine
    engine.dispose()


def _statistics(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        exists = connection.scalar(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        )
        if not exists:
            return []
        rows = connection.execute(text("SELECT tbl, idx FROM sqlite_stat1 ORDER BY idx"))
        return [tuple(row) for row in rows]


def _query_by_rating(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM items WHERE rating = 4")).scalar()


def test_a_connection_gathers_statistics_once_its_interval_has_passed(
    grown: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _query_by_rating(grown)
    assert _statistics(grown) == []  # the interval has not passed: nothing yet

    monkeypatch.setattr(planner_statistics, "SQLITE_OPTIMIZE_EVERY_SECONDS", 0.0)
    engine = make_engine(str(grown.url))
    _query_by_rating(engine)
    assert ("items", "ix_items_rating") in _statistics(engine)
    with engine.connect() as connection:  # the connection's own settings came back
        assert connection.scalar(text("PRAGMA analysis_limit")) == 0
        assert connection.scalar(text("PRAGMA busy_timeout")) == 30000
    engine.dispose()


def test_a_busy_database_skips_the_turn_without_failing_the_request(
    grown: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(planner_statistics, "SQLITE_OPTIMIZE_EVERY_SECONDS", 0.0)
    engine = make_engine(str(grown.url))
    writer = sqlite3.connect(grown.url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with caplog.at_level("INFO", logger="testimonials.planner_statistics"):
            _query_by_rating(engine)  # checks in, tries, gives up at once
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert "not refreshed" in caplog.text
    assert _statistics(engine) == []
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA busy_timeout")) == 30000
    engine.dispose()
