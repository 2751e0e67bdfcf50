"""character grams on PostgreSQL: searches in scripts of short words gather from an index

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-05 06:00:00

pg_trgm cannot serve a word of one or two characters (no trigram), and Chinese, Japanese,
Korean, Thai, Khmer and Lao words are often that short; a longer one still has every
candidate's row read from the wide items heap to recheck it. On PostgreSQL, for items
whose text or author name holds letters of those scripts, `feedback_grams` keeps each
character and each pair of adjacent characters of those scripts (`feedback_character_grams`)
as the lexemes of a tsvector with a GIN index (exact for an AND of lexemes, and a
row's own test is a binary search, where an array's @> compares every pair), in a narrow
table of its own: a search word's grams give its
candidate items from the index and a small heap, a superset of its matches that the inbox
joins to its testimonials without reading the items, and only the candidates that decide
the page are checked against their text (`harvest.search`). Triggers keep the table in step
with inserts (COPY included) and with edits of the text or author name; a deleted item's row
goes with it (foreign key). Latin-script items get no row, and their inserts only pay the
trigger's WHEN test. `ix_testimonials_item_inbox` (migration 0040) now includes the
testimonial's id too, so the candidates' testimonials, ids and ranks come from it alone.

The character ranges must stay those of `harvest.search.GRAM_RANGES`
(tests/api/test_text_search.py compares the two). SQLite: nothing (FTS5 serves it).
"""

# ruff: noqa: S608 (the letters are this file's constant)
from collections.abc import Sequence

from alembic import op

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Han (with extensions and compatibility ideographs), kana, Hangul syllables, Thai, Lao,
# Khmer: as harvest.search.GRAM_RANGES has them when this migration was written.
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

UPGRADE = (
    # Every character of a run of those letters, and every pair of adjacent ones.
    "CREATE FUNCTION feedback_character_grams(words text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT substr(run[1], i, n) ORDER BY substr(run[1], i, n)), "
    "'{}') "
    f"FROM regexp_matches(words, '{LETTERS}+', 'g') AS run, "
    "generate_series(1, char_length(run[1])) AS i, generate_series(1, 2) AS n "
    "WHERE i + n - 1 <= char_length(run[1]) $$",
    "CREATE TABLE feedback_grams ("
    "item_id integer PRIMARY KEY REFERENCES feedback_items (id) ON DELETE CASCADE, "
    "workspace_id integer NOT NULL, grams tsvector NOT NULL)",
    "CREATE FUNCTION feedback_grams_follow() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE found text[] := feedback_character_grams("
    "coalesce(NEW.text, '') || ' ' || coalesce(NEW.author_name, '')); "
    "BEGIN "
    "IF cardinality(found) = 0 THEN DELETE FROM feedback_grams WHERE item_id = NEW.id; "
    "ELSE INSERT INTO feedback_grams (item_id, workspace_id, grams) "
    "VALUES (NEW.id, NEW.workspace_id, array_to_tsvector(found)) ON CONFLICT (item_id) DO UPDATE "
    "SET workspace_id = EXCLUDED.workspace_id, grams = EXCLUDED.grams; "
    "END IF; RETURN NULL; END $$",
    # An insert of Latin-script words pays only this test.
    "CREATE TRIGGER feedback_grams_insert AFTER INSERT ON feedback_items FOR EACH ROW "
    f"WHEN (NEW.text ~ '{LETTERS}' OR NEW.author_name ~ '{LETTERS}') "
    "EXECUTE FUNCTION feedback_grams_follow()",
    "CREATE TRIGGER feedback_grams_update AFTER UPDATE OF text, author_name, workspace_id "
    "ON feedback_items FOR EACH ROW EXECUTE FUNCTION feedback_grams_follow()",
    "INSERT INTO feedback_grams (item_id, workspace_id, grams) "
    "SELECT id, workspace_id, array_to_tsvector(grams) FROM ("
    "SELECT id, workspace_id, feedback_character_grams("
    "coalesce(text, '') || ' ' || coalesce(author_name, '')) AS grams FROM feedback_items "
    f"WHERE text ~ '{LETTERS}' OR author_name ~ '{LETTERS}') AS found "
    "WHERE cardinality(grams) > 0",
    "CREATE INDEX ix_feedback_grams_grams ON feedback_grams USING gin (grams)",
    "ANALYZE feedback_grams",
    # The candidates join their testimonials (and the id the page lists) from this index
    # alone: migration 0040 made it without the id.
    "DROP INDEX ix_testimonials_item_inbox",
    "CREATE INDEX ix_testimonials_item_inbox ON testimonials (item_id) "
    "INCLUDE (workspace_id, status, snoozed_until, rank_score, id)",
)
DOWNGRADE = (
    "DROP INDEX ix_testimonials_item_inbox",
    "CREATE INDEX ix_testimonials_item_inbox ON testimonials (item_id) "
    "INCLUDE (workspace_id, status, snoozed_until, rank_score)",
    "DROP TRIGGER feedback_grams_update ON feedback_items",
    "DROP TRIGGER feedback_grams_insert ON feedback_items",
    "DROP FUNCTION feedback_grams_follow()",
    "DROP TABLE feedback_grams",
    "DROP FUNCTION feedback_character_grams(text)",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
