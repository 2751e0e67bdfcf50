"""text search indexes: FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-04 20:05:00

The search over feedback text and author names (testimonials.harvest.search) reads these.
On SQLite the FTS5 table follows feedback_items through triggers. A later migration that
rebuilds feedback_items in SQLite batch mode drops those triggers with the old table: it
must create them again (tests/api/test_text_search.py fails if it does not).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UPGRADE = (
    "CREATE VIRTUAL TABLE feedback_search USING fts5("
    "text, author_name, content='feedback_items', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER feedback_search_insert AFTER INSERT ON feedback_items BEGIN "
    "INSERT INTO feedback_search(rowid, text, author_name) "
    "VALUES (new.id, new.text, new.author_name); END",
    "CREATE TRIGGER feedback_search_delete AFTER DELETE ON feedback_items BEGIN "
    "INSERT INTO feedback_search(feedback_search, rowid, text, author_name) "
    "VALUES ('delete', old.id, old.text, old.author_name); END",
    "CREATE TRIGGER feedback_search_update AFTER UPDATE OF text, author_name "
    "ON feedback_items BEGIN "
    "INSERT INTO feedback_search(feedback_search, rowid, text, author_name) "
    "VALUES ('delete', old.id, old.text, old.author_name); "
    "INSERT INTO feedback_search(rowid, text, author_name) "
    "VALUES (new.id, new.text, new.author_name); END",
    "INSERT INTO feedback_search(feedback_search) VALUES ('rebuild')",
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER feedback_search_update",
    "DROP TRIGGER feedback_search_delete",
    "DROP TRIGGER feedback_search_insert",
    "DROP TABLE feedback_search",
)
POSTGRES_UPGRADE = (
    # A trusted extension since PostgreSQL 13: the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_feedback_items_text_trgm ON feedback_items USING gin (text gin_trgm_ops)",
    "CREATE INDEX ix_feedback_items_author_name_trgm ON feedback_items "
    "USING gin (author_name gin_trgm_ops)",
)
POSTGRES_DOWNGRADE = (
    "DROP INDEX ix_feedback_items_author_name_trgm",
    "DROP INDEX ix_feedback_items_text_trgm",
)


def _run(sqlite: Sequence[str], postgres: Sequence[str]) -> None:
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": sqlite, "postgresql": postgres}.get(dialect, ()):
        op.execute(statement)


def upgrade() -> None:
    _run(SQLITE_UPGRADE, POSTGRES_UPGRADE)


def downgrade() -> None:
    _run(SQLITE_DOWNGRADE, POSTGRES_DOWNGRADE)
