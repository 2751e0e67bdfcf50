"""character grams on SQLite: searches of short words in scripts without spaces use an index

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-05 07:00:00

FTS5's trigram index cannot serve a word of one or two characters (no trigram), and
Chinese, Japanese, Korean, Thai, Khmer and Lao words are often that short: SQLite scanned
every item's text for them (2-6 s at 200,000 items). As migration 0048 did on PostgreSQL,
each character and each pair of adjacent characters of those scripts in an item's text or
author name is indexed: on SQLite as the space-separated tokens of an FTS5 table
(`feedback_grams_fts`, rowid = item id, the ascii tokenizer: every non-ASCII character is a
token character, so a gram is one token as it is; detail=none: only which items hold a
gram). Triggers keep it in step with feedback_items through `feedback_character_grams(text,
author_name)`, a Python function the application registers on every SQLite connection
(`harvest.search.sqlite_character_grams`; this migration registers its own copy for the
backfill). Items without such letters get no row. PostgreSQL: nothing (migration 0048).

A later migration that rebuilds feedback_items in SQLite batch mode drops these triggers
with the old table (as those of 0014 and 0033): it must create them again. The character
ranges must stay those of `harvest.search.GRAM_RANGES` (tests/api/test_text_search.py
compares them).
"""

import re
from collections.abc import Sequence

from alembic import op

revision: str = "0050"
down_revision: str | None = "0049"
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
_RUN = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in RANGES) + "]+")

UPGRADE = (
    "CREATE VIRTUAL TABLE feedback_grams_fts USING fts5("
    "grams, tokenize='ascii', detail='none', columnsize=0)",
    "CREATE TRIGGER feedback_grams_insert AFTER INSERT ON feedback_items BEGIN "
    "INSERT INTO feedback_grams_fts(rowid, grams) SELECT new.id, grams FROM (SELECT "
    "feedback_character_grams(new.text, new.author_name) AS grams) WHERE grams IS NOT NULL; "
    "END",
    "CREATE TRIGGER feedback_grams_delete AFTER DELETE ON feedback_items BEGIN "
    "DELETE FROM feedback_grams_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER feedback_grams_update AFTER UPDATE OF text, author_name "
    "ON feedback_items BEGIN "
    "DELETE FROM feedback_grams_fts WHERE rowid = old.id; "
    "INSERT INTO feedback_grams_fts(rowid, grams) SELECT new.id, grams FROM (SELECT "
    "feedback_character_grams(new.text, new.author_name) AS grams) WHERE grams IS NOT NULL; "
    "END",
    # The backfill: the same as the insert trigger, for every item there is.
    "INSERT INTO feedback_grams_fts(rowid, grams) SELECT id, grams FROM (SELECT id, "
    "feedback_character_grams(text, author_name) AS grams FROM feedback_items) "
    "WHERE grams IS NOT NULL",
    "INSERT INTO feedback_grams_fts(feedback_grams_fts) VALUES ('optimize')",
)
DOWNGRADE = (
    "DROP TRIGGER feedback_grams_update",
    "DROP TRIGGER feedback_grams_delete",
    "DROP TRIGGER feedback_grams_insert",
    "DROP TABLE feedback_grams_fts",
)


def _grams(text: str | None, author_name: str | None) -> str | None:
    """Each character and pair of adjacent characters of the runs of RANGES' letters, sorted
    and space-separated; None if there are none."""
    grams: set[str] = set()
    for run in _RUN.findall(f"{text or ''} {author_name or ''}"):
        grams.update(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(sorted(grams)) or None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    driver = bind.connection.driver_connection
    driver.create_function("feedback_character_grams", 2, _grams, deterministic=True)
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in DOWNGRADE:
            op.execute(statement)
