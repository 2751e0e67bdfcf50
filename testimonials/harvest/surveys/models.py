"""Surveys, their single-use invitations and the follow-ups their detractors get."""

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
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from testimonials.db import Base, UTCDateTime, utcnow
from testimonials.harvest.models import FeedbackItem


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
    # What customers read: the hosted page, its messages and the default wording
    # (testimonials.locales.LANGUAGES).
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
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
