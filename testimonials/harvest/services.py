"""Use cases for harvested feedback: recording items and finding them again."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from testimonials.errors import NotFoundError
from testimonials.harvest.intake import (
    IntakeScorer,
    NewFeedback,
    record_feedback,
    record_feedback_batch,
    score_items,
)
from testimonials.harvest.models import Channel, FeedbackItem, NpsGroup

__all__ = [
    "IntakeScorer",
    "NewFeedback",
    "feedback_query",
    "get_feedback",
    "record_feedback",
    "record_feedback_batch",
    "score_items",
]


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
