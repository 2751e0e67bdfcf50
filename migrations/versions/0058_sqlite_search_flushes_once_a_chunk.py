"""SQLite: the trigram search index holds a whole insert statement's terms before writing them

Revision ID: 0058
Revises: 0057
Create Date: 2026-12-06 03:00:00

FTS5 gathers the terms of new rows in an in-memory hash and writes them out as a new
segment when the statement that inserted them ends (SQLite gives an insert into
feedback_items, with its triggers, a statement savepoint) or the transaction commits, or
sooner, mid-statement, each time the hash holds more than `hashsize` bytes (default 1 MB).
An import inserts a chunk of 1,000 reviews in multi-row statements of as many rows as the
bound-variable limit allows (`bulk_insert.sqlite_insert_many`: one or two a chunk), whose
trigrams passed 1 MB in the hash (1-2 MB a chunk of the benchmark's ~380-character
reviews): `feedback_search` wrote a chunk as more, smaller segments, each written and
merged (migration 0056) apart. With 8 MB the hash holds a statement's rows, with room for
reviews four times as long. The cost: up to 8 MB of memory in a process while it writes
many rows in one statement (an import's storing process; a single answer's few kilobytes
never come near it). What the table holds and every search's answer are unchanged
(measured in docs/performance.md, "Session 14 (ftsl)"). `hashsize` is FTS5's own
configuration (its `_config` table), so it holds for every connection. PostgreSQL has
nothing to change. Downgrade puts back FTS5's default.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0058"
down_revision: str | None = "0057"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_TABLE = "feedback_search"
HASH_BYTES = 8 * 1024 * 1024
FTS5_DEFAULT_HASH_BYTES = 1024 * 1024


def _hashsize(size: int) -> str:
    # FTS5's configuration statement: an insert into the table's own hidden column (the
    # table's name and an integer, both ours).
    return f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rank) VALUES ('hashsize', {size:d})"  # noqa: S608


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_hashsize(HASH_BYTES))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_hashsize(FTS5_DEFAULT_HASH_BYTES))
