"""Harvested feedback: what customers said, where it came from, and whether it may be quoted."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from testimonials.db import Base, UTCDateTime, utcnow

# SQLite's triggers on feedback_items call a function this module registers on every
# connection (migration 0050): loaded with the model, so no writer of items goes without.
from testimonials.harvest import grams as _grams  # noqa: F401


class Channel(enum.StrEnum):
    """How an item reached us."""

    HOSTED_SURVEY = "hosted_survey"
    EMBEDDED_SURVEY = "embedded_survey"
    API = "api"
    IMPORT = "import"
    WEBHOOK = "webhook"


class ConsentState(enum.StrEnum):
    """Whether the author allowed us to quote them publicly."""

    NOT_ASKED = "not_asked"
    GRANTED = "granted"
    DECLINED = "declined"
    REVOKED = "revoked"


class VerifiedBy(enum.StrEnum):
    """How we know an item comes from a real customer (`verified` says that we do)."""

    # Answered through a single-use, per-respondent survey link.
    TOKEN = "token"  # noqa: S105 (a kind of proof, not a secret)
    # The respondent's e-mail is on the workspace's list of known customers.
    CUSTOMER_EMAIL = "customer_email"
    # The API client that sent it vouched for it (`verified: true` on POST /responses).
    SENDER = "sender"


class NpsGroup(enum.StrEnum):
    """Bain's grouping of a 0-10 likelihood-to-recommend answer."""

    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"

    @classmethod
    def of(cls, score: int) -> NpsGroup:
        """The group of a 0-10 score: 9-10 promoter, 7-8 passive, 0-6 detractor."""
        if score >= 9:
            return cls.PROMOTER
        return cls.PASSIVE if score >= 7 else cls.DETRACTOR


class FeedbackItem(Base):
    """One comment or review, kept exactly as received, with provenance and consent."""

    __label__ = "feedback item"
    __tablename__ = "feedback_items"
    __table_args__ = (
        UniqueConstraint("workspace_id", "source_name", "external_id"),
        Index("ix_feedback_items_workspace_hash", "workspace_id", "content_hash"),
        Index("ix_feedback_items_workspace_received", "workspace_id", "received_at"),
        Index("ix_feedback_items_workspace_email", "workspace_id", "author_email"),
        # The inbox's "flagged" filter (PostgreSQL: with the id, to join without the heap).
        Index(
            "ix_feedback_items_workspace_suspicion",
            "workspace_id",
            "suspicion",
            postgresql_include=["id"],
        ),
        # The inbox's language filter, and a date range within one language (migration 0040).
        Index(
            "ix_feedback_items_workspace_language_received",
            "workspace_id",
            "language",
            "received_at",
            postgresql_include=["id"],
        ),
        # The NPS report with two or more filters (migration 0042): every pair of survey,
        # channel and country leads one index, which covers the columns the report reads.
        *(
            Index(
                f"ix_feedback_items_nps_{name}",
                "workspace_id",
                *dimensions,
                "nps_score",
                "submitted_at",
                "received_at",
                "id",
                postgresql_where=text("nps_score IS NOT NULL"),
            )
            for name, dimensions in (
                ("channel", ("channel", "country", "survey_id")),
                ("survey", ("survey_id", "channel", "country")),
                ("country", ("country", "survey_id", "channel")),
            )
        ),
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating_range"),
        CheckConstraint("nps_score IS NULL OR (nps_score BETWEEN 0 AND 10)", name="nps_range"),
        CheckConstraint(
            "channel IN ('hosted_survey', 'embedded_survey', 'api', 'import', 'webhook')",
            name="channel",
        ),
        CheckConstraint(
            "consent_state IN ('not_asked', 'granted', 'declined', 'revoked')",
            name="consent_state",
        ),
        CheckConstraint(
            "verified_by IS NULL OR verified_by IN ('token', 'customer_email', 'sender')",
            name="verified_by",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    source_name: Mapped[str] = mapped_column(String(120))
    external_id: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    # The original words; never edited (excerpts and display fixes live beside it).
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(300))
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    nps_score: Mapped[int | None] = mapped_column(SmallInteger)
    author_name: Mapped[str | None] = mapped_column(String(200))
    # Private: never rendered on any public surface.
    author_email: Mapped[str | None] = mapped_column(String(254))
    author_role: Mapped[str | None] = mapped_column(String(200))
    author_company: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified: Mapped[bool] = mapped_column(default=False)
    # A VerifiedBy value when verified (empty on items verified before it was recorded).
    verified_by: Mapped[str | None] = mapped_column(String(20))
    consent_state: Mapped[str] = mapped_column(String(16), default=ConsentState.NOT_ASKED.value)
    consent_text: Mapped[str | None] = mapped_column(Text)
    consent_version: Mapped[str | None] = mapped_column(String(40))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Filled in by the scorer; empty until the item has been scored.
    specificity: Mapped[float | None] = mapped_column(Float)
    suspicion: Mapped[float | None] = mapped_column(Float)
    score_reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    suggested_excerpt: Mapped[str | None] = mapped_column(Text)
    scorer_version: Mapped[str | None] = mapped_column(String(40))
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # MinHash signature of the text, so near-duplicates are found without re-reading texts.
    minhash: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True))
    # Where it came from, in more detail.
    survey_id: Mapped[int | None] = mapped_column(
        ForeignKey("surveys.id", ondelete="SET NULL"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitations.id", ondelete="SET NULL")
    )
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id", ondelete="SET NULL"))
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    avatar_url: Mapped[str | None] = mapped_column(String(500))
    location: Mapped[str | None] = mapped_column(String(200))
    # Burst signals: hashed, never the raw address or user agent.
    client_fingerprint: Mapped[str | None] = mapped_column(String(64))
    device_fingerprint: Mapped[str | None] = mapped_column(String(64))
    email_domain: Mapped[str | None] = mapped_column(String(254))
    # Latest source event applied (webhooks deliver out of order).
    source_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Personal data spotted inside the comment: {"emails": n, "phones": n, "urls": n}.
    pii_flags: Mapped[dict[str, int] | None] = mapped_column(JSON(none_as_null=True))
    consent_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def nps_group(self) -> NpsGroup | None:
        return None if self.nps_score is None else NpsGroup.of(self.nps_score)

    @classmethod
    def in_nps_group(cls, group: NpsGroup) -> ColumnElement[bool]:
        """SQL condition for items whose score falls in `group` (the same cut-offs as `of`)."""
        if group is NpsGroup.PROMOTER:
            return cls.nps_score >= 9
        if group is NpsGroup.PASSIVE:
            return cls.nps_score.between(7, 8)
        return cls.nps_score <= 6
