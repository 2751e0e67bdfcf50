"""The NPS report's aggregates: answers counted per day and month, kept by the database.

`nps_counts` holds, for every workspace, how many answers gave each 0-10 score, per UTC day
(span "d") and per UTC month (span "m") of the answer's date, in slices: overall (""),
by one dimension ("s" survey, "c" channel, "k" country, "t" tag) and by each pair of
dimensions ("sc", "sk", "ck", "ts", "tc", "tk", "tt"). A slice's keys are text: `key_a`
the first dimension's value, `key_b` the second's ("" for none, a missing survey or an
unknown country). Triggers made by migration 0033 keep the rows in step with
`feedback_items`, `testimonials` and `testimonial_tags` in the same transaction as every
write (recorded, imported, edited, erased or deleted answers, tags added or removed), so
the report is correct to the last answer without rescanning them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.db import Base


class NpsCount(Base):
    """How many answers of one slice, key and period gave one score (kept by triggers)."""

    __label__ = "NPS count"
    __tablename__ = "nps_counts"
    __table_args__ = (
        # A filter on the slice's second dimension (e.g. channel within "sc").
        Index("ix_nps_counts_second_key", "workspace_id", "slice", "span", "key_b", "period"),
        # WITHOUT ROWID on SQLite (migration 0033), not declared here: a SQLite option on a
        # model loads SQLite's dialect (~1 MB) into every PostgreSQL worker.
    )

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    slice: Mapped[str] = mapped_column(String(2), primary_key=True)
    span: Mapped[str] = mapped_column(String(1), primary_key=True)
    key_a: Mapped[str] = mapped_column(String(40), primary_key=True)
    period: Mapped[date] = mapped_column(primary_key=True)
    key_b: Mapped[str] = mapped_column(String(40), primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    answers: Mapped[int]
