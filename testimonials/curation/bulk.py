"""Bulk curation: one action over a selection, each item through the single-item use case,
and one batch id so that undo takes the whole selection back at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.accounts.models import Actor
from testimonials.curation.models import Tag, Testimonial
from testimonials.curation.services import (
    approve,
    checked_reason,
    new_batch_id,
    reject,
    set_tags,
    snooze,
)
from testimonials.errors import ConflictError, InvalidInputError

BULK_ACTIONS = ("approve", "reject", "snooze", "tag")
MAX_BULK = 500


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: the ids it changed and, per id, why it skipped the others."""

    batch_id: str
    done: list[int]
    skipped: dict[int, str]


def bulk_action(
    session: Session,
    workspace_id: int,
    testimonial_ids: Sequence[int],
    action: str,
    actor: Actor,
    reason: str | None = None,
    until: datetime | None = None,
    tags: Sequence[Tag] = (),
) -> BulkResult:
    """Apply one action to a selection; items a guard refuses are reported, not lost."""
    if action not in BULK_ACTIONS:
        raise InvalidInputError(f"Unknown bulk action {action!r}.", {"action": ["Unknown."]})
    # Refused for the whole batch up front, not once per item as skipped items.
    reason = checked_reason(reason, "reason")
    ids = list(dict.fromkeys(testimonial_ids))
    if not ids or len(ids) > MAX_BULK:
        raise InvalidInputError(
            f"Select between 1 and {MAX_BULK} testimonials.", {"ids": [f"{len(ids)} given."]}
        )
    found = {
        t.id: t
        for t in session.scalars(
            select(Testimonial).where(
                Testimonial.workspace_id == workspace_id, Testimonial.id.in_(ids)
            )
        )
    }
    batch_id = new_batch_id()
    done: list[int] = []
    skipped: dict[int, str] = {}
    for testimonial_id in ids:
        testimonial = found.get(testimonial_id)
        if testimonial is None:
            skipped[testimonial_id] = f"No testimonial {testimonial_id} in this workspace."
            continue
        try:
            if action == "approve":
                approve(session, testimonial, actor, reason, batch_id)
            elif action == "reject":
                reject(session, testimonial, actor, reason, batch_id)
            elif action == "snooze":
                if until is None:
                    raise InvalidInputError("Say until when.", {"until": ["Missing."]})
                snooze(session, testimonial, actor, until, batch_id)
            else:
                merged = {tag.id: tag for tag in [*testimonial.tags, *tags]}
                set_tags(session, testimonial, actor, list(merged.values()), batch_id)
        except (ConflictError, InvalidInputError) as error:
            skipped[testimonial_id] = error.detail
        else:
            done.append(testimonial_id)
    return BulkResult(batch_id, done, skipped)
