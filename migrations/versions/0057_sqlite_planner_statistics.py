"""SQLite: planner statistics for databases that never had them

Revision ID: 0057
Revises: 0056
Create Date: 2026-12-05 23:55:00

SQLite keeps no statistics unless asked, and before session 13 only bulk imports of 2,000
rows or more asked. A database grown by single answers was planned from fixed guesses: at
200,000 items the inbox's text search took 40-74 s instead of 6-8 ms. Pooled connections
now keep them (`planner_statistics.SQLITE_OPTIMIZE_EVERY_SECONDS`), but only after their first minute and
only for the tables their own queries used: an upgraded database gets them here, at once,
sampled as the pool samples them (`planner_statistics.SQLITE_ANALYSIS_LIMIT` rows an index; 242 ms at
200,000 items). A database that has statistics keeps them. Statistics are not schema: the
downgrade leaves them.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0057"
down_revision: str | None = "0056"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANALYSIS_LIMIT = 1_000  # planner_statistics.SQLITE_ANALYSIS_LIMIT when this was written


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    has_statistics = bind.scalar(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    )
    if not has_statistics:
        bind.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT:d}")
        bind.exec_driver_sql("ANALYZE")
        bind.exec_driver_sql("PRAGMA analysis_limit=0")


def downgrade() -> None:
    pass
