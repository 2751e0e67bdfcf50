"""Curation state beside each harvested item: decision, public excerpt, display, tags, audit."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from testimonials.db import Base, UTCDateTime, utcnow
from testimonials.harvest.models import FeedbackItem

# The longest reason a curator can give (to reject, or to approve a flagged item).
REASON_LENGTH = 500


class Status(enum.StrEnum):
    """Where a testimonial stands in the inbox."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SNOOZED = "snoozed"


class Disclosure(enum.StrEnum):
    """A tie between author and company that readers must be told about (FTC 16 CFR 465)."""

    EMPLOYEE = "employee"
    FAMILY = "family"
    PARTNER = "partner"
    INCENTIVISED = "incentivised"


DISCLOSURE_CHECK = (
    "disclosure IS NULL OR disclosure IN ('employee', 'family', 'partner', 'incentivised')"
)


testimonial_tags = Table(
    "testimonial_tags",
    Base.metadata,
    Column(
        "testimonial_id",
        Integer,
        ForeignKey("testimonials.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_testimonial_tags_tag", "tag_id", "testimonial_id"),
)


class Testimonial(Base):
    """The curation of one harvested item; the original text stays on the item, untouched."""

    __label__ = "testimonial"
    __tablename__ = "testimonials"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected', 'snoozed')", name="status"),
        CheckConstraint(DISCLOSURE_CHECK, name="disclosure"),
        # The inbox: one workspace, one status, best first.
        Index("ix_testimonials_inbox", "workspace_id", "status", "rank_score"),
        # Walk a workspace in rank order and stop after a page, whatever the status filter.
        Index(
            "ix_testimonials_workspace_rank",
            "workspace_id",
            "rank_score",
            "id",
            "status",
            "snoozed_until",
            # PostgreSQL: a walk reaches the item without the testimonial's heap (0040).
            postgresql_include=["item_id"],
        ),
        # The inbox's count of words to fix: a few rows out of a million. Partial on both
        # databases (migration 0037); only PostgreSQL's condition is declared here, as a
        # SQLite option on a model loads SQLite's dialect (~1 MB) into PostgreSQL workers.
        Index(
            "ix_testimonials_needs_fix",
            "workspace_id",
            postgresql_where=text("honesty_problem IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(16), default=Status.PENDING.value)
    # Specificity with a suspicion penalty, blended with the workspace's learned preference.
    rank_score: Mapped[float] = mapped_column(Float, default=0.0)
    # The public words: None means "use the scorer's suggested excerpt".
    excerpt: Mapped[str | None] = mapped_column(Text)
    display_name: Mapped[str | None] = mapped_column(String(200))
    # Why the public words are not the customer's own (curation/excerpts.py), or None. Set
    # on every change; a testimonial with one is never published until it is fixed.
    honesty_problem: Mapped[str | None] = mapped_column(String(500))
    display_role: Mapped[str | None] = mapped_column(String(200))
    display_company: Mapped[str | None] = mapped_column(String(200))
    # Set by a curator when the author is an insider or was given something for the words.
    disclosure: Mapped[str | None] = mapped_column(String(20))
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_etag: Mapped[str | None] = mapped_column(String(64))
    rejection_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    override_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    item: Mapped[FeedbackItem] = relationship(lazy="joined", innerjoin=True)
    tags: Mapped[list[Tag]] = relationship(secondary=testimonial_tags, order_by="Tag.name")

    @property
    def public_excerpt(self) -> str:
        """The words a widget would show."""
        return public_words(self.excerpt, self.item.suggested_excerpt, self.item.text)

    @property
    def publishable(self) -> bool:
        """Approved, and its public words are the customer's own (see `publishable()`)."""
        return is_publishable(self.status, self.honesty_problem)


def public_words(excerpt: str | None, suggested_excerpt: str | None, text: str) -> str:
    """The words a widget would show: the curated excerpt, else the suggested one, else all."""
    return excerpt or suggested_excerpt or text


def is_publishable(status: str, honesty_problem: str | None) -> bool:
    """`publishable()` for values already read (rows of a list, loaded models)."""
    return status == _APPROVED and honesty_problem is None


_APPROVED = Status.APPROVED.value


def publishable() -> ColumnElement[bool]:
    """The one predicate for anything public (API listings, widgets, exports of proof).

    Approved, with public words the customer wrote: an excerpt flagged by the honesty rule
    stays off every public surface until a person fixes it, even if it was approved before.
    """
    return and_(Testimonial.status == Status.APPROVED.value, Testimonial.honesty_problem.is_(None))


class Tag(Base):
    """A label such as "pricing page" or "enterprise"; collections are tags widgets show."""

    __label__ = "tag"
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    slug: Mapped[str] = mapped_column(String(60))
    is_collection: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """Who did what to which testimonial, when, with the state before and after."""

    __label__ = "audit entry"
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_workspace_created", "workspace_id", "created_at"),
        Index("ix_audit_entries_testimonial_created", "testimonial_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    testimonial_id: Mapped[int | None] = mapped_column(
        ForeignKey("testimonials.id", ondelete="CASCADE")
    )
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_api_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_keys.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    # Entries of one bulk action share a batch id, so one undo reverts them all.
    batch_id: Mapped[str | None] = mapped_column(String(16))
    # Set when a later "undo" reverted this entry, so it is not undone twice.
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkspaceModel(Base):
    """The workspace's learned approval model and how well it predicts held-out decisions."""

    __tablename__ = "workspace_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True
    )
    ranker: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    decisions: Mapped[int] = mapped_column(default=0)
    held_out_accuracy: Mapped[float | None] = mapped_column(Float)
    majority_baseline: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str] = mapped_column(String(300), default="")
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
