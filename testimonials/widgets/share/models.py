"""Share pages (a public link per testimonial) and the cache of rendered share images."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.db import Base, UTCDateTime, utcnow


def new_share_token() -> str:
    """An unguessable link token: the page names no id, so pages cannot be enumerated."""
    return secrets.token_urlsafe(16)


class SharePage(Base):
    """A testimonial's public page (/t/<token>), opened by a member and closable again."""

    __label__ = "share page"
    __tablename__ = "share_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    testimonial_id: Mapped[int] = mapped_column(
        ForeignKey("testimonials.id", ondelete="CASCADE"), unique=True
    )
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_share_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ShareImage(Base):
    """One rendered image of a testimonial, valid while its `version` matches the content."""

    __label__ = "share image"
    __tablename__ = "share_images"
    __table_args__ = (
        UniqueConstraint("testimonial_id", "format"),
        CheckConstraint("format IN ('card', 'square')", name="format"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    testimonial_id: Mapped[int] = mapped_column(ForeignKey("testimonials.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(8))
    version: Mapped[str] = mapped_column(String(40))
    # Deferred: a revalidation (304) compares versions without reading the image.
    png: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
