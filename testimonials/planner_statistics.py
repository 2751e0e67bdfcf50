"""The query planner's table statistics, refreshed where a database would not on its own.

PostgreSQL samples a table when autovacuum gets to it, which a table grown from nothing
inside one import never waits for; SQLite keeps none unless asked. Bulk imports call these
(`harvest.bulk_intake`).
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from testimonials.db import Base

logger = logging.getLogger(__name__)


def refresh_sqlite_statistics(session: Session) -> None:
    """SQLite: gather the planner's statistics (ANALYZE), inside the session's transaction.

    SQLite keeps no statistics unless asked, and without them it plans from fixed guesses:
    a filter whose rows one index finds directly (the inbox's star rating) can then walk
    another in rank order through most of the inbox (SQLite, 200,000 items: "4 stars"
    286 ms with no statistics, 2 ms with them). A bulk import ends with this; the whole
    database takes ~2.4 s at 1,000,000 items. Nothing on PostgreSQL (`refresh_statistics`).
    """
    if session.connection().dialect.name == "sqlite":
        session.execute(text("ANALYZE"))


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
