"""Erasure of a respondent or of one answer, consent revocation, and the record of both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from testimonials import signals
from testimonials.accounts.services import actor_names
from testimonials.db import utcnow
from testimonials.errors import ConflictError, NotFoundError
from testimonials.harvest.customers.models import KnownCustomer
from testimonials.harvest.models import ConsentState, FeedbackItem
from testimonials.harvest.near_duplicates import unindex_items
from testimonials.harvest.personal_data import keyed_hash
from testimonials.harvest.services import get_feedback
from testimonials.harvest.surveys.models import FollowUp, SurveyInvitation
from testimonials.privacy.models import Erasure, ErasureKind


def revoke_consent(session: Session, workspace_id: int, item_id: int) -> FeedbackItem:
    """The author withdrew permission: the item leaves every public place at once."""
    item = get_feedback(session, workspace_id, item_id)
    if item.consent_state != ConsentState.REVOKED.value:
        item.consent_state = ConsentState.REVOKED.value
        item.consent_revoked_at = utcnow()
        session.flush()
        signals.consent_revoked.send(workspace_id, session=session, item_ids=[item.id])
    return item


ERASED = "[erased]"


def _from_address(workspace_id: int, email: str) -> ColumnElement[bool]:
    """Items of the workspace whose author gave this address (any case)."""
    return and_(
        FeedbackItem.workspace_id == workspace_id,
        func.lower(FeedbackItem.author_email) == email.strip().lower(),
    )


def _invitations_to(workspace_id: int, email: str) -> ColumnElement[bool]:
    return and_(
        SurveyInvitation.workspace_id == workspace_id,
        func.lower(SurveyInvitation.respondent_email) == email.strip().lower(),
    )


def erase_respondent(
    session: Session,
    workspace_id: int,
    email: str,
    key: bytes,
    requested_by_id: int | None,
    *,
    requested_by_api_key_id: int | None = None,
) -> Erasure:
    """Remove a respondent's personal data from every item and invitation; record that we did.

    Their entry on the workspace's known-customer list goes too; `key` is `subject_key`.
    The request is recorded even when nothing matched: the person asked to be forgotten,
    so their address is not added back to the known-customer list later.
    """
    email = email.strip().lower()
    subject_hash = keyed_hash(key, email) or ""
    items = list(session.scalars(select(FeedbackItem).where(_from_address(workspace_id, email))))
    erase_items(session, items)
    invitations = session.execute(
        update(SurveyInvitation)
        .where(_invitations_to(workspace_id, email))
        .values(respondent_email=None, respondent_name=None, external_ref=None)
    ).rowcount  # type: ignore[attr-defined]  # an UPDATE or DELETE gives a CursorResult
    session.execute(
        delete(KnownCustomer).where(
            KnownCustomer.workspace_id == workspace_id, KnownCustomer.email_hash == subject_hash
        )
    )
    erasure = Erasure(
        workspace_id=workspace_id,
        kind=ErasureKind.RESPONDENT.value,
        subject_hash=subject_hash,
        items_erased=len(items),
        invitations_erased=invitations or 0,
        requested_by_id=requested_by_id,
        requested_by_api_key_id=requested_by_api_key_id,
    )
    session.add(erasure)
    session.flush()
    return erasure


@dataclass(frozen=True)
class ErasureReceipt:
    """What an erasure did and, for one answer, what it knowingly left alone."""

    erasure: Erasure
    # One answer only: other items from its e-mail address, not erased (None: no address).
    other_items_from_author: int | None = None


def erase_item(
    session: Session,
    workspace_id: int,
    item_id: int,
    requested_by_id: int | None,
    *,
    requested_by_api_key_id: int | None = None,
) -> ErasureReceipt:
    """Remove the personal data of one answer (for respondents we have no e-mail for); record it.

    The per-respondent link it came through loses its name and address too. Other answers
    from the same address, invitations to it and the known-customer list are left alone:
    erase by e-mail for those.
    """
    item = _item_to_erase(session, workspace_id, item_id)
    # Counted before the address is gone; the caller is told these were left alone.
    others = items_from_same_address(session, item) if item.author_email else None
    invitations = 0
    if item.invitation_id is not None:
        invitations = session.execute(
            update(SurveyInvitation)
            .where(
                SurveyInvitation.workspace_id == workspace_id,
                SurveyInvitation.id == item.invitation_id,
            )
            .values(respondent_email=None, respondent_name=None, external_ref=None)
        ).rowcount  # type: ignore[attr-defined]  # an UPDATE or DELETE gives a CursorResult
    erase_items(session, [item])
    erasure = Erasure(
        workspace_id=workspace_id,
        kind=ErasureKind.ITEM.value,
        subject_hash=None,
        item_id=item.id,
        items_erased=1,
        invitations_erased=invitations or 0,
        requested_by_id=requested_by_id,
        requested_by_api_key_id=requested_by_api_key_id,
    )
    session.add(erasure)
    session.flush()
    return ErasureReceipt(erasure, others)


def _item_to_erase(session: Session, workspace_id: int, item_id: int) -> FeedbackItem:
    item = session.get(FeedbackItem, item_id)
    if item is None or item.workspace_id != workspace_id:
        raise NotFoundError(
            f"No feedback item {item_id} in this workspace.", {"item_id": ["No such item."]}
        )
    if item.erased_at is not None:
        raise ConflictError(
            f"Feedback item {item_id} was already erased on {item.erased_at:%Y-%m-%d}; "
            "nothing personal is left in it."
        )
    return item


def erase_items(session: Session, items: Sequence[FeedbackItem]) -> None:
    """Erase everything personal in these items and every copy of it; the one list of fields.

    Kept: the row, its channel, source and dates, and its bare score or rating (no longer
    linked to anyone), so reports still count it.
    """
    if not items:
        return
    now = utcnow()
    # Their fingerprints go too: the near-duplicate index must not recognise the words.
    unindex_items(session, [(item.workspace_id, item.id, item.minhash) for item in items])
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
    item_ids = [i.id for i in items]
    session.execute(
        update(FollowUp).where(FollowUp.item_id.in_(item_ids)).values(notes="", updated_at=now)
    )
    session.flush()
    for workspace_id in {i.workspace_id for i in items}:  # signal
        signals.feedback_erased.send(workspace_id, session=session, item_ids=item_ids, now=now)


def erasure_preview(session: Session, workspace_id: int, email: str) -> tuple[int, int]:
    """How many items and invitations erasing this address would empty (not yet erased)."""
    items = session.scalar(
        select(func.count())
        .select_from(FeedbackItem)
        .where(_from_address(workspace_id, email), FeedbackItem.erased_at.is_(None))
    )
    invitations = session.scalar(
        select(func.count())
        .select_from(SurveyInvitation)
        .where(_invitations_to(workspace_id, email))
    )
    return items or 0, invitations or 0


def items_from_same_address(session: Session, item: FeedbackItem) -> int:
    """Other items of the workspace from this item's e-mail address (0 without one)."""
    if not item.author_email:
        return 0
    count = session.scalar(
        select(func.count())
        .select_from(FeedbackItem)
        .where(_from_address(item.workspace_id, item.author_email), FeedbackItem.id != item.id)
    )
    return count or 0


def erasures_query(workspace_id: int) -> Select[Erasure]:
    """The workspace's erasure records, newest first."""
    return (
        select(Erasure)
        .where(Erasure.workspace_id == workspace_id)
        .order_by(Erasure.erased_at.desc(), Erasure.id.desc())
    )


@dataclass(frozen=True)
class ErasureHistoryRow:
    """One erasure as the history shows it: when, what, who asked, how much went."""

    erasure: Erasure
    requested_by: str


def erasure_history(session: Session, erasures: Sequence[Erasure]) -> list[ErasureHistoryRow]:
    """Who asked for each erasure (a member or an API key), in two queries at most."""
    names = actor_names(session, ((e.requested_by_id, e.requested_by_api_key_id) for e in erasures))
    # "not recorded": before 0007 the API kept no requester; or the account has since gone.
    return [
        ErasureHistoryRow(
            erasure,
            names.get((erasure.requested_by_id, erasure.requested_by_api_key_id), "not recorded"),
        )
        for erasure in erasures
    ]
