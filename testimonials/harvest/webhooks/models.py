"""Webhook sources (survey tools posting signed responses) and their deliveries."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.db import Base, UTCDateTime, utcnow


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
