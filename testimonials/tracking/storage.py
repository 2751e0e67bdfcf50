"""Writing events in bulk, and keeping their table healthy: partitions, retention, salts.

On PostgreSQL a batch of events (many beacons at once, from the group-commit writer) is
COPYed into a per-connection staging table and moved into `tracking_events` by one
INSERT ... SELECT ... ON CONFLICT DO NOTHING, so retried beacons stay no-ops.

On PostgreSQL each UTC day of events is its own partition (in the `tracking_partitions`
schema), made a week ahead so inserts never wait on DDL; days past the retention setting
are dropped whole. On SQLite events live in one plain table and retention deletes rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, delete, text
from sqlalchemy.orm import Session

from testimonials.tracking.events import EventKey
from testimonials.tracking.models import TrackingEvent
from testimonials.tracking.visitor import destroy_expired_salts

if TYPE_CHECKING:  # psycopg is loaded where the database is PostgreSQL, not on SQLite
    import psycopg

PARTITION_SCHEMA = "tracking_partitions"
DAYS_AHEAD = 7


STAGING_TABLE = "tracking_events_incoming"


def driver_of(connection: Connection) -> psycopg.Connection[Any]:
    """The psycopg connection under a SQLAlchemy one (COPY is psycopg's, not SQLAlchemy's)."""
    return cast("psycopg.Connection[Any]", connection.connection.driver_connection)


def copy_events(driver: psycopg.Connection[Any], rows: Sequence[dict[str, Any]]) -> None:
    """COPY `rows` straight into tracking_events: the fastest path, for rows all new.

    Raises psycopg.errors.UniqueViolation, storing nothing, if any was stored before;
    the caller then takes `copy_new_events`.
    """
    names = ", ".join(rows[0])  # every row has event_row's keys, in its order
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY tracking_events ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(tuple(row.values()))


def copy_new_events(
    driver: psycopg.Connection[Any], rows: Sequence[dict[str, Any]]
) -> set[EventKey]:
    """COPY `rows` (made by events.event_row) in, in a transaction; the keys of new ones."""
    names = ", ".join(rows[0])
    # A temporary table lives with its connection; emptied at every commit (and by the
    # move below, for a caller whose commit is a savepoint).
    driver.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} ON COMMIT DELETE ROWS "  # noqa: S608
        f"AS SELECT {names} FROM tracking_events WITH NO DATA"
    )
    with driver.cursor() as cursor:
        with cursor.copy(f"COPY {STAGING_TABLE} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(row.values()))
        moved = cursor.execute(
            f"WITH moved AS (DELETE FROM {STAGING_TABLE} RETURNING {names}) "  # noqa: S608
            f"INSERT INTO tracking_events ({names}) SELECT {names} FROM moved "
            "ON CONFLICT (day, experiment_id, client_event_id) DO NOTHING "
            "RETURNING day, experiment_id, client_event_id"
        )
        return cast(set[EventKey], set(moved.fetchall()))


@dataclass(frozen=True)
class Maintenance:
    """What one maintenance run did."""

    partitions_created: int
    days_dropped: int
    salts_destroyed: int


def partition_name(day: date) -> str:
    """The table name of `day`'s partition."""
    return f"tracking_events_{day:%Y%m%d}"


def _existing_partitions(session: Session) -> set[str]:
    rows = session.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = :schema"),
        {"schema": PARTITION_SCHEMA},
    )
    return {cast(str, name) for (name,) in rows}


def ensure_partitions(session: Session, first: date, days: int = DAYS_AHEAD) -> int:
    """Create the daily partitions from `first` for `days` days where missing; how many."""
    if session.connection().dialect.name != "postgresql":
        return 0
    existing = _existing_partitions(session)
    created = 0
    for offset in range(days):
        day = first + timedelta(days=offset)
        name = partition_name(day)
        if name in existing:
            continue
        # Rows of that day already sitting in the default partition would block the new
        # one; such a day stays in the default partition (and is retained by row deletes).
        stuck = session.scalar(
            text(
                f"SELECT 1 FROM {PARTITION_SCHEMA}.tracking_events_default "  # noqa: S608
                "WHERE day = :day LIMIT 1"
            ),
            {"day": day},
        )
        if stuck:
            continue
        # DDL takes no bind parameters; both bounds are dates we formatted ourselves.
        start, end = day.isoformat(), (day + timedelta(days=1)).isoformat()
        session.execute(
            text(
                f"CREATE TABLE {PARTITION_SCHEMA}.{name} PARTITION OF tracking_events "
                f"FOR VALUES FROM ('{start}') TO ('{end}')"
            )
        )
        created += 1
    return created


def drop_expired_events(session: Session, today: date, retention_days: int) -> int:
    """Drop (PostgreSQL) or delete (SQLite) events of days past retention; days affected."""
    if retention_days < 1:
        raise ValueError("retention must keep at least one day of events")
    cutoff = today - timedelta(days=retention_days)
    if session.connection().dialect.name != "postgresql":
        result = session.execute(delete(TrackingEvent).where(TrackingEvent.day < cutoff))
        return 1 if result.rowcount else 0  # type: ignore[attr-defined]
    dropped = 0
    for name in sorted(_existing_partitions(session)):
        if name == "tracking_events_default":
            continue
        day = datetime.strptime(name.removeprefix("tracking_events_"), "%Y%m%d").date()
        if day < cutoff:
            session.execute(text(f"DROP TABLE {PARTITION_SCHEMA}.{name}"))
            dropped += 1
    session.execute(
        text(f"DELETE FROM {PARTITION_SCHEMA}.tracking_events_default WHERE day < :cutoff"),  # noqa: S608
        {"cutoff": cutoff},
    )
    return dropped


def maintain(session: Session, now: datetime, retention_days: int) -> Maintenance:
    """The daily job: partitions for the coming week, retention, salts, roll-ups."""
    # Here: the event intake imports this module, and a web worker runs no roll-up.
    from testimonials.tracking.rollups import roll_up_day

    today = now.date()
    created = ensure_partitions(session, today)
    dropped = drop_expired_events(session, today, retention_days)
    salts = destroy_expired_salts(session, now)
    for day in (today - timedelta(days=1), today):
        roll_up_day(session, day)
    session.flush()
    return Maintenance(created, dropped, salts)
