"""search the author's company: trigram indexes on it, and its grams, on both databases

Revision ID: 0054
Revises: 0053
Create Date: 2026-12-05 21:30:00

A marketer searching "Acme" expects the testimonials of Acme's people; the inbox's search
read the text and the author's name only. The company joins both, with the same indexes:
- SQLite: the FTS5 trigram table `feedback_search` gets an `author_company` column (an
  external-content FTS5 table cannot gain a column: it is made again, its triggers with it,
  and rebuilt from feedback_items), and the character grams of scripts with short words
  (`feedback_grams_fts`, migration 0050) take the company in too: its triggers pass the
  name and the company together as the second argument of `feedback_character_grams`;
- PostgreSQL: a pg_trgm GIN index on author_company, and `feedback_grams_follow` (0048)
  reads the company too, its triggers fire on it; a bulk import's grams
  (`harvest.grams.store_character_grams`, 0051) take it in the same way.
Items whose company has such letters get their grams now. Downgrade puts 0014's, 0048's
and 0050's definitions back.
"""

# ruff: noqa: S608 (the letters are this file's constant)
import re
from collections.abc import Sequence

from alembic import op

revision: str = "0054"
down_revision: str | None = "0053"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As harvest.grams.GRAM_RANGES has them (and migrations 0048, 0050, 0051).
RANGES = (
    (0x0E00, 0x0EFF),
    (0x1780, 0x17FF),
    (0x19E0, 0x19FF),
    (0x3040, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),
    (0x20000, 0x3134F),
)
LETTERS = "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in RANGES) + "]"
_RUN = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in RANGES) + "]+")


def _fts5(columns: Sequence[str]) -> tuple[str, ...]:
    """The FTS5 trigram table over these columns of feedback_items, its triggers, rebuilt."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return (
        f"CREATE VIRTUAL TABLE feedback_search USING fts5({names}, "
        "content='feedback_items', content_rowid='id', tokenize='trigram')",
        "CREATE TRIGGER feedback_search_insert AFTER INSERT ON feedback_items BEGIN "
        f"INSERT INTO feedback_search(rowid, {names}) VALUES (new.id, {new}); END",
        "CREATE TRIGGER feedback_search_delete AFTER DELETE ON feedback_items BEGIN "
        f"INSERT INTO feedback_search(feedback_search, rowid, {names}) "
        f"VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER feedback_search_update AFTER UPDATE OF {names} ON feedback_items "
        f"BEGIN INSERT INTO feedback_search(feedback_search, rowid, {names}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO feedback_search(rowid, {names}) VALUES (new.id, {new}); END",
        "INSERT INTO feedback_search(feedback_search) VALUES ('rebuild')",
    )


_DROP_FTS5 = (
    "DROP TRIGGER feedback_search_update",
    "DROP TRIGGER feedback_search_delete",
    "DROP TRIGGER feedback_search_insert",
    "DROP TABLE feedback_search",
)


def _sqlite_gram_triggers(who: str, columns: str) -> tuple[str, ...]:
    """0050's triggers of feedback_grams_fts, `who` (over `new.`) the second argument."""
    insert = (
        "INSERT INTO feedback_grams_fts(rowid, grams) SELECT new.id, grams FROM (SELECT "
        f"feedback_character_grams(new.text, {who}) AS grams) WHERE grams IS NOT NULL; "
    )
    return (
        "DROP TRIGGER feedback_grams_update",
        "DROP TRIGGER feedback_grams_insert",
        f"CREATE TRIGGER feedback_grams_insert AFTER INSERT ON feedback_items BEGIN {insert}END",
        f"CREATE TRIGGER feedback_grams_update AFTER UPDATE OF {columns} ON feedback_items "
        f"BEGIN DELETE FROM feedback_grams_fts WHERE rowid = old.id; {insert}END",
    )


def _name_and_company(row: str) -> str:
    return f"coalesce({row}.author_name, '') || ' ' || coalesce({row}.author_company, '')"


SQLITE_UPGRADE = (
    *_DROP_FTS5,
    *_fts5(("text", "author_name", "author_company")),
    *_sqlite_gram_triggers(_name_and_company("new"), "text, author_name, author_company"),
    # The companies written in scripts of short words: their items' grams again.
    "DELETE FROM feedback_grams_fts WHERE rowid IN (SELECT id FROM feedback_items "
    "WHERE author_company IS NOT NULL)",
    "INSERT INTO feedback_grams_fts(rowid, grams) SELECT id, grams FROM (SELECT id, "
    "feedback_character_grams(text, coalesce(author_name, '') || ' ' || author_company) "
    "AS grams FROM feedback_items WHERE author_company IS NOT NULL) WHERE grams IS NOT NULL",
)
SQLITE_DOWNGRADE = (
    *_DROP_FTS5,
    *_fts5(("text", "author_name")),
    *_sqlite_gram_triggers("new.author_name", "text, author_name"),
    "DELETE FROM feedback_grams_fts WHERE rowid IN (SELECT id FROM feedback_items "
    "WHERE author_company IS NOT NULL)",
    "INSERT INTO feedback_grams_fts(rowid, grams) SELECT id, grams FROM (SELECT id, "
    "feedback_character_grams(text, author_name) AS grams FROM feedback_items "
    "WHERE author_company IS NOT NULL) WHERE grams IS NOT NULL",
)


def _postgres_follow(words: str) -> str:
    return (
        "CREATE OR REPLACE FUNCTION feedback_grams_follow() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ DECLARE found text[] := feedback_character_grams({words}); "
        "BEGIN "
        "IF cardinality(found) = 0 THEN DELETE FROM feedback_grams WHERE item_id = NEW.id; "
        "ELSE INSERT INTO feedback_grams (item_id, workspace_id, grams) "
        "VALUES (NEW.id, NEW.workspace_id, array_to_tsvector(found)) "
        "ON CONFLICT (item_id) DO UPDATE "
        "SET workspace_id = EXCLUDED.workspace_id, grams = EXCLUDED.grams; "
        "END IF; RETURN NULL; END $$"
    )


def _postgres_triggers(columns: Sequence[str]) -> tuple[str, ...]:
    has_letters = " OR ".join(f"NEW.{c} ~ '{LETTERS}'" for c in columns)
    return (
        "DROP TRIGGER feedback_grams_insert ON feedback_items",
        "DROP TRIGGER feedback_grams_update ON feedback_items",
        "CREATE TRIGGER feedback_grams_insert AFTER INSERT ON feedback_items FOR EACH ROW "
        "WHEN (current_setting('testimonials.grams_given', true) IS DISTINCT FROM 'on' "
        f"AND ({has_letters})) EXECUTE FUNCTION feedback_grams_follow()",
        f"CREATE TRIGGER feedback_grams_update AFTER UPDATE OF {', '.join(columns)}, "
        "workspace_id ON feedback_items FOR EACH ROW EXECUTE FUNCTION feedback_grams_follow()",
    )


def _postgres_regrams(words: str) -> str:
    """The grams of the items with a company in those scripts, from `words` (over `i.`)."""
    return (
        "INSERT INTO feedback_grams (item_id, workspace_id, grams) "
        "SELECT id, workspace_id, array_to_tsvector(grams) FROM ("
        f"SELECT i.id, i.workspace_id, feedback_character_grams({words}) AS grams "
        f"FROM feedback_items i WHERE i.author_company ~ '{LETTERS}') AS found "
        "WHERE cardinality(grams) > 0 ON CONFLICT (item_id) DO UPDATE SET grams = EXCLUDED.grams"
    )


_TEXT = "coalesce({0}.text, '') || ' ' || coalesce({0}.author_name, '')"
POSTGRES_UPGRADE = (
    "CREATE INDEX ix_feedback_items_author_company_trgm ON feedback_items "
    "USING gin (author_company gin_trgm_ops)",
    _postgres_follow(_TEXT.format("NEW") + " || ' ' || coalesce(NEW.author_company, '')"),
    *_postgres_triggers(("text", "author_name", "author_company")),
    _postgres_regrams(_TEXT.format("i") + " || ' ' || coalesce(i.author_company, '')"),
)
POSTGRES_DOWNGRADE = (
    "DROP INDEX ix_feedback_items_author_company_trgm",
    _postgres_follow(_TEXT.format("NEW")),
    *_postgres_triggers(("text", "author_name")),
    # The company's grams go; an item whose grams were its company's alone keeps them (a
    # superset only: the check of its words finds nothing there).
    _postgres_regrams(_TEXT.format("i")),
)


def _grams(text: str | None, author_name: str | None) -> str | None:
    """Migration 0050's `feedback_character_grams`, registered here for the backfill."""
    grams: set[str] = set()
    for run in _RUN.findall(f"{text or ''} {author_name or ''}"):
        grams.update(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(sorted(grams)) or None


def _run(sqlite: Sequence[str], postgres: Sequence[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        driver = bind.connection.driver_connection
        driver.create_function("feedback_character_grams", 2, _grams, deterministic=True)
    for statement in {"sqlite": sqlite, "postgresql": postgres}.get(bind.dialect.name, ()):
        op.execute(statement)


def upgrade() -> None:
    _run(SQLITE_UPGRADE, POSTGRES_UPGRADE)


def downgrade() -> None:
    _run(SQLITE_DOWNGRADE, POSTGRES_DOWNGRADE)
