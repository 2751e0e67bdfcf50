"""Closing the loop: detractors (and passives, if asked) land on a list with owner and notes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from testimonials.accounts.services import membership_in
from testimonials.db import get_in_workspace, utcnow
from testimonials.errors import InvalidInputError
from testimonials.harvest.surveys.models import FollowUp, FollowUpStatus


def follow_ups_query(workspace_id: int, status: FollowUpStatus | None = None) -> Select[FollowUp]:
    """The workspace's follow-ups, open ones and newest first."""
    statement = (
        select(FollowUp)
        .options(joinedload(FollowUp.item))
        .where(FollowUp.workspace_id == workspace_id)
    )
    if status is not None:
        statement = statement.where(FollowUp.status == status.value)
    return statement.order_by(FollowUp.created_at.desc(), FollowUp.id.desc())


def get_follow_up(session: Session, workspace_id: int, follow_up_id: int) -> FollowUp:
    """One follow-up of the workspace, or NotFoundError."""
    return get_in_workspace(session, FollowUp, workspace_id, follow_up_id)


def update_follow_up(
    session: Session, workspace_id: int, follow_up_id: int, changes: Mapping[str, Any]
) -> FollowUp:
    """Assign, annotate or move a follow-up along open -> in progress -> closed."""
    follow_up = get_follow_up(session, workspace_id, follow_up_id)
    if "owner_id" in changes:
        owner_id = changes["owner_id"]
        if owner_id is not None and membership_in(session, owner_id, workspace_id) is None:
            raise InvalidInputError(
                "The owner must be a member of this workspace.", {"owner_id": ["Not a member."]}
            )
        follow_up.owner_id = owner_id
    if changes.get("notes") is not None:
        follow_up.notes = changes["notes"]
    status = changes.get("status")
    if status is not None:
        status = FollowUpStatus(status)
        follow_up.status = status.value
        follow_up.closed_at = utcnow() if status is FollowUpStatus.CLOSED else None
    follow_up.updated_at = utcnow()
    session.flush()
    return follow_up
