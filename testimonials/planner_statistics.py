"""The query planner's table statistics, refreshed where a database would not on its own.

PostgreSQL samples a table when autovacuum gets to it, which a table grown from nothing
inside one import never waits for; SQLite keeps none unless asked. Bulk imports call these
(`harvest.bulk_intake`); SQLite engines keep them between imports (`keep_sqlite_statistics`).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from testimonials.db import Base

logger = logging.getLogger(__name__)
# SQLite keeps no planner statistics unless asked. A pooled connection that has served
# queries for this long runs `PRAGMA optimize` when it goes back to the pool, which gathers
# them (ANALYZE, sampling at most SQLITE_ANALYSIS_LIMIT rows an index) for the tables its
# queries used whose indexes have none or which grew 25-fold since; otherwise it costs
# microseconds. Bulk imports gather them in full at their end (`refresh_sqlite_statistics`).
SQLITE_OPTIMIZE_EVERY_SECONDS = 60.0
SQLITE_ANALYSIS_LIMIT = 1_000


def refresh_sqlite_statistics(session: Session) -> None:
    """SQLite: gather the planner's statistics (ANALYZE), inside the session's transaction.

    SQLite keeps no statistics unless asked, and without them it plans from fixed guesses:
    a filter whose rows one index finds directly (the inbox's star rating) can then walk
    another in rank order through most of the inbox (SQLite, 200,000 items: "4 stars"
    286 ms with no statistics, 2 ms with them). A bulk import ends with this; the whole
    database takes ~2.4 s at 1,000,000 items. The full-text index's own tables are left
    without statistics (`FORGET_FTS5_SHADOW_STATISTICS`). Nothing on PostgreSQL
    (`refresh_statistics`).
    """
    if session.connection().dialect.name == "sqlite":
        session.execute(text("ANALYZE"))
        session.execute(text(FORGET_FTS5_SHADOW_STATISTICS))


# FTS5 stores a full-text index in shadow tables (`<table>_data`, `_idx`, `_docsize`, ...)
# that only its own statements read, by rowid or key. Statistics on them can only mislead:
# ANALYZE of a new database records `feedback_search_data` at the 2 rows an empty index
# holds, and with so few rows SQLite plans FTS5's `DELETE ... WHERE id >= ? AND id <= ?`
# (a merge dropping the pages it has consumed, several times a chunk of an import) as a
# scan of the whole index. At 100,000-150,000 items an import read the index's every page
# two or three times every few seconds; at a million rows its storing process took 2.4-2.9
# times the CPU, and a single answer at 300,000 items 41 times (docs/performance.md,
# "Session 16"). Without statistics SQLite assumes a large table and goes by rowid. Run
# after every ANALYZE (migration 0061 clears those already taken); `PRAGMA optimize` never
# analyses a table without an index, so it does not bring them back.
FORGET_FTS5_SHADOW_STATISTICS = (
    "DELETE FROM sqlite_stat1 WHERE tbl IN ("
    "SELECT v.name || '_' || s.part FROM sqlite_master AS v, (SELECT 'data' AS part "
    "UNION ALL SELECT 'idx' UNION ALL SELECT 'content' UNION ALL SELECT 'docsize' "
    "UNION ALL SELECT 'config') AS s "
    "WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%')"
)


def refresh_statistics(session: Session, *models: type[Base]) -> None:
    """Have PostgreSQL sample these tables again, from inside the transaction (it sees its
    own new rows); nothing on SQLite. Without ownership of a table it only warns.

    ANALYZE keeps a lock that another ANALYZE (say, a concurrent import's) waits for until
    this transaction ends: if the lock is not free within a moment, the refresh is skipped
    rather than waited for.
    """
    if session.connection().dialect.name != "postgresql":
        return
    quote = session.connection().dialect.identifier_preparer.format_table
    tables = ", ".join(quote(model.__table__) for model in models)
    previous = session.scalar(text("SHOW lock_timeout"))
    try:
        with session.begin_nested():
            session.execute(text("SET LOCAL lock_timeout = '200ms'"))
            session.execute(text(f"ANALYZE {tables}"))
    except OperationalError:
        logger.info("Table statistics not refreshed: another transaction holds the lock")
    finally:
        session.execute(
            text("SELECT set_config('lock_timeout', :value, true)"), {"value": previous}
        )


def keep_sqlite_statistics(engine: Engine) -> None:
    """SQLite: statistics for a database that grows one answer at a time.

    Without them the planner guesses: at 200,000 items the inbox's text search took 40 to
    74 s instead of 6 to 8 ms, "rating 5, oldest" 604 ms instead of 6 (bench_inbox.py
    --statistics none / sampled; gathering them took 242 ms). `PRAGMA optimize` analyses
    only what this connection's queries used and what lacks statistics or outgrew them, so
    it runs on check-in, at most once per `SQLITE_OPTIMIZE_EVERY_SECONDS` per connection,
    never inside a transaction. A busy database (another process writing) skips the turn
    rather than waits.
    """

    @event.listens_for(engine, "checkin")
    def _optimize_if_due(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is None:
            return
        now = time.monotonic()
        due = record.info.setdefault("optimize_due", now + SQLITE_OPTIMIZE_EVERY_SECONDS)
        if now < due:
            return
        record.info["optimize_due"] = now + SQLITE_OPTIMIZE_EVERY_SECONDS
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout=0")
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT:d}")
            cursor.execute("PRAGMA optimize")
        except engine.dialect.loaded_dbapi.Error as error:
            logger.info("SQLite statistics not refreshed this turn: %s", error)
        finally:
            cursor.execute("PRAGMA analysis_limit=0")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
