"""SQLite: the trigram search index merges its segments 8 at a time instead of 4

Revision ID: 0056
Revises: 0055
Create Date: 2026-12-05 23:59:00

FTS5 writes each transaction's new terms as a segment and merges a level's segments into
one of the next level once `automerge` of them have gathered (default 4). An import
commits every chunk of 1,000 rows, so each row's trigrams were rewritten once per level:
about five times by 1,000,000 items, and the merging was the part of an imported item's
cost that grew with the table (551,000 items, 10,000 more imported: the trigram index's
share of the insert 1.2 s, of which 0.55 s merging; `automerge` 8: 0.47 s, 0.05 ms of the
storing process's CPU a row). Eight at a time rewrites each row about three times by a
million items (levels of 1,000, 8,000, 64,000, 512,000 rows), at the price of at most 7
segments a level instead of 3 for a search to read (measured in docs/performance.md).
`feedback_search` is FTS5's own configuration (its `_config` table), so the setting
holds for every connection. The character grams' FTS5 table (short words, a few scripts)
is left at the default: it costs a tenth as much. PostgreSQL has nothing to change.
Downgrade puts back FTS5's default.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0056"
down_revision: str | None = "0055"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_TABLE = "feedback_search"
AUTOMERGE = 8
FTS5_DEFAULT_AUTOMERGE = 4


def _automerge(segments: int) -> str:
    # FTS5's configuration statement: an insert into the table's own hidden column (the
    # table's name and an integer, both ours).
    return f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rank) VALUES ('automerge', {segments:d})"  # noqa: S608


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_automerge(AUTOMERGE))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_automerge(FTS5_DEFAULT_AUTOMERGE))
