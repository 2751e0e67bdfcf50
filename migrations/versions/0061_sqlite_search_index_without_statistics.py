"""SQLite: no planner statistics on the full-text indexes' own tables

Revision ID: 0061
Revises: 0060
Create Date: 2026-12-06 09:40:00

Migration 0057 ran ANALYZE on databases that had no statistics, a new one included. It
recorded FTS5's `feedback_search_data` at the 2 rows an empty index holds, and no later
ANALYZE of a database grown by single answers replaces that figure. With it SQLite plans
FTS5's own `DELETE FROM feedback_search_data WHERE id >= ? AND id <= ?` (a merge dropping
the pages it has consumed) as a scan of the whole table, so every merge read the whole
trigram index: an import's storing process slowed as the index grew, several-fold at a
million items, and a single answer's insert paid a scan of it whenever its merge step came
(measured in docs/performance.md, "Session 16"). FTS5 reads its shadow tables by rowid or
key only; without statistics SQLite assumes a large table and goes by rowid. This forgets
the statistics of every FTS5 table's shadow tables; `planner_statistics.refresh_sqlite_statistics`
forgets them after each ANALYZE it runs. Connections opened afterwards plan by rowid.
PostgreSQL has nothing to change. Statistics are not schema: the downgrade leaves them.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0061"
down_revision: str | None = "0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As planner_statistics.FORGET_FTS5_SHADOW_STATISTICS has it when this was written.
FORGET_FTS5_SHADOW_STATISTICS = (
    "DELETE FROM sqlite_stat1 WHERE tbl IN ("
    "SELECT v.name || '_' || s.part FROM sqlite_master AS v, (SELECT 'data' AS part "
    "UNION ALL SELECT 'idx' UNION ALL SELECT 'content' UNION ALL SELECT 'docsize' "
    "UNION ALL SELECT 'config') AS s "
    "WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%')"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    has_statistics = bind.scalar(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    )
    if has_statistics:
        bind.exec_driver_sql(FORGET_FTS5_SHADOW_STATISTICS)


def downgrade() -> None:
    pass
