"""SQLite databases that grow one answer at a time still get planner statistics: a pooled
connection runs `PRAGMA optimize` when it goes back to the pool, once per interval."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from testimonials import migrate, planner_statistics
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


# FTS5's merges drop the pages they have consumed with this statement; planned as a scan,
# each read the whole trigram index (docs/performance.md, "Session 16").
_MERGE_DELETE = "EXPLAIN QUERY PLAN DELETE FROM feedback_search_data WHERE id >= 1 AND id <= 9"


def _search_index_plan_and_statistics(url: str) -> tuple[str, list[str]]:
    """How a new connection plans FTS5's merge delete, and which of the search indexes'
    shadow tables have statistics."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            plan = " ".join(row[-1] for row in connection.execute(text(_MERGE_DELETE)))
            shadow = connection.scalars(
                text(
                    "SELECT tbl FROM sqlite_stat1 WHERE tbl LIKE 'feedback_search_%' "
                    "OR tbl LIKE 'feedback_grams_fts_%' ORDER BY tbl"
                )
            ).all()
        return plan, list(shadow)
    finally:
        engine.dispose()


def _sqlite_url(empty_database_url: Callable[[str], str], name: str) -> str:
    url = empty_database_url(name)
    if not url.startswith("sqlite"):
        pytest.skip("FTS5 and its statistics are SQLite's")
    return url


def test_0061_forgets_the_statistics_that_had_sqlite_scan_its_search_index(
    empty_database_url: Callable[[str], str],
) -> None:
    url = _sqlite_url(empty_database_url, "migration_0061")
    migrate.upgrade(url, "0060")  # 0057 analysed the new database: the index had 2 rows
    plan, shadow = _search_index_plan_and_statistics(url)
    assert plan == "SCAN feedback_search_data"
    assert "feedback_search_data" in shadow

    migrate.upgrade(url, "0061")
    plan, shadow = _search_index_plan_and_statistics(url)
    assert plan.startswith("SEARCH feedback_search_data USING INTEGER PRIMARY KEY")
    assert shadow == []
    migrate.downgrade(url, "0060")  # statistics are not schema: nothing to put back
    migrate.upgrade(url, "0061")


def test_an_imports_statistics_leave_the_search_index_planned_by_rowid(
    empty_database_url: Callable[[str], str],
) -> None:
    url = _sqlite_url(empty_database_url, "imports_statistics")
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            session.execute(
                text(
                    "INSERT INTO workspaces (id, name, slug, created_at) "
                    "VALUES (1, 'Acme', 'acme', CURRENT_TIMESTAMP)"
                )
            )
            session.execute(
                text(
                    "INSERT INTO feedback_items (workspace_id, channel, source_name, "
                    "content_hash, text, received_at, verified, consent_state) VALUES "
                    "(1, 'import', 'test', :hash, 'Booking took two minutes', "
                    "CURRENT_TIMESTAMP, FALSE, 'granted')"
                ),
                [{"hash": f"h{n}"} for n in range(3)],
            )
            planner_statistics.refresh_sqlite_statistics(session)  # as a bulk import ends
            session.commit()
    finally:
        engine.dispose()
    plan, shadow = _search_index_plan_and_statistics(url)
    assert plan.startswith("SEARCH feedback_search_data USING INTEGER PRIMARY KEY")
    assert shadow == []
    reader = make_engine(url)
    try:  # the app's own tables keep theirs
        assert ("feedback_items", "ix_feedback_items_workspace_hash") in _statistics(reader)
    finally:
        reader.dispose()
