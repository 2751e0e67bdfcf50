"""inbox groups in the rank: publishable praise first, the scores order within a group

Revision ID: 0053
Revises: 0052
Create Date: 2026-12-05 21:00:00

The inbox's "best first" was specificity x (1 - suspicion), so a detailed complaint
without consent to quote led the inbox. The stored rank is now the item's group
(testimonials.scoring.standing: 4 consented praise, 3 consented lukewarm words, 2 happy
words without consent, 1 flagged as suspicious, 0 unhappy customers) plus 0.999 x the old value within it, so the
inbox still walks one index (ix_testimonials_workspace_rank) in rank order. This
recomputes every stored rank from the item's consent, rating, NPS score and (only for an
item with neither score) its words, a batch of testimonials at a time by id: nothing is
held in memory beyond a batch. The old value is the value within the group, learned
model included, so no refit is needed. Downgrade takes the group back out.
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from testimonials.scoring.standing import grouped_rank, rank_within, standing

revision: str = "0053"
down_revision: str | None = "0052"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000

_READ = sa.text(
    "SELECT t.id, t.rank_score, i.consent_state, i.rating, i.nps_score, i.language, "
    "i.erased_at IS NOT NULL AS erased, i.suspicion, "
    "CASE WHEN i.rating IS NULL AND i.nps_score IS NULL THEN i.text ELSE '' END AS words "
    "FROM testimonials t JOIN feedback_items i ON i.id = t.item_id "
    "WHERE t.id > :after ORDER BY t.id LIMIT :batch"
)
_READ_RANKS = sa.text(
    "SELECT id, rank_score FROM testimonials WHERE id > :after ORDER BY id LIMIT :batch"
)


def _write(ids: list[int], ranks: list[float]) -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        # One set-based UPDATE per batch (an executemany is a statement per row there).
        connection.execute(
            sa.text(
                "UPDATE testimonials SET rank_score = new.rank FROM "
                "unnest(CAST(:ids AS integer[]), CAST(:ranks AS double precision[])) "
                "AS new(id, rank) WHERE testimonials.id = new.id"
            ),
            {"ids": ids, "ranks": ranks},
        )
        return
    connection.execute(
        sa.text("UPDATE testimonials SET rank_score = :rank WHERE id = :id"),
        [{"id": i, "rank": r} for i, r in zip(ids, ranks, strict=True)],
    )


def _rerank(read: sa.TextClause, rank: Callable[[sa.Row[Any]], float]) -> None:
    """Rewrite every stored rank, a batch of testimonials at a time by id."""
    connection = op.get_bind()
    after = 0
    while rows := connection.execute(read, {"after": after, "batch": BATCH}).all():
        _write([row.id for row in rows], [rank(row) for row in rows])
        after = rows[-1].id


def _grouped(row: sa.Row[Any]) -> float:
    group = standing(
        row.consent_state == "granted",
        row.rating,
        row.nps_score,
        row.words or "",
        row.language,
        bool(row.erased),
        row.suspicion,
    )
    return grouped_rank(group, row.rank_score or 0.0)


def upgrade() -> None:
    _rerank(_READ, _grouped)


def downgrade() -> None:
    _rerank(_READ_RANKS, lambda row: rank_within(row.rank_score or 0.0))
