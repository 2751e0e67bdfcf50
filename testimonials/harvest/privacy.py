"""Personal data inside comments, hashing of origins, and erasure of a respondent."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from testimonials.db import utcnow
from testimonials.harvest.customers.models import KnownCustomer
from testimonials.harvest.models import (
    ConsentState,
    Erasure,
    FeedbackItem,
    FollowUp,
    SurveyInvitation,
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of 9-15 digits with the usual separators, not part of a longer number or word.
_PHONE = re.compile(r"(?<![\w.])[+(]?(?:\d[\s().-]{0,2}){8,14}\d(?!\w|\.\d)")
_URL = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|co|app|dev)\b(?:/\S*)?", re.I
)
ERASED = "[erased]"


def detect_personal_data(text: str) -> dict[str, int] | None:
    """Counts of e-mail addresses, phone numbers and URLs in a comment, or None if none."""
    found = {
        "emails": len(_EMAIL.findall(text)),
        "phones": len(_PHONE.findall(text)),
        "urls": len(_URL.findall(_EMAIL.sub(" ", text))),
    }
    return {kind: n for kind, n in found.items() if n} or None


def subject_key(app_secret_key: str | bytes) -> bytes:
    """The key for hashing people's e-mails (erasure records, known customers): from the app key.

    Changing the app's secret key changes every such hash: the known-customer lists must
    then be uploaded again.
    """
    secret = app_secret_key.encode() if isinstance(app_secret_key, str) else app_secret_key
    return hashlib.sha256(b"erasure:" + secret).digest()


def keyed_hash(key: bytes, value: str | None) -> str | None:
    """A keyed hash of an identifier (IP, user agent, e-mail): comparable, not reversible."""
    if not value:
        return None
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()


def email_domain(email: str | None) -> str | None:
    """The domain of an e-mail address, lower-cased."""
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


def erase_respondent(
    session: Session, workspace_id: int, email: str, key: bytes, requested_by_id: int | None
) -> Erasure:
    """Remove a respondent's personal data from every item and invitation; record that we did.

    Their entry on the workspace's known-customer list goes too; `key` is `subject_key`.
    """
    email = email.strip().lower()
    subject_hash = keyed_hash(key, email) or ""
    items = list(
        session.scalars(
            select(FeedbackItem).where(
                FeedbackItem.workspace_id == workspace_id,
                func.lower(FeedbackItem.author_email) == email,
            )
        )
    )
    now = utcnow()
    for item in items:
        # The words themselves are personal data too: nothing of the person survives.
        item.text = ERASED
        item.title = None
        item.author_name = item.author_email = item.author_role = item.author_company = None
        item.avatar_url = item.location = None
        item.answers = None
        item.suggested_excerpt = None
        item.minhash = None
        item.client_fingerprint = item.device_fingerprint = item.email_domain = None
        item.pii_flags = None
        item.consent_state = ConsentState.REVOKED.value
        item.consent_revoked_at = item.consent_revoked_at or now
        item.erased_at = now
    if items:
        item_ids = [i.id for i in items]
        session.execute(
            update(FollowUp).where(FollowUp.item_id.in_(item_ids)).values(notes="", updated_at=now)
        )
        _erase_curation(session, item_ids, now)
    invitations = session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.workspace_id == workspace_id,
            func.lower(SurveyInvitation.respondent_email) == email,
        )
        .values(respondent_email=None, respondent_name=None, external_ref=None)
    ).rowcount
    session.execute(
        delete(KnownCustomer).where(
            KnownCustomer.workspace_id == workspace_id, KnownCustomer.email_hash == subject_hash
        )
    )
    erasure = Erasure(
        workspace_id=workspace_id,
        subject_hash=subject_hash,
        items_erased=len(items),
        invitations_erased=invitations or 0,
        requested_by_id=requested_by_id,
    )
    session.add(erasure)
    session.flush()
    return erasure


def _erase_curation(session: Session, item_ids: list[int], now: datetime) -> None:
    """Curated words, display names, photos and the audit log's copies of them go too."""
    from testimonials.curation.models import AuditEntry, Status, Testimonial

    testimonial_ids = list(
        session.scalars(select(Testimonial.id).where(Testimonial.item_id.in_(item_ids)))
    )
    if not testimonial_ids:
        return
    session.execute(
        update(Testimonial)
        .where(Testimonial.id.in_(testimonial_ids))
        .values(
            status=Status.REJECTED.value,
            rejection_reason="The respondent's personal data was erased.",
            excerpt=None,
            display_name=None,
            display_role=None,
            display_company=None,
            photo=None,
            photo_etag=None,
            override_reason=None,
            updated_at=now,
        )
    )
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.testimonial_id.in_(testimonial_ids))
        .values(before=None, after=None, reason=None)
    )
