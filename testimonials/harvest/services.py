"""Use cases for harvested feedback: recording items and finding them again."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from testimonials.errors import NotFoundError
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem, NpsGroup


def content_hash(text: str) -> str:
    """A hash of the text that ignores case, Unicode form and runs of white space."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode()).hexdigest()


@dataclass(frozen=True)
class NewFeedback:
    """What a channel knows about one incoming item."""

    text: str
    channel: Channel
    source_name: str
    external_id: str | None = None
    title: str | None = None
    rating: int | None = None
    nps_score: int | None = None
    author_name: str | None = None
    author_email: str | None = None
    author_role: str | None = None
    author_company: str | None = None
    language: str | None = None
    country: str | None = None
    submitted_at: datetime | None = None
    received_at: datetime | None = None
    verified: bool = False
    consent_state: ConsentState = ConsentState.NOT_ASKED
    consent_text: str | None = None
    consent_version: str | None = None
    consent_at: datetime | None = None


def record_feedback(session: Session, workspace_id: int, new: NewFeedback) -> FeedbackItem:
    """Store one harvested item in the workspace, exactly as received."""
    item = FeedbackItem(
        workspace_id=workspace_id,
        channel=new.channel.value,
        source_name=new.source_name,
        external_id=new.external_id,
        content_hash=content_hash(new.text),
        text=new.text,
        title=new.title,
        rating=new.rating,
        nps_score=new.nps_score,
        author_name=new.author_name,
        author_email=new.author_email,
        author_role=new.author_role,
        author_company=new.author_company,
        language=new.language,
        country=new.country,
        submitted_at=new.submitted_at,
        verified=new.verified,
        consent_state=new.consent_state.value,
        consent_text=new.consent_text,
        consent_version=new.consent_version,
        consent_at=new.consent_at,
    )
    if new.received_at is not None:
        item.received_at = new.received_at
    session.add(item)
    session.flush()
    return item


def feedback_query(
    workspace_id: int, channel: Channel | None = None, group: NpsGroup | None = None
) -> Select[tuple[FeedbackItem]]:
    """The workspace's feedback, newest first, optionally by channel and NPS group."""
    statement = select(FeedbackItem).where(FeedbackItem.workspace_id == workspace_id)
    if channel is not None:
        statement = statement.where(FeedbackItem.channel == channel.value)
    if group is NpsGroup.PROMOTER:
        statement = statement.where(FeedbackItem.nps_score >= 9)
    elif group is NpsGroup.PASSIVE:
        statement = statement.where(FeedbackItem.nps_score.between(7, 8))
    elif group is NpsGroup.DETRACTOR:
        statement = statement.where(FeedbackItem.nps_score <= 6)
    return statement.order_by(FeedbackItem.received_at.desc(), FeedbackItem.id.desc())


def get_feedback(session: Session, workspace_id: int, item_id: int) -> FeedbackItem:
    """One item of the workspace, or NotFoundError."""
    item = session.scalar(
        select(FeedbackItem).where(
            FeedbackItem.workspace_id == workspace_id, FeedbackItem.id == item_id
        )
    )
    if item is None:
        raise NotFoundError(f"No feedback item {item_id} in this workspace.")
    return item
