"""Sign-in sessions on the server: started at sign-in, checked on every request, ended at will.

A signed cookie alone cannot be taken back: a copy made before "Sign out" kept working.
Each sign-in now has a record; the cookie carries a random token whose hash names it, and
a request whose record is gone (signed out, ended from the members page, idle too long,
password changed) is signed out.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from testimonials.accounts.models import SignInSession, User
from testimonials.db import utcnow
from testimonials.errors import NotFoundError

# A session nobody used for this long ends (the cookie itself lasts until the browser closes).
IDLE_LIMIT = timedelta(days=14)
# How stale last_seen_at may get before a request writes it again (no write per request).
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
USER_AGENT_LENGTH = 255


def _hash(token: str) -> str:
    # Tokens carry 256 random bits: a fast hash is enough, there is no dictionary to slow.
    return hashlib.sha256(token.encode()).hexdigest()


def network_of(address: str | None) -> str:
    """An address truncated to its network (/24 for IPv4, /48 for IPv6), or "" if none."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def start_session(
    session: Session, user: User, user_agent: str | None, address: str | None
) -> tuple[SignInSession, str]:
    """Record a sign-in; returns the record and the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    record = SignInSession(
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        token_hash=_hash(token),
        user_agent=(user_agent or "")[:USER_AGENT_LENGTH],
        ip_network=network_of(address),
    )
    session.add(record)
    session.flush()
    return record, token


def active_session(
    session: Session, user_id: int, token: str | None, now: datetime | None = None
) -> SignInSession | None:
    """The user's live session for this token; None if ended or idle too long (then ended)."""
    if not token:
        return None
    record = session.scalar(
        select(SignInSession).where(
            SignInSession.token_hash == _hash(token), SignInSession.user_id == user_id
        )
    )
    if record is None:
        return None
    now = now or utcnow()
    if now - record.last_seen_at > IDLE_LIMIT:
        session.delete(record)
        session.flush()
        return None
    return record


def note_activity(session: Session, record: SignInSession, now: datetime | None = None) -> bool:
    """Move last_seen_at on if it is stale; True when something was written."""
    now = now or utcnow()
    if now - record.last_seen_at <= LAST_SEEN_RESOLUTION:
        return False
    record.last_seen_at = now
    session.flush()
    return True


def end_session_by_token(session: Session, token: str | None) -> None:
    """End the session this token names (signing out); nothing if it is already gone."""
    if token:
        session.execute(delete(SignInSession).where(SignInSession.token_hash == _hash(token)))
        session.flush()


def end_session(session: Session, user_id: int, session_id: int) -> SignInSession:
    """End one of the user's sessions (another browser, a lost laptop); NotFoundError else."""
    record = session.get(SignInSession, session_id)
    if record is None or record.user_id != user_id:
        raise NotFoundError("That session has already ended.")
    session.delete(record)
    session.flush()
    return record


def end_all_sessions(session: Session, user_id: int, keep_id: int | None = None) -> int:
    """End every session of a user (but `keep_id`); returns how many ended."""
    statement = delete(SignInSession).where(SignInSession.user_id == user_id)
    if keep_id is not None:
        statement = statement.where(SignInSession.id != keep_id)
    ended = session.execute(statement).rowcount or 0  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult
    session.flush()
    return ended


def live_session_counts(
    session: Session, user_ids: list[int], now: datetime | None = None
) -> dict[int, int]:
    """How many live sessions each of these users has (absent: none)."""
    since = (now or utcnow()) - IDLE_LIMIT
    rows = session.execute(
        select(SignInSession.user_id, func.count())
        .where(SignInSession.user_id.in_(user_ids), SignInSession.last_seen_at >= since)
        .group_by(SignInSession.user_id)
    )
    return {user_id: count for user_id, count in rows}


def sessions_query(user_id: int, now: datetime | None = None) -> Select[SignInSession]:
    """A user's live sessions, most recently used first."""
    since = (now or utcnow()) - IDLE_LIMIT
    return (
        select(SignInSession)
        .where(SignInSession.user_id == user_id, SignInSession.last_seen_at >= since)
        .order_by(SignInSession.last_seen_at.desc(), SignInSession.id.desc())
    )
