"""character runs on PostgreSQL: a longer word of a script of short words checked in the grams

Revision ID: 0059
Revises: 0058
Create Date: 2026-12-06 06:00:00

`feedback_grams` (migration 0048) gives a word's candidates from its characters and adjacent
pairs: exact for a word of one or two letters, a superset for a longer one (`予約の管理`: its
four pairs may stand apart), whose every candidate's item was read from the wide items heap
to check the word (~15,000 random reads for the deepest page of a word with 12,700 matches
at a million items: 244 ms). The table now keeps the item's runs of those letters too
(`runs`: each distinct run, as long as it goes, sorted in code-point order, space-separated,
from the text, author name and company): a word all of those letters is in an item exactly
when it is inside one of the item's runs, so its candidates are checked on the narrow row
the index scan reads anyway, and no item is read at all. `feedback_character_runs` is the
SQL for it (`harvest.grams.character_runs` in Python, for imports: tests compare them); the
trigger now takes the grams from the runs (the same set: a run is as long as it goes),
without a second pass of the pattern (`feedback_run_grams`). Existing rows are filled from
their items as the table is rewritten once. SQLite: nothing (FTS5's trigram index answers
a word of three letters or more).
"""

# ruff: noqa: S608 (the letters are this file's constant)
from collections.abc import Sequence

from alembic import op

revision: str = "0059"
down_revision: str | None = "0058"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As harvest.grams.GRAM_RANGES has them (and migrations 0048, 0050, 0051, 0054).
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

WORDS = (
    "coalesce({0}.text, '') || ' ' || coalesce({0}.author_name, '') || ' ' "
    "|| coalesce({0}.author_company, '')"
)

RUNS_FUNCTION = (
    # NULL when there is none. "C": code-point order, as Python's sorted().
    "CREATE FUNCTION feedback_character_runs(words text) RETURNS text "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT string_agg(run, ' ' ORDER BY run) FROM ("
    f"SELECT DISTINCT found[1] COLLATE \"C\" AS run FROM regexp_matches(words, '{LETTERS}+', "
    "'g') AS found) AS runs $$"
)
# 0051's grams, from the runs already found: no second pass of the pattern over the text.
RUN_GRAMS_FUNCTION = (
    "CREATE FUNCTION feedback_run_grams(runs text[]) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT gram ORDER BY gram), '{}') FROM ("
    "SELECT string_to_array(word, NULL) AS letters FROM unnest(runs) AS word) AS runs, "
    "LATERAL (SELECT unnest(runs.letters) UNION ALL "
    "SELECT runs.letters[i] || runs.letters[i + 1] "
    "FROM generate_series(1, cardinality(runs.letters) - 1) AS i) AS grams (gram) $$"
)
FOLLOW_0059 = (
    "CREATE OR REPLACE FUNCTION feedback_grams_follow() RETURNS trigger LANGUAGE plpgsql "
    f"AS $$ DECLARE found text := feedback_character_runs({WORDS.format('NEW')}); "
    "BEGIN "
    "IF found IS NULL THEN DELETE FROM feedback_grams WHERE item_id = NEW.id; "
    "ELSE INSERT INTO feedback_grams (item_id, workspace_id, grams, runs) "
    "VALUES (NEW.id, NEW.workspace_id, "
    "array_to_tsvector(feedback_run_grams(string_to_array(found, ' '))), found) "
    "ON CONFLICT (item_id) DO UPDATE "
    "SET workspace_id = EXCLUDED.workspace_id, grams = EXCLUDED.grams, runs = EXCLUDED.runs; "
    "END IF; RETURN NULL; END $$"
)
# Migration 0054's.
FOLLOW_0054 = (
    "CREATE OR REPLACE FUNCTION feedback_grams_follow() RETURNS trigger LANGUAGE plpgsql "
    f"AS $$ DECLARE found text[] := feedback_character_grams({WORDS.format('NEW')}); "
    "BEGIN "
    "IF cardinality(found) = 0 THEN DELETE FROM feedback_grams WHERE item_id = NEW.id; "
    "ELSE INSERT INTO feedback_grams (item_id, workspace_id, grams) "
    "VALUES (NEW.id, NEW.workspace_id, array_to_tsvector(found)) "
    "ON CONFLICT (item_id) DO UPDATE "
    "SET workspace_id = EXCLUDED.workspace_id, grams = EXCLUDED.grams; "
    "END IF; RETURN NULL; END $$"
)

UPGRADE = (
    RUNS_FUNCTION,
    RUN_GRAMS_FUNCTION,
    "ALTER TABLE feedback_grams ADD COLUMN runs text",
    # Filled as the table is rewritten once (an UPDATE of every row would leave the table
    # twice its size, dead rows included, for every search's scan of it); a row whose item
    # no longer has such letters (none should) finds no longer word.
    "CREATE FUNCTION pg_temp.item_runs(item integer) RETURNS text LANGUAGE sql STABLE AS $$ "
    f"SELECT coalesce(feedback_character_runs({WORDS.format('i')}), '') "
    "FROM feedback_items i WHERE i.id = item $$",
    "ALTER TABLE feedback_grams ALTER COLUMN runs TYPE text USING pg_temp.item_runs(item_id), "
    "ALTER COLUMN runs SET NOT NULL",
    "DROP FUNCTION pg_temp.item_runs(integer)",
    FOLLOW_0059,
)
DOWNGRADE = (
    FOLLOW_0054,
    "ALTER TABLE feedback_grams DROP COLUMN runs",
    "DROP FUNCTION feedback_run_grams(text[])",
    "DROP FUNCTION feedback_character_runs(text)",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
