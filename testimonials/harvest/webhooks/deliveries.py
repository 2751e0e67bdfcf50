"""Applying survey-tool events to feedback: upsert by response id, order-tolerant, idempotent.

Survey tools send a `response.created` event (often only the score) and later a
`response.updated` event (the comment), retry on failure and deliver out of order. Rules:

- An event id seen before for the source is a duplicate and changes nothing.
- The first event for a response creates the item through intake (score-only items start
  with text ""). Later events merge into it.
- A newer event (occurred_at >= the item's source_updated_at) overwrites the fields it
  carries; an older one only fills fields that are still empty.
- The first non-empty comment becomes the item's text, which never changes after; a later,
  different comment is kept in `answers["later_comment"]`.
- `response.deleted` means the respondent withdrew: consent is revoked, whatever the order,
  and never restored by a webhook. Events for a response deleted before we had it, or for
  an erased item, are acknowledged and ignored.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.db import utcnow
from testimonials.harvest.customers.matching import verify_known_customers
from testimonials.harvest.intake import (
    IntakeScorer,
    NewFeedback,
    needs_follow_up,
    record_feedback,
    score_items,
)
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem
from testimonials.harvest.near_duplicates import index_items
from testimonials.harvest.personal_data import detect_personal_data, email_domain
from testimonials.harvest.surveys.models import FollowUp
from testimonials.harvest.webhooks.models import WebhookDelivery, WebhookSource

LATER_COMMENT_KEY = "later_comment"


class EventType(enum.StrEnum):
    """What happened to a response in the survey tool."""

    CREATED = "response.created"
    UPDATED = "response.updated"
    DELETED = "response.deleted"


class DeliveryStatus(enum.StrEnum):
    """What we did with a delivery (the `status` of our answer)."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


@dataclass(frozen=True)
class Consent:
    """The respondent's answer to the tool's consent question."""

    granted: bool
    text: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class SurveyResponse:
    """One response as the survey tool describes it; None means "not in this event"."""

    id: str
    score: int | None = None
    comment: str | None = None
    email: str | None = None
    name: str | None = None
    role: str | None = None
    company: str | None = None
    language: str | None = None
    country: str | None = None
    submitted_at: datetime | None = None
    consent: Consent | None = None
    # Answers we have no field for, by question (Typeform sources; our own format has none).
    answers: dict[str, Any] | None = None


@dataclass(frozen=True)
class WebhookEvent:
    """A validated event from a survey tool."""

    event_id: str
    type: EventType
    occurred_at: datetime
    response: SurveyResponse


@dataclass(frozen=True)
class DeliveryOutcome:
    """The answer to a delivery."""

    status: DeliveryStatus
    item_id: int | None


def receive_event(
    session: Session, source: WebhookSource, event: WebhookEvent, scorer: IntakeScorer | None
) -> DeliveryOutcome:
    """Apply one signed event of `source` to the workspace's feedback; record the delivery.

    Call it inside `start_delivery`'s transaction, so one source's events apply one at a time.
    """
    seen = session.scalar(
        select(WebhookDelivery).where(
            WebhookDelivery.source_id == source.id, WebhookDelivery.event_id == event.event_id
        )
    )
    if seen is not None:
        return DeliveryOutcome(DeliveryStatus.DUPLICATE, seen.item_id)

    item = session.scalar(
        select(FeedbackItem).where(
            FeedbackItem.workspace_id == source.workspace_id,
            FeedbackItem.source_name == source.name,
            FeedbackItem.external_id == event.response.id,
        )
    )
    status = DeliveryStatus.ACCEPTED
    if item is None:
        if event.type is EventType.DELETED or _withdrawn_before_arrival(session, source, event):
            # Nothing of a withdrawn response is kept; the delivery row remembers the withdrawal.
            status = DeliveryStatus.IGNORED
        else:
            item = _create_item(session, source, event, scorer)
    elif item.erased_at is not None:
        status = DeliveryStatus.IGNORED
    else:
        _merge_into_item(session, item, event, scorer)

    session.add(
        WebhookDelivery(
            workspace_id=source.workspace_id,
            source_id=source.id,
            event_id=event.event_id,
            event_type=event.type.value,
            response_id=event.response.id,
            item_id=item.id if item is not None else None,
        )
    )
    session.flush()
    return DeliveryOutcome(status, item.id if item is not None else None)


def _withdrawn_before_arrival(session: Session, source: WebhookSource, event: WebhookEvent) -> bool:
    return (
        session.scalar(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.source_id == source.id,
                WebhookDelivery.response_id == event.response.id,
                WebhookDelivery.event_type == EventType.DELETED.value,
            )
            .limit(1)
        )
        is not None
    )


def _consent_fields(event: WebhookEvent) -> dict:
    consent = event.response.consent
    if consent is None:
        return {}
    return {
        "consent_state": ConsentState.GRANTED if consent.granted else ConsentState.DECLINED,
        "consent_text": consent.text,
        "consent_version": consent.version,
        "consent_at": event.response.submitted_at or event.occurred_at,
    }


def _create_item(
    session: Session, source: WebhookSource, event: WebhookEvent, scorer: IntakeScorer | None
) -> FeedbackItem:
    response = event.response
    submitted_at = response.submitted_at
    if submitted_at is None and event.type is EventType.CREATED:
        submitted_at = event.occurred_at
    new = NewFeedback(
        text=_comment_of(response) or "",
        channel=Channel.WEBHOOK,
        source_name=source.name,
        external_id=response.id,
        nps_score=response.score,
        author_name=response.name,
        author_email=response.email,
        author_role=response.role,
        author_company=response.company,
        language=response.language,
        country=response.country,
        submitted_at=submitted_at,
        answers=dict(response.answers) if response.answers else None,
        **_consent_fields(event),
    )
    item = record_feedback(session, source.workspace_id, new, scorer)
    item.source_updated_at = event.occurred_at
    return item


def _comment_of(response: SurveyResponse) -> str | None:
    # A blank comment is no comment: it must not claim the item's one-time text.
    if response.comment is None or not response.comment.strip():
        return None
    return response.comment


def set_first_text(item: FeedbackItem, text: str) -> None:
    """Give an item created without words its text, with the fingerprints intake computes."""
    if item.text.strip():
        raise ValueError("an item's text is immutable once set")
    from testimonials.scoring import content_hash, minhash_signature  # numpy, on first use

    item.text = text
    item.content_hash = content_hash(text)
    item.minhash = minhash_signature(text) or None
    item.pii_flags = detect_personal_data(text)


def _merge_into_item(
    session: Session, item: FeedbackItem, event: WebhookEvent, scorer: IntakeScorer | None
) -> None:
    now = utcnow()
    if event.type is EventType.DELETED:
        item.consent_state = ConsentState.REVOKED.value
        item.consent_revoked_at = item.consent_revoked_at or now
        _advance_clock(item, event)
        signals.consent_revoked.send(
            item.workspace_id, session=session, item_ids=[item.id]
        )  # signal
        return

    newer = item.source_updated_at is None or event.occurred_at >= item.source_updated_at
    response = event.response

    def take(attribute: str, value: object) -> bool:
        # Newer events overwrite what they carry; older ones only fill gaps.
        if value is None or getattr(item, attribute) == value:
            return False
        if newer or getattr(item, attribute) is None:
            setattr(item, attribute, value)
            return True
        return False

    score_changed = take("nps_score", response.score)
    take("author_name", response.name)
    verified_now = False
    if take("author_email", response.email.strip().lower() if response.email else None):
        item.email_domain = email_domain(item.author_email)
        # The address may be a known customer's: the item is verified from now on.
        verified_now = scorer is not None and bool(
            verify_known_customers(session, item.workspace_id, [item], scorer.customer_key)
        )
    take("author_role", response.role)
    take("author_company", response.company)
    take("language", response.language)
    take("country", response.country.upper() if response.country else None)
    take("submitted_at", response.submitted_at)

    consent = _consent_fields(event)
    consent_changed = False
    withdrawn = item.consent_state == ConsentState.REVOKED.value
    if consent and not withdrawn and (newer or item.consent_state == ConsentState.NOT_ASKED):
        if item.consent_state != consent["consent_state"].value:
            consent_changed = True
        item.consent_state = consent["consent_state"].value
        item.consent_text = consent["consent_text"]
        item.consent_version = consent["consent_version"]
        item.consent_at = consent["consent_at"]

    if response.answers:
        # Like the fields above: a newer event overwrites the answers it carries.
        answers = dict(item.answers or {})
        for key, value in response.answers.items():
            if key not in answers or newer:
                answers[key] = value
        if answers != (item.answers or {}):
            item.answers = answers

    text_set = False
    comment = _comment_of(response)
    if comment is not None:
        if not item.text.strip():
            set_first_text(item, comment)
            index_items(session, item.workspace_id, [(item.id, item.minhash)])
            text_set = True
        elif newer and comment != item.text:
            item.answers = {**(item.answers or {}), LATER_COMMENT_KEY: comment}

    _advance_clock(item, event)
    changed = (score_changed or verified_now) and bool(item.text.strip())
    if scorer is not None and (text_set or changed):
        score_items(session, item.workspace_id, [item], scorer)
    if text_set:
        # Words arrived after the score: only now is there something to quote.
        signals.feedback_recorded.send(item.workspace_id, session=session, items=[item])
    elif scorer is not None and changed:
        signals.feedback_rescored.send(item.workspace_id, session=session, items=[item])
    if consent_changed and not text_set:
        # The inbox moves the item between its groups (new words open its entry instead).
        signals.consent_changed.send(
            item.workspace_id, session=session, item_ids=[item.id]
        )  # signal
    if score_changed and needs_follow_up(item.nps_score, include_passives=False):
        has_follow_up = session.scalar(select(FollowUp.id).where(FollowUp.item_id == item.id))
        if has_follow_up is None:
            session.add(FollowUp(workspace_id=item.workspace_id, item_id=item.id))


def _advance_clock(item: FeedbackItem, event: WebhookEvent) -> None:
    if item.source_updated_at is None or event.occurred_at > item.source_updated_at:
        item.source_updated_at = event.occurred_at
