"""The visitor-day unit: a key derived on the server from a salt that lives for 48 hours.

Nothing is stored on the visitor's device. The unit key is an HMAC of (workspace,
truncated IP address, user agent, accept-language) under the day's random salt; the IP
is truncated before use (IPv4 to /24, IPv6 to /48) and never stored. Once a day's salt is
destroyed, 48 hours after that day began, its keys can no longer be linked to anything a
visitor sends: not by us, not by anyone with the database.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testimonials.bulk_insert import dialect_insert
from testimonials.db import utcnow
from testimonials.tracking.bots import is_automated
from testimonials.tracking.models import Exclusion, VisitorDaySalt

SALT_LIFETIME = timedelta(hours=48)


def truncate_ip(address: str) -> str:
    """The network of `address` (IPv4 /24, IPv6 /48) as text; '' when it is not an address."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def destroy_expired_salts(session: Session, now: datetime) -> int:
    """Delete every salt whose day began 48 hours ago or more; how many went."""
    oldest_kept = (now - SALT_LIFETIME).date() + timedelta(days=1)
    result = session.execute(delete(VisitorDaySalt).where(VisitorDaySalt.day < oldest_kept))
    return result.rowcount or 0  # type: ignore[attr-defined]


def day_salt(session: Session, day: date) -> str:
    """The salt of `day`, made (race-safely) on first use; expired salts go at the same time."""
    salt = session.scalar(select(VisitorDaySalt.salt).where(VisitorDaySalt.day == day))
    if salt is not None:
        return salt
    # Concurrent first requests of the day race here; the unique day makes the loser a skip.
    session.execute(
        dialect_insert(session)(VisitorDaySalt)
        .values(day=day, salt=secrets.token_hex(32), created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["day"])
    )
    destroy_expired_salts(session, datetime.combine(day, datetime.min.time()))
    return session.scalars(select(VisitorDaySalt.salt).where(VisitorDaySalt.day == day)).one()


@dataclass(frozen=True)
class Visitor:
    """Who sent a request, as far as the analysis may know: a day key and any exclusion."""

    day: date
    unit_key: str
    excluded: Exclusion | None


def identify_visitor(
    session: Session,
    workspace_id: int,
    *,
    ip: str,
    user_agent: str,
    accept_language: str,
    privacy_signal: bool,
    automated_hint: bool,
    now: datetime,
) -> Visitor:
    """The visitor-day unit behind a request; the raw IP is used here and nowhere else."""
    day = now.date()
    return visitor_of_day(
        day,
        day_salt(session, day),
        workspace_id,
        ip=ip,
        user_agent=user_agent,
        accept_language=accept_language,
        privacy_signal=privacy_signal,
        automated_hint=automated_hint,
    )


def visitor_of_day(
    day: date,
    salt: str,
    workspace_id: int,
    *,
    ip: str,
    user_agent: str,
    accept_language: str,
    privacy_signal: bool,
    automated_hint: bool,
) -> Visitor:
    """The unit behind a request on `day`, keyed with that day's salt (no database needed)."""
    material = "\x1f".join(
        [str(workspace_id), truncate_ip(ip), user_agent[:512], accept_language[:128]]
    )
    key = hmac.new(bytes.fromhex(salt), material.encode(), hashlib.sha256).hexdigest()[:32]
    excluded = None
    if is_automated(user_agent, accept_language, automated_hint):
        excluded = Exclusion.BOT
    elif privacy_signal:
        excluded = Exclusion.PRIVACY_SIGNAL
    return Visitor(day, key, excluded)
