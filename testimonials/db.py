"""Data layer plumbing: declarative base, UTC timestamps, engine and one session per request
(bulk inserts: `bulk_insert`).

Services receive a `Session` and only `flush()`; whoever owns the request (a view or a CLI
command) calls `commit()` once. The session is closed, and anything uncommitted rolled
back, when the request ends. A `reads_only` list may read on a Core connection of its own
instead (`read_connection`), returned to the pool when the request ends.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from flask import Flask, g
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    MetaData,
    Select,
    Text,
    any_,
    bindparam,
    create_engine,
    event,
    false,
    func,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from testimonials.config import settings_for
from testimonials.errors import NotFoundError
from testimonials.planner_statistics import keep_sqlite_statistics

EXTENSION_KEY = "testimonials.db"
logger = logging.getLogger(__name__)
# A pooled connection idle longer than this is pinged before use (a restarted server or an
# idle timeout may have closed it); a busy worker's connections never idle that long.
PING_AFTER_IDLE_SECONDS = 10.0
# Request-scoped marks (on `g`): the request only reads; its Core connection for reads.
_READS_ONLY = "db_reads_only"
_READ_CONNECTION = "db_read_connection"

# Stable constraint names, so Alembic migrations name (and can drop) the same things on
# SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model of the service."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (use as a column default callable)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC (db.utcnow())")
        value = value.astimezone(UTC)
        # SQLite has no time zones: store naive UTC so comparisons and ordering are textual.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_engine(url: str, echo: bool = False) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and real transactional BEGINs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the driver, decide when transactions begin, so SAVEPOINTs
            # and rollbacks behave as on PostgreSQL.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_on_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN")

        keep_sqlite_statistics(engine)
        return engine
    # No JIT: it pays off for long analytic scans, not for statements that read a page;
    # once a plan's estimated cost passes jit_above_cost (a count or sort over a million-row
    # workspace's matches does), compiling it took longer than running it.
    engine = create_engine(url, echo=echo, connect_args={"options": "-c jit=off"})
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Check a connection before use only when it sat idle: `pool_pre_ping` would cost every
    request a round trip. A dead connection is replaced, the request never sees it."""

    @event.listens_for(engine, "checkin")
    def _note_idle_since(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and checks out (or opens) another.
            raise DisconnectionError("an idle connection was closed") from error


@dataclass
class Database:
    """The engine and session factory that belong to one app."""

    engine: Engine
    sessionmaker: sessionmaker[Session]


def init_app(app: Flask) -> Database:
    """Attach an engine and a session factory to the app, and close sessions per request."""
    settings = settings_for(app)
    engine = make_engine(settings.database_url, echo=settings.sql_echo)
    database = Database(engine, sessionmaker(bind=engine, expire_on_commit=False))
    app.extensions[EXTENSION_KEY] = database

    @app.teardown_appcontext
    def _close_session(_error: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()
        g.pop(_READ_CONNECTION, None)
        for connection in g.pop("db_owned_connections", ()):
            connection.close()
        for write in g.pop("deferred_writes", ()):
            _run_deferred_write(database, write)

    return database


def defer_write(write: Callable[[Session], None]) -> None:
    """Run `write` in a short transaction of its own once the request's session is closed.

    For bookkeeping (an API key's last use) that must neither ride on the request's unit of
    work, which a read never commits, nor cost a commit on every request.
    """
    g.setdefault("deferred_writes", []).append(write)


def _run_deferred_write(database: Database, write: Callable[[Session], None]) -> None:
    try:
        with database.sessionmaker() as session:
            write(session)
            session.commit()
    except SQLAlchemyError:
        # Bookkeeping never fails a request that has already been answered.
        logger.warning("A deferred write failed", exc_info=True)


def database_for(app: Flask) -> Database:
    """The app's Database."""
    return app.extensions[EXTENSION_KEY]


def get_session() -> Session:
    """The session of the current request (or app context), created on first use."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = database_for(current_app).sessionmaker()
        if g.get(_READS_ONLY):
            _autocommit(g.db_session)
    return g.db_session


def read_without_transaction() -> None:
    """Run this request's statements on PostgreSQL in autocommit: for a read-only endpoint
    whose each statement stands alone (the API key's lookup, then one page with its total),
    no BEGIN and no ROLLBACK — two of a request's four round trips. Each statement still
    sees one snapshot. Call before the request's first statement; a session bound to
    something other than the engine (the tests' transaction) or SQLite keeps its
    transaction. The session is not made here: a request whose key is remembered and whose
    view reads through `read_connection` needs none.
    """
    g.setdefault(_READS_ONLY, True)
    if "db_session" in g:
        _autocommit(g.db_session)


def read_connection() -> Connection:
    """A Core connection for a `read_without_transaction` request's plain reads, without the
    ORM session's set-up, autocommit switch, rollback and close (~0.1 ms of CPU a request).

    Checked out of the engine on first use and returned when the request ends. Where the
    session is bound to something else (the tests' transaction) or the request may write,
    the session's own connection, so every read sees what the request and its test see.
    """
    connection: Connection | None = g.get(_READ_CONNECTION)
    if connection is not None:
        return connection
    from flask import current_app

    bind = database_for(current_app).sessionmaker.kw.get("bind")
    if isinstance(bind, Engine) and g.get(_READS_ONLY):
        connection = bind.connect()
        if bind.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        g.setdefault("db_owned_connections", []).append(connection)
    else:
        connection = get_session().connection()
    setattr(g, _READ_CONNECTION, connection)
    return connection


def _autocommit(session: Session) -> None:
    bind = session.bind
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


T = TypeVar("T")
M = TypeVar("M", bound=Base)


def get_in_workspace(session: Session, model: type[M], workspace_id: int, object_id: int) -> M:
    """The object with this id if it belongs to the workspace, else NotFoundError.

    The message is the same whether the object is elsewhere or nowhere: other workspaces'
    ids are not even confirmed to exist.
    """
    query: Select[M] = select(model).where(
        model.workspace_id == workspace_id,  # type: ignore[attr-defined]
        model.id == object_id,  # type: ignore[attr-defined]
    )
    found = session.scalar(query)
    if found is None:
        what = getattr(model, "__label__", model.__name__)
        raise NotFoundError(f"No {what} {object_id} in this workspace.")
    return found


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results with the total across all pages."""

    items: Sequence[T]
    total: int
    page: int
    per_page: int
    # True when counting stopped early: there are at least `total` results, maybe more.
    more: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        """Whether a page follows this one (past a capped count: if this one is full)."""
        if self.more and len(self.items) == self.per_page:
            return True
        return self.page < self.pages


# Far beyond any real workspace, and small enough that the row offset stays a valid number.
MAX_PAGE = 10_000_000


def valid_page(page: int) -> int:
    """A page number as asked for, within 1 … MAX_PAGE.

    Past MAX_PAGE (a hand-edited URL) it reads as the last possible page, an empty one,
    rather than a row offset the database cannot hold.
    """
    return min(max(page, 1), MAX_PAGE)


def paginate(session: Session, statement: Select[Any], page: int, per_page: int) -> Page[Any]:
    """Run `statement` for one page and count the total matching rows.

    The count rides on the page's own query as a window (one round trip, no second pass over
    the joins); only a page past the end, which has no row to carry it, counts separately.
    """
    page = valid_page(page)
    offset = (page - 1) * per_page
    if statement._distinct:  # a window counts rows before DISTINCT folds them
        total = count_rows(session, statement)
        items = session.scalars(statement.limit(per_page).offset(offset)).all()
        return Page(items=items, total=total, page=page, per_page=per_page)
    rows, total = counted_page(session, statement, offset, per_page)
    return Page(items=[row[0] for row in rows], total=total, page=page, per_page=per_page)


def counted_page(
    session: Session, statement: Select[Any], offset: int, limit: int
) -> tuple[Sequence[Any], int]:
    """One page of rows of `statement` and the total of all, in one round trip when it can.

    The total rides on the page as `count(*) OVER ()` (the last column of each row); only a
    page past the end, which has no row to carry it, counts separately.
    """
    counted = statement.add_columns(func.count().over().label("total_rows"))
    rows = session.execute(counted.limit(limit).offset(offset)).all()
    if rows:
        return rows, rows[0][-1]
    return rows, 0 if offset == 0 else count_rows(session, statement)


def count_rows(session: Session | Connection, statement: Select[Any]) -> int:
    """How many rows `statement` selects (for a page past the end, which carries no total)."""
    return (
        session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    )


def one_of(session: Session, column: Any, values: Sequence[int | str]) -> ColumnElement[bool]:
    """`column IN values`, the values bound as one parameter (a JSON array on SQLite, an
    array on PostgreSQL): a bulk lookup of thousands of keys would otherwise spend more
    binding and parsing parameters than looking them up."""
    if not values:
        return false()
    if session.connection().dialect.name == "postgresql":
        element = BigInteger() if isinstance(values[0], int) else Text()
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(element)))
    listed = func.json_each(bindparam(None, json.dumps(list(values)))).table_valued("value")
    return column.in_(select(listed.c.value))
