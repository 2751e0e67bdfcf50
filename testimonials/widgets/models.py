"""Widget definitions: what a workspace shows on its pages, and how it looks."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.db import Base, UTCDateTime, utcnow


class WidgetKind(enum.StrEnum):
    """The layouts a widget can take."""

    WALL = "wall"
    CAROUSEL = "carousel"
    SINGLE = "single"
    MARQUEE = "marquee"
    AVATARS = "avatars"
    RATING = "rating"


def new_public_key() -> str:
    """The unguessable id a widget is embedded by (it names no workspace)."""
    return secrets.token_urlsafe(12)


class Widget(Base):
    """One embeddable widget: a layout, a selection of testimonials and a theme."""

    __label__ = "widget"
    __tablename__ = "widgets"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('wall', 'carousel', 'single', 'marquee', 'avatars', 'rating')", name="kind"
        ),
        Index("ix_widgets_workspace_name", "workspace_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    public_key: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_key)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    # {"tag_ids", "languages", "channels", "min_specificity", "pinned_ids", "max_items"}
    selection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # {"mode", "accent", "radius", "density", "font"}
    theme: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # {"photo", "role", "company", "date", "source", "rating"}: booleans
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    custom_css: Mapped[str] = mapped_column(Text, default="")
    caption: Mapped[str] = mapped_column(String(200), default="Selected by {company}")
    # {"type": "Product", "name": "..."}: the item the reviews are about; None = no JSON-LD
    structured_data: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # Sites allowed to embed it; empty = any site.
    allowed_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The visitors' language: the widget's own wording, plurals, numbers, dates, direction.
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
