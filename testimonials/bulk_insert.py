"""Many rows at once: COPY on PostgreSQL, multi-row INSERTs on SQLite.

Imports, entries and tracking write thousands of plain rows of one model at a time; the
ORM's unit of work (and, on PostgreSQL, even a multi-row INSERT's parsing) would cost more
than storing them. Python-side column defaults are applied here as the ORM would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from testimonials.db import Base

# sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, named here: sqlite3 is not loaded on PostgreSQL.
SQLITE_LIMIT_VARIABLE_NUMBER = 9


def insert_rows(
    session: Session,
    model: type[Base],
    rows: Sequence[dict[str, Any]],
    returning_ids: bool = False,
) -> list[int]:
    """Insert many plain rows of one model at once; their new ids, in order, if asked.

    Every row carries the same keys; Python-side column defaults fill in the rest, as the
    ORM would. PostgreSQL takes the rows through COPY, ids drawn from the table's sequence
    first: a multi-row INSERT of a thousand long rows spends more time having its SQL
    parsed, by the driver and the server, than storing them. SQLite gets multi-row INSERTs
    (RETURNING in parameter order would mean a statement per row) straight on the driver's
    cursor: the ORM's bulk insert cost more than SQLite itself, and a statement per row
    makes the full-text index flush per row (see `sqlite_insert_many`).
    """
    if not rows:
        return []
    if session.connection().dialect.name == "sqlite":
        session.flush()  # the driver's cursor goes past the ORM, as COPY does
        _insert_rows_sqlite(session, model.__table__, rows)  # type: ignore[arg-type]
        if not returning_ids:
            return []
        # The transaction holds SQLite's single write lock from its first insert on, and a
        # table without AUTOINCREMENT gives each new row the largest id + 1: the rows just
        # written have the consecutive ids ending at the last one inserted (triggers' own
        # inserts do not change last_insert_rowid() once they end).
        last = session.scalar(text("SELECT last_insert_rowid()")) or 0
        return list(range(last - len(rows) + 1, last + 1))
    if session.connection().dialect.name != "postgresql":
        if not returning_ids:
            session.execute(insert(model), rows)
            return []
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)  # type: ignore[attr-defined]
        return list(session.scalars(statement, rows))
    session.flush()  # COPY goes past the ORM: what the rows refer to must be stored first
    return _copy_rows(session, model.__table__, rows, returning_ids)  # type: ignore[arg-type]


def insert_new_rows(
    session: Session, model: type[Base], rows: Sequence[dict[str, Any]], unique: Sequence[str]
) -> int:
    """Insert rows, skipping any that a unique key (`unique` columns) already holds; how many.

    Checking first and inserting after races with a concurrent writer of the same rows;
    ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike) makes the clash a skip, not a 500.
    """
    if not rows:
        return 0
    statement = (
        dialect_insert(session)(model)
        .on_conflict_do_nothing(index_elements=list(unique))
        .returning(model.id)  # type: ignore[attr-defined]
    )
    return len(session.scalars(statement, rows).all())


def _copy_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], returning_ids: bool
) -> list[int]:
    connection = session.connection()
    dialect = connection.dialect
    ids: list[int] = []
    if returning_ids:
        ids = list(
            session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table.name, "n": len(rows)},
            )
        )
    given = list(rows[0])
    defaults = _batch_defaults(table, given, dialect)
    names = (["id"] if returning_ids else []) + given + list(defaults)
    processors = [_bind_processor(table.c[name], dialect) for name in given]
    quote = dialect.identifier_preparer.quote
    statement = (
        f"COPY {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(name) for name in names)}) FROM STDIN"
    )
    tail = list(defaults.values())
    with (
        connection.connection.driver_connection.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(statement) as copy,
    ):
        for position, row in enumerate(rows):
            values = [
                row[name] if process is None else process(row[name])
                for name, process in zip(given, processors, strict=True)
            ]
            copy.write_row([ids[position], *values, *tail] if returning_ids else values + tail)
    return ids


def _batch_defaults(table: Table, given: Sequence[str], dialect: Dialect) -> dict[str, Any]:
    """Python-side defaults of the columns a batch leaves out, computed once for the batch
    (they are timestamps and empty values), as the driver wants them."""
    return {
        column.name: _bound(column, dialect, _default_value(column))
        for column in table.columns
        if column.name not in given and column.default is not None and not column.primary_key
    }


def _insert_rows_sqlite(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    connection = session.connection()
    dialect = connection.dialect
    given = list(rows[0])
    defaults = _batch_defaults(table, given, dialect)
    names = [*given, *defaults]
    quote = dialect.identifier_preparer.quote
    tail = list(defaults.values())
    processors = [_bind_processor(table.c[name], dialect) for name in given]
    # The table's own name and columns, quoted; the values are bound.
    columns = ", ".join(quote(name) for name in names)
    head = f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({columns}) VALUES "  # noqa: S608
    values = (
        [
            *(
                row[name] if process is None else process(row[name])
                for name, process in zip(given, processors, strict=True)
            ),
            *tail,
        ]
        for row in rows
    )
    sqlite_insert_many(session, head, len(names), values)


def sqlite_insert_many(
    session: Session, head: str, width: int, rows: Iterable[Sequence[Any]]
) -> None:
    """SQLite: `head` ("INSERT INTO t (a, b) VALUES ") for rows of `width` values each, in
    multi-row statements of as many rows as the bound-variable limit allows.

    A statement per row (`executemany`) made SQLite's full-text index (FTS5, kept by a row
    trigger) flush its pending terms into a new segment at the end of every statement, and
    merge those segments soon after: most of an imported item's cost. In one statement the
    same trigger runs for every row and the terms are flushed once; narrow rows save the
    per-statement overhead (an import's 16,000 band keys a chunk: 52 -> 32 ms of CPU).
    """
    driver: Any = session.connection().connection.driver_connection  # sqlite3.Connection
    per_statement = max(1, driver.getlimit(SQLITE_LIMIT_VARIABLE_NUMBER) // width)
    one_row = "(" + ", ".join("?" * width) + ")"
    full = head + ", ".join([one_row] * per_statement)
    cursor = driver.cursor()
    try:
        values: list[Any] = []
        count = 0
        for row in rows:
            values += row
            count += 1
            if count == per_statement:
                cursor.execute(full, values)
                values, count = [], 0
        if count:
            cursor.execute(head + ", ".join([one_row] * count), values)
    finally:
        cursor.close()


def _default_value(column: Any) -> Any:
    default = column.default
    if default.is_callable:
        return default.arg(None)  # SQLAlchemy wraps zero-argument callables to take a context
    if default.is_scalar:
        return default.arg
    raise ValueError(f"{column.name}: only scalar and callable defaults can be bulk copied")


def _bind_processor(column: Any, dialect: Dialect) -> Any:
    # What SQLAlchemy itself applies to a bound value (UTC timestamps, JSON for the driver).
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _bound(column: Any, dialect: Dialect, value: Any) -> Any:
    process = _bind_processor(column, dialect)
    return value if process is None else process(value)


def dialect_insert(session: Session) -> Callable[..., Any]:
    """The session's dialect's own `insert` (with ON CONFLICT): PostgreSQL's or SQLite's.

    SQLite's dialect is imported only where SQLite is used: ~1 MB a PostgreSQL worker
    would otherwise carry for nothing.
    """
    if session.connection().dialect.name == "postgresql":
        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert
