"""Is this respondent a known customer? Their e-mail's keyed hash against the workspace's list.

Used by intake as items arrive (one indexed query per batch) and by imports, which load the
whole list once and check each row in memory. The key is `personal_data.subject_key`, the one
erasure records use, so an erasure finds the respondent's entry on the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.harvest.customers.models import KnownCustomer
from testimonials.harvest.models import FeedbackItem, VerifiedBy
from testimonials.harvest.personal_data import keyed_hash

# Hashes per IN (...) lookup: well under every database's bound-parameter limit.
LOOKUP_BATCH = 500
# Verification we never replace: a per-respondent link is the stronger proof.
_KEPT = {VerifiedBy.TOKEN.value, VerifiedBy.CUSTOMER_EMAIL.value}


def customer_hash(key: bytes, email: str | None) -> str | None:
    """The keyed hash of a trimmed, lower-cased e-mail address (None for no address)."""
    return keyed_hash(key, email)


def listed_hashes(session: Session, workspace_id: int, hashes: Iterable[str]) -> set[str]:
    """Which of these hashes are on the workspace's list."""
    wanted = sorted(set(hashes))
    found: set[str] = set()
    for start in range(0, len(wanted), LOOKUP_BATCH):
        found.update(
            session.scalars(
                select(KnownCustomer.email_hash).where(
                    KnownCustomer.workspace_id == workspace_id,
                    KnownCustomer.email_hash.in_(wanted[start : start + LOOKUP_BATCH]),
                )
            )
        )
    return found


def verify_known_customers(
    session: Session, workspace_id: int, items: Sequence[FeedbackItem], key: bytes | None
) -> list[FeedbackItem]:
    """Mark items whose author is a known customer as verified by e-mail; returns those."""
    if key is None:
        return []
    candidates = [
        (item, customer_hash(key, item.author_email))
        for item in items
        if item.author_email and item.verified_by not in _KEPT and item.erased_at is None
    ]
    if not candidates:
        return []
    listed = listed_hashes(session, workspace_id, (h for _item, h in candidates if h))
    return list(mark_customer_verified([item for item, h in candidates if h in listed]))


def mark_customer_verified(items: Sequence[FeedbackItem]) -> Sequence[FeedbackItem]:
    """Record that these items' authors were found on the known-customer list."""
    for item in items:
        item.verified = True
        item.verified_by = VerifiedBy.CUSTOMER_EMAIL.value
    return items


class KnownCustomerSet:
    """A workspace's whole list in memory, loaded once, for checking a long backlog row by row.

    Keeps 64 bits of each hash (as `imports` does for texts): a million addresses fit in
    tens of megabytes, and a false match needs a 64-bit collision with a listed address.
    """

    def __init__(self, key: bytes | None, hashes: Iterable[str]) -> None:
        self._key = key
        self._prefixes = {int(h[:16], 16) for h in hashes} if key is not None else set()

    @classmethod
    def load(cls, session: Session, workspace_id: int, key: bytes | None) -> KnownCustomerSet:
        """The workspace's list (one query; nothing is read without a key)."""
        if key is None:
            return cls(None, ())
        hashes = session.scalars(
            select(KnownCustomer.email_hash).where(KnownCustomer.workspace_id == workspace_id)
        )
        return cls(key, hashes)

    def __len__(self) -> int:
        return len(self._prefixes)

    def includes(self, email: str | None) -> bool:
        """Whether this address is on the list (no hashing at all when the list is empty)."""
        if not self._prefixes or not email or self._key is None:
            return False
        digest = customer_hash(self._key, email)
        return digest is not None and int(digest[:16], 16) in self._prefixes
