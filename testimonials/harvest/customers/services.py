"""Use cases for a workspace's known customers: add addresses, summarise, clear, and verify.

Only a keyed hash of each trimmed, lower-cased address is stored (`matching.customer_hash`).
Adding addresses also verifies the workspace's existing feedback from those customers and
scores it again, since unverified provenance is one of the suspicion reasons. Clearing the
list verifies nothing and un-verifies nothing: an item matched a known customer when it did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.bulk_insert import insert_new_rows
from testimonials.db import utcnow
from testimonials.errors import InvalidInputError
from testimonials.harvest.customers.files import CustomerEntry, CustomerFileError
from testimonials.harvest.customers.matching import (
    customer_hash,
    listed_hashes,
    mark_customer_verified,
)
from testimonials.harvest.customers.models import KnownCustomer
from testimonials.harvest.intake import IntakeScorer, score_items
from testimonials.harvest.models import FeedbackItem, VerifiedBy
from testimonials.privacy.models import Erasure

MAX_EMAILS_PER_REQUEST = 10_000
MAX_REPORTED_PROBLEMS = 1_000
CHUNK_ENTRIES = 1_000
VERIFY_BATCH = 1_000
_DOMAIN_LABEL = re.compile(r"^(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?$")
_TLD = re.compile(r"^[^\W\d_]{2,63}$|^xn--[a-z0-9-]{1,59}$")
_LOCAL_FORBIDDEN = set(' \t"(),:;<>[\\]')


@dataclass
class CustomerListUpdate:
    """What adding addresses did: counts, each refused entry and why, items now verified."""

    received: int = 0
    added: int = 0
    already_listed: int = 0
    invalid: int = 0
    erased: int = 0
    # [{"index": 3, "reason": "…", "value": "…"}] or with "line"; capped, counts are exact.
    problems: list[dict[str, object]] = field(default_factory=list)
    items_verified: int = 0
    count: int = 0
    updated_at: datetime | None = None

    def refuse(self, entry: CustomerEntry, reason: str) -> None:
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            where = {"index": entry.index} if entry.line is None else {"line": entry.line}
            self.problems.append({**where, "value": entry.value[:100], "reason": reason})


@dataclass(frozen=True)
class CustomerListSummary:
    """The list as the workspace sees it: how many, since when; never the hashes."""

    count: int
    updated_at: datetime | None
    verified_items: int


def address_problem(value: str) -> str | None:
    """Why `value` is not a usable e-mail address, or None if it is one."""
    address = value.strip()
    if not address:
        return "empty: no address"
    if len(address) > 254:
        return "longer than 254 characters"
    if "\ufffd" in address:
        return "not readable: the file is not UTF-8 (or UTF-16 with BOM) text here"
    if address.count("@") != 1:
        return "not an e-mail address: needs exactly one @"
    local, domain = address.split("@")
    if not local or len(local) > 64:
        return "not an e-mail address: the part before @ must be 1 to 64 characters"
    if any(c in _LOCAL_FORBIDDEN or c.isspace() for c in local):
        return "not an e-mail address: spaces, quotes or brackets before @ (give the bare address)"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "not an e-mail address: misplaced dot before @"
    labels = domain.rstrip(".").split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return f"not an e-mail address: “{domain[:60]}” is not a domain"
    if not _TLD.match(labels[-1].lower()):
        return f"not an e-mail address: “{domain[:60]}” has no valid top-level domain"
    return None


def add_known_customers(
    session: Session,
    workspace_id: int,
    entries: Iterable[CustomerEntry],
    key: bytes,
    scorer: IntakeScorer | None,
) -> CustomerListUpdate:
    """Add addresses (as keyed hashes) and verify the workspace's feedback from them.

    Invalid addresses are reported one by one and the valid ones kept. Addresses of
    respondents erased on request are not added back. A file that cannot be read at all
    raises InvalidInputError before anything is stored (the caller does not commit).
    """
    report = CustomerListUpdate()
    now = utcnow()
    try:
        for chunk in _chunks(entries, CHUNK_ENTRIES):
            _add_chunk(session, workspace_id, chunk, key, report, now)
    except CustomerFileError as error:
        raise InvalidInputError(str(error), {"file": [str(error)]}) from None
    session.flush()
    report.items_verified = verify_existing_items(session, workspace_id, key, scorer)
    summary = customer_list_summary(session, workspace_id)
    report.count, report.updated_at = summary.count, summary.updated_at
    return report


def _add_chunk(
    session: Session,
    workspace_id: int,
    chunk: Sequence[CustomerEntry],
    key: bytes,
    report: CustomerListUpdate,
    now: datetime,
) -> None:
    valid: list[tuple[CustomerEntry, str]] = []
    for entry in chunk:
        report.received += 1
        problem = address_problem(entry.value)
        if problem is not None:
            report.invalid += 1
            report.refuse(entry, problem)
            continue
        digest = customer_hash(key, entry.value)
        assert digest is not None
        valid.append((entry, digest))
    hashes = {digest for _entry, digest in valid}
    listed = listed_hashes(session, workspace_id, hashes)
    erased = _erased_hashes(session, workspace_id, hashes)
    new_rows: dict[str, dict[str, object]] = {}
    for entry, digest in valid:
        if digest in erased:
            report.erased += 1
            report.refuse(entry, "this person's data was erased on request; not added back")
        elif digest in listed or digest in new_rows:
            report.already_listed += 1
        else:
            new_rows[digest] = {"workspace_id": workspace_id, "email_hash": digest, "added_at": now}
    added = insert_new_rows(
        session, KnownCustomer, list(new_rows.values()), ("workspace_id", "email_hash")
    )
    # A concurrent upload may have listed some of them since we looked.
    report.added += added
    report.already_listed += len(new_rows) - added


def _erased_hashes(session: Session, workspace_id: int, hashes: set[str]) -> set[str]:
    if not hashes:
        return set()
    return set(
        session.scalars(
            select(Erasure.subject_hash).where(
                Erasure.workspace_id == workspace_id, Erasure.subject_hash.in_(sorted(hashes))
            )
        )
    )


def _chunks(entries: Iterable[CustomerEntry], size: int) -> Iterator[list[CustomerEntry]]:
    chunk: list[CustomerEntry] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def verify_existing_items(
    session: Session,
    workspace_id: int,
    key: bytes,
    scorer: IntakeScorer | None,
    batch_size: int = VERIFY_BATCH,
) -> int:
    """Verify unverified items whose author is on the list, scoring them again; how many.

    Walks the workspace's distinct author addresses in batches (by the e-mail index), so a
    big workspace is never loaded at once.
    """
    changed, last_email = 0, ""
    while True:
        emails = session.scalars(
            select(FeedbackItem.author_email)
            .where(
                FeedbackItem.workspace_id == workspace_id,
                FeedbackItem.author_email > last_email,
                FeedbackItem.verified.is_(False),
                FeedbackItem.erased_at.is_(None),
            )
            .group_by(FeedbackItem.author_email)
            .order_by(FeedbackItem.author_email)
            .limit(batch_size)
        ).all()
        if not emails:
            return changed
        last_email = emails[-1] or ""
        by_hash: dict[str, list[str]] = {}
        for email in emails:
            if email and (keyed := customer_hash(key, email)):
                by_hash.setdefault(keyed, []).append(email)
        listed = listed_hashes(session, workspace_id, by_hash)
        matched = [email for h in listed for email in by_hash[h]]
        if not matched:
            continue
        items = session.scalars(
            select(FeedbackItem)
            .where(
                FeedbackItem.workspace_id == workspace_id,
                FeedbackItem.author_email.in_(matched),
                FeedbackItem.verified.is_(False),
                FeedbackItem.erased_at.is_(None),
            )
            .order_by(FeedbackItem.id)
        ).all()
        # Their addresses were matched just above: no second round of hashing and lookups.
        verified = mark_customer_verified(items)
        session.flush()
        if scorer is not None and verified:
            score_items(session, workspace_id, verified, scorer)
            session.flush()
            signals.feedback_verified.send(workspace_id, session=session, items=verified)
        changed += len(verified)


def customer_list_summary(session: Session, workspace_id: int) -> CustomerListSummary:
    """How many addresses the list holds, when some were last added, and items verified by it."""
    count, updated_at = session.execute(
        select(func.count(KnownCustomer.id), func.max(KnownCustomer.added_at)).where(
            KnownCustomer.workspace_id == workspace_id
        )
    ).one()
    verified_items = session.scalar(
        select(func.count())
        .select_from(FeedbackItem)
        .where(
            FeedbackItem.workspace_id == workspace_id,
            FeedbackItem.verified_by == VerifiedBy.CUSTOMER_EMAIL.value,
        )
    )
    return CustomerListSummary(count or 0, updated_at, verified_items or 0)


def clear_known_customers(session: Session, workspace_id: int) -> int:
    """Empty the workspace's list; returns how many addresses it held.

    Items already verified by it stay verified: they matched a customer when they arrived.
    """
    removed = session.execute(
        delete(KnownCustomer).where(KnownCustomer.workspace_id == workspace_id)
    ).rowcount  # type: ignore[attr-defined]  # an UPDATE or DELETE gives a CursorResult
    session.flush()
    return removed or 0
