"""Workspaces (one customer company each), their users and roles, and API keys."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from testimonials.db import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a member may do in a workspace; each role includes the ones below it."""

    VIEWER = "viewer"
    EDITOR = "editor"
    OWNER = "owner"

    @property
    def rank(self) -> int:
        return [Role.VIEWER, Role.EDITOR, Role.OWNER].index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what `needed` may do."""
        return self.rank >= needed.rank


class Scope(enum.StrEnum):
    """What an API key may do: read only, or read and write."""

    READ = "read"
    WRITE = "write"

    def allows(self, needed: Scope) -> bool:
        """Whether a key with this scope may perform an operation needing `needed`."""
        return self is Scope.WRITE or needed is Scope.READ


@dataclass(frozen=True)
class Actor:
    """Who is acting: a dashboard user or an API key (or neither: the service itself)."""

    user_id: int | None = None
    api_key_id: int | None = None


class Workspace(Base):
    """One customer company; every business row belongs to exactly one workspace."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    # "#rrggbb": the colour share images (and, by default, widgets) are drawn in.
    brand_color: Mapped[str | None] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="workspace")


class User(Base):
    """A person who signs in to the dashboard.

    It answers what flask-login asks of a user (`is_authenticated`, `is_anonymous`,
    `get_id`) itself rather than through `UserMixin`: importing the models (every API
    process does) then does not load flask-login, which only the dashboard uses.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user")

    # Equal by `get_id()` below (as flask-login's UserMixin), so hashed by identity again.
    __hash__ = object.__hash__

    @property
    def is_authenticated(self) -> bool:
        """flask-login: a signed-in user is authenticated while the account is active."""
        return self.is_active

    @property
    def is_anonymous(self) -> bool:
        """flask-login: a user with an account is never the anonymous one."""
        return False

    def get_id(self) -> str:
        """The id kept in the session cookie; it changes with the password, ending old sessions."""
        fingerprint = hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]
        return f"{self.id}.{fingerprint}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, User):
            return self.get_id() == other.get_id()
        return NotImplemented


class Membership(Base):
    """A user's role in one workspace."""

    __label__ = "member"
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id"),
        CheckConstraint("role IN ('owner', 'editor', 'viewer')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")


class SignInSession(Base):
    """One signed-in browser: checked on every request, so signing out ends it everywhere.

    The cookie holds a random token; only its hash is stored, so the table alone signs
    nobody in. The address is kept truncated (a /24 or /48 network), enough to tell
    "my office" from "somewhere else" without keeping where a person was.
    """

    __label__ = "session"
    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    ip_network: Mapped[str] = mapped_column(String(64), default="")


class ApiKey(Base):
    """A bearer credential for the API; only a hash of the secret is stored."""

    __label__ = "API key"
    __tablename__ = "api_keys"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write')", name="scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    # The public, non-secret start of the key: how a presented key is looked up, and how
    # people recognise a key in the list without seeing its secret.
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(8))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
