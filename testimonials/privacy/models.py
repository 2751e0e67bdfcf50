"""The record of erasures: proof each request was honoured, kept without the data."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.db import Base, UTCDateTime, utcnow


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
