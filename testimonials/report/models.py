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

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.db import Base

# nps_tagged_answers' indexes led by a dimension after the workspace (migration 0049).
TAGGED_DIMENSION_INDEXES = (
    ("channel", ("channel", "country", "survey_id")),
    ("survey", ("survey_id", "channel", "country")),
    ("country", ("country", "survey_id", "channel")),
)
TAGGED_COVERED = ("answered_on", "nps_score", "tag_id")


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


class NpsTaggedAnswer(Base):
    """A tag link of a scored answer, with the answer's dimensions, day and score beside it.

    One row per `testimonial_tags` row whose testimonial's answer has an NPS score, kept by
    triggers of migration 0049 (links added or removed; answers edited) and by the foreign
    key's cascade (links removed, with their testimonial, tag, answer or workspace). A
    report narrowed by two or more filters counts its tag segments, or its answers carrying
    a tag, from these rows by index, instead of joining every answer to its testimonial and
    tags. Survey, channel and country as stored on the answer; `answered_on` the UTC day of
    its `submitted_at`, else `received_at`; `tag_set` every tag id of the testimonial,
    ascending, comma-separated (the tags beside a filtered tag, counted per distinct set).
    """

    __label__ = "tagged NPS answer"
    __tablename__ = "nps_tagged_answers"
    __table_args__ = (
        ForeignKeyConstraint(
            ["testimonial_id", "tag_id"],
            ["testimonial_tags.testimonial_id", "testimonial_tags.tag_id"],
            ondelete="CASCADE",
        ),
        # Each leads with the workspace and covers what a report reads: the tag filter,
        # then every pair of survey, channel and country as a prefix of one of the others.
        Index(
            "ix_nps_tagged_answers_tag",
            "workspace_id",
            "tag_id",
            "channel",
            "country",
            "survey_id",
            "answered_on",
            "nps_score",
            "tag_set",
        ),
        *(
            Index(f"ix_nps_tagged_answers_{name}", "workspace_id", *dimensions, *TAGGED_COVERED)
            for name, dimensions in TAGGED_DIMENSION_INDEXES
        ),
        # WITHOUT ROWID on SQLite (migration 0049), not declared here (see NpsCount).
    )

    testimonial_id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int]
    survey_id: Mapped[int | None]
    channel: Mapped[str] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    answered_on: Mapped[date]
    nps_score: Mapped[int] = mapped_column(SmallInteger)
    tag_set: Mapped[str] = mapped_column(Text)
