"""A workspace's list of known customer e-mail addresses, stored only as keyed hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.db import Base, UTCDateTime, utcnow


class KnownCustomer(Base):
    """One address of a workspace's customer list (e.g. a CRM export), as a keyed hash."""

    __label__ = "known customer"
    __tablename__ = "known_customers"
    # Also the index every lookup uses: (workspace, hash) leads with the workspace.
    __table_args__ = (UniqueConstraint("workspace_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # HMAC-SHA256 of the trimmed, lower-cased address with the erasure key
    # (personal_data.keyed_hash): comparable with respondents' addresses, never the address.
    email_hash: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
