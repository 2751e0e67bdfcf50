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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from testimonials.db import Base, UTCDateTime, utcnow


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
        # The inbox's "flagged" filter.
        Index("ix_feedback_items_workspace_suspicion", "workspace_id", "suspicion"),
        # Covers both NPS report queries, so they read the index alone.
        Index(
            "ix_feedback_items_workspace_nps_report",
            "workspace_id",
            "nps_score",
            "survey_id",
            "channel",
            "country",
            "submitted_at",
            "received_at",
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


class Survey(Base):
    """An NPS survey: the question, the follow-up, optional extras, consent and embed rules."""

    __label__ = "survey"
    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint("trigger IN ('delay', 'scroll', 'manual')", name="trigger"),
        CheckConstraint("sample_rate >= 0 AND sample_rate <= 1", name="sample_rate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    company_name: Mapped[str] = mapped_column(String(120))
    question: Mapped[str] = mapped_column(String(300))
    comment_prompt: Mapped[str] = mapped_column(String(300))
    # [{"key": "role", "label": "What is your role?", "type": "text"|"choice", "choices": []}]
    extra_questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    consent_text: Mapped[str] = mapped_column(Text)
    consent_version: Mapped[str] = mapped_column(String(40))
    follow_up_passives: Mapped[bool] = mapped_column(default=False)
    # The hosted page and the embed script find the survey by this public, unguessable token.
    public_token: Mapped[str] = mapped_column(String(43), unique=True)
    trigger: Mapped[str] = mapped_column(String(10), default="delay")
    delay_seconds: Mapped[int] = mapped_column(default=5)
    scroll_percent: Mapped[int] = mapped_column(default=50)
    sample_rate: Mapped[float] = mapped_column(Float, default=1.0)
    cooldown_days: Mapped[int] = mapped_column(default=90)
    allowed_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveyInvitation(Base):
    """A per-respondent link: one answer per token, and the answer counts as verified."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("survey_id", "external_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    # Only a hash: a leaked table does not let anyone answer in a customer's name.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    respondent_email: Mapped[str | None] = mapped_column(String(254))
    respondent_name: Mapped[str | None] = mapped_column(String(200))
    external_ref: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship()


class FollowUpStatus(enum.StrEnum):
    """Where closing the loop with an unhappy respondent stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class FollowUp(Base):
    """A detractor (or passive) response the team should answer."""

    __label__ = "follow-up"
    __tablename__ = "follow_ups"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'in_progress', 'closed')", name="status"),
        Index("ix_follow_ups_workspace_status", "workspace_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), unique=True
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=FollowUpStatus.OPEN.value)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[FeedbackItem] = relationship()


class ImportRun(Base):
    """One file import and its report: what was added, skipped as duplicate, or invalid."""

    __label__ = "import"
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(10))
    source_name: Mapped[str] = mapped_column(String(120))
    layout: Mapped[str | None] = mapped_column(String(40))
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_added: Mapped[int] = mapped_column(default=0)
    rows_duplicate: Mapped[int] = mapped_column(default=0)
    rows_invalid: Mapped[int] = mapped_column(default=0)
    # [{"row": 7, "reason": "rating 9 is outside 1-5"}], capped; counts above are exact.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookSourceKind(enum.StrEnum):
    """Which wire format a webhook source speaks (signature and body)."""

    # Our own format: X-Testimonials-* headers over "timestamp.body", our event JSON.
    TESTIMONIALS = "testimonials"
    # Typeform's own webhooks: Typeform-Signature over the body, its form_response JSON.
    TYPEFORM = "typeform"


class WebhookSource(Base):
    """A survey tool that posts responses to /hooks/{token}, signed with its own secret."""

    __label__ = "webhook source"
    __tablename__ = "webhook_sources"
    __table_args__ = (CheckConstraint("kind IN ('testimonials', 'typeform')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    token: Mapped[str] = mapped_column(String(43), unique=True)
    # The signing secret is derived from TESTIMONIALS_SECRET_KEY and this salt, never stored.
    secret_salt: Mapped[str] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_delivery_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(
        String(20), default=WebhookSourceKind.TESTIMONIALS.value, server_default="testimonials"
    )
    # Typeform only: which question (by field ref) feeds which of our fields, e.g.
    # {"score": "nps", "comment": "why"}; fields not named here are found automatically.
    field_map: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))


class WebhookDelivery(Base):
    """A webhook event we accepted; its id makes redelivery harmless."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("source_id", "event_id"),
        Index("ix_webhook_deliveries_source_response", "source_id", "response_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("webhook_sources.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(200))
    event_type: Mapped[str] = mapped_column(String(40))
    response_id: Mapped[str] = mapped_column(String(200))
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="SET NULL")
    )
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ErasureKind(enum.StrEnum):
    """What an erasure request named: a person (by e-mail address) or one answer."""

    RESPONDENT = "respondent"
    ITEM = "item"


class Erasure(Base):
    """A record that a respondent's personal data was erased (kept without the data)."""

    __tablename__ = "erasures"
    __table_args__ = (CheckConstraint("kind IN ('respondent', 'item')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16), default=ErasureKind.RESPONDENT.value)
    # A keyed hash of the e-mail: proves which request was honoured without keeping it.
    # Empty for one answer erased on its own: that person did not ask to be forgotten
    # everywhere, so their address must not be refused on the known-customer list.
    subject_hash: Mapped[str | None] = mapped_column(String(64))
    # The answer erased on its own (its row stays, emptied of everything personal).
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="SET NULL")
    )
    items_erased: Mapped[int] = mapped_column(default=0)
    invitations_erased: Mapped[int] = mapped_column(default=0)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_by_api_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_keys.id", ondelete="SET NULL")
    )
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
