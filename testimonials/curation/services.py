"""Use cases for curation: decide, edit, undo — each guarded and written to the audit log."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.accounts.models import Actor
from testimonials.curation.entries import open_inbox_entries
from testimonials.curation.learning import base_rank as base_rank  # the inbox's base order
from testimonials.curation.models import (
    REASON_LENGTH,
    AuditEntry,
    Disclosure,
    Status,
    Tag,
    Testimonial,
)
from testimonials.curation.own_words import check_own_words, refresh_honesty_problem
from testimonials.db import get_in_workspace, utcnow
from testimonials.errors import ConflictError, InvalidInputError, NotFoundError
from testimonials.harvest.models import ConsentState, FeedbackItem

# At or above this suspicion an approval needs a written reason.
SUSPICION_OVERRIDE_THRESHOLD = 0.6  # scoring.standing.FLAGGED_AT groups them apart (a test)
MAX_EXCERPT_LENGTH = 600


def create_testimonials(session: Session, items: Iterable[FeedbackItem]) -> list[Testimonial]:
    """The inbox entries of these items, opened if intake has not opened them yet."""
    items = list(items)
    open_inbox_entries(session, items)
    return list(
        session.scalars(select(Testimonial).where(Testimonial.item_id.in_([i.id for i in items])))
    )


def get_testimonial(session: Session, workspace_id: int, testimonial_id: int) -> Testimonial:
    """One testimonial of the workspace, or NotFoundError."""
    return get_in_workspace(session, Testimonial, workspace_id, testimonial_id)


# The curated state kept as plain columns; with the snooze date and the tags, it is what
# the audit log records and an undo restores.
CURATED_COLUMNS = (
    "status",
    "excerpt",
    "display_name",
    "display_role",
    "display_company",
    "disclosure",
    "rejection_reason",
    "override_reason",
)


def snapshot(testimonial: Testimonial) -> dict[str, Any]:
    """The curated state, as the audit log records it before and after a change."""
    return {
        **{name: getattr(testimonial, name) for name in CURATED_COLUMNS},
        "snoozed_until": testimonial.snoozed_until.isoformat()
        if testimonial.snoozed_until
        else None,
        "tags": [tag.id for tag in testimonial.tags],
    }


def _restore(session: Session, testimonial: Testimonial, state: dict[str, Any]) -> None:
    for name in CURATED_COLUMNS:
        setattr(testimonial, name, state.get(name))
    until = state.get("snoozed_until")
    testimonial.snoozed_until = datetime.fromisoformat(until) if until else None
    tag_ids = state.get("tags") or []
    testimonial.tags = list(
        session.scalars(
            select(Tag).where(Tag.workspace_id == testimonial.workspace_id, Tag.id.in_(tag_ids))
        )
    )


def checked_reason(reason: str | None, field: str) -> str | None:
    """A curator's reason, trimmed; None when blank; refused (not cut) when too long."""
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > REASON_LENGTH:
        raise InvalidInputError(
            f"Keep the reason to {REASON_LENGTH:,} characters (this one has {len(reason):,}).",
            {field: [f"Longer than {REASON_LENGTH} characters."]},
        )
    return reason


def _apply(
    session: Session,
    testimonial: Testimonial,
    actor: Actor,
    action: str,
    change: Callable[[Testimonial], None],
    reason: str | None = None,
    batch_id: str | None = None,
) -> Testimonial:
    """Run one change and record it with the state before and after."""
    before = snapshot(testimonial)
    change(testimonial)
    refresh_honesty_problem(testimonial, before)
    testimonial.updated_at = utcnow()
    session.add(
        AuditEntry(
            workspace_id=testimonial.workspace_id,
            testimonial_id=testimonial.id,
            actor_user_id=actor.user_id,
            actor_api_key_id=actor.api_key_id,
            action=action,
            before=before,
            after=snapshot(testimonial),
            reason=reason,
            batch_id=batch_id,
        )
    )
    session.flush()
    if Status.APPROVED.value in (before["status"], testimonial.status):
        # Only an approved testimonial is public, so only then can a page have changed.
        signals.testimonials_changed.send(
            testimonial.workspace_id, session=session, testimonial_ids=[testimonial.id]
        )
    return testimonial


def check_publishable(testimonial: Testimonial, override_reason: str | None) -> None:
    """Guard rails: consent, not erased, the customer's own words, a reason when suspicious."""
    item = testimonial.item
    if item.erased_at is not None:
        raise ConflictError("This respondent's data was erased; it cannot be published.")
    if testimonial.honesty_problem:
        raise ConflictError(
            "Not publishable until the wording is fixed — "
            f"{testimonial.honesty_problem.removeprefix('Excerpt: ').removeprefix('Name: ')}"
        )
    if item.consent_state != ConsentState.GRANTED.value:
        raise ConflictError(
            "No permission to publish: the author has not agreed to be quoted "
            f"(consent: {item.consent_state.replace('_', ' ')}). Ask them first."
        )
    if (item.suspicion or 0.0) >= SUSPICION_OVERRIDE_THRESHOLD and not (
        override_reason and override_reason.strip()
    ):
        raise InvalidInputError(
            f"This item looks suspicious ({item.suspicion:.2f}); approving it needs a reason.",
            {"override_reason": ["Say why it is genuine despite the warning."]},
        )


def approve(
    session: Session,
    testimonial: Testimonial,
    actor: Actor,
    override_reason: str | None = None,
    batch_id: str | None = None,
) -> Testimonial:
    """Approve for public display, if consent and the suspicion guard allow it."""
    override_reason = checked_reason(override_reason, "override_reason")
    check_publishable(testimonial, override_reason)
    suspicious = (testimonial.item.suspicion or 0.0) >= SUSPICION_OVERRIDE_THRESHOLD

    def change(t: Testimonial) -> None:
        t.status = Status.APPROVED.value
        t.rejection_reason = None
        t.snoozed_until = None
        t.override_reason = override_reason if suspicious else None
        t.decided_by_id = actor.user_id
        t.decided_at = utcnow()

    action = "approve_override" if suspicious else "approve"
    return _apply(session, testimonial, actor, action, change, override_reason, batch_id)


def reject(
    session: Session,
    testimonial: Testimonial,
    actor: Actor,
    reason: str | None = None,
    batch_id: str | None = None,
) -> Testimonial:
    """Reject, with an optional reason the team can learn from."""
    reason = checked_reason(reason, "reason")

    def change(t: Testimonial) -> None:
        t.status = Status.REJECTED.value
        t.rejection_reason = reason
        t.snoozed_until = None
        t.decided_by_id = actor.user_id
        t.decided_at = utcnow()

    return _apply(session, testimonial, actor, "reject", change, reason, batch_id)


def snooze(
    session: Session,
    testimonial: Testimonial,
    actor: Actor,
    until: datetime,
    batch_id: str | None = None,
) -> Testimonial:
    """Hide from the inbox until a date; it comes back as pending then."""
    if until <= utcnow():
        raise InvalidInputError("Snooze until a future time.", {"until": ["In the past."]})

    def change(t: Testimonial) -> None:
        t.status = Status.SNOOZED.value
        t.snoozed_until = until

    return _apply(session, testimonial, actor, "snooze", change, None, batch_id)


def edit(
    session: Session,
    testimonial: Testimonial,
    actor: Actor,
    changes: dict[str, Any],
    batch_id: str | None = None,
) -> Testimonial:
    """Edit the public excerpt and the author display; the original text never changes."""
    if "excerpt" in changes and changes["excerpt"] is not None:
        excerpt = changes["excerpt"].strip()
        if not excerpt:
            raise InvalidInputError("The excerpt cannot be empty.", {"excerpt": ["Empty."]})
        if len(excerpt) > MAX_EXCERPT_LENGTH:
            raise InvalidInputError(
                f"Keep excerpts under {MAX_EXCERPT_LENGTH} characters.",
                {"excerpt": [f"{len(excerpt)} characters."]},
            )
        changes = {**changes, "excerpt": excerpt}
    if changes.get("disclosure") and changes["disclosure"] not in set(Disclosure):
        raise InvalidInputError(
            f"Unknown disclosure {changes['disclosure']!r}.",
            {"disclosure": [f"One of: {', '.join(Disclosure)}."]},
        )
    check_own_words(testimonial, changes)
    allowed = ("excerpt", "display_name", "display_role", "display_company", "disclosure")
    updates = {k: (v.strip() or None if isinstance(v, str) else v) for k, v in changes.items()}
    updates = {k: v for k, v in updates.items() if k in allowed}
    if not updates:
        return testimonial

    def change(t: Testimonial) -> None:
        for name, value in updates.items():
            setattr(t, name, value)

    return _apply(session, testimonial, actor, "edit", change, None, batch_id)


def set_tags(
    session: Session,
    testimonial: Testimonial,
    actor: Actor,
    tags: Sequence[Tag],
    batch_id: str | None = None,
) -> Testimonial:
    """Replace a testimonial's tags."""

    def change(t: Testimonial) -> None:
        t.tags = list(tags)

    return _apply(session, testimonial, actor, "tag", change, None, batch_id)


def set_photo(
    session: Session,
    testimonial: Testimonial,
    actor: Actor,
    photo: bytes | None,
    etag: str | None,
    *,
    by_respondent: bool = False,
) -> Testimonial:
    """Store (or remove) the author's processed photo (`by_respondent`: sent with the answer)."""

    def change(t: Testimonial) -> None:
        t.photo, t.photo_etag = photo, etag

    action = "photo" if photo else "photo_removed"
    if by_respondent:
        # No account acted: the audit log names the respondent by this action instead.
        action = RESPONDENT_PHOTO
    return _apply(session, testimonial, actor, action, change)


RESPONDENT_PHOTO = "respondent_photo"
# Photos are not kept in the audit snapshots (they are binary), so they cannot be undone.
NOT_UNDOABLE = ("undo", "photo", "photo_removed", RESPONDENT_PHOTO)


def new_batch_id() -> str:
    """An id tying together the audit entries of one bulk action (undone together)."""
    return secrets.token_hex(8)


def undo_last(session: Session, workspace_id: int, actor: Actor) -> list[Testimonial]:
    """Undo this actor's last action (a whole bulk action at once); returns what changed."""
    actor_filter = (
        AuditEntry.actor_user_id == actor.user_id
        if actor.user_id is not None
        else AuditEntry.actor_api_key_id == actor.api_key_id
    )
    last = session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.workspace_id == workspace_id,
            actor_filter,
            AuditEntry.undone_at.is_(None),
            AuditEntry.action.not_in(NOT_UNDOABLE),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if last is None:
        raise NotFoundError("Nothing to undo.")
    entries = [last]
    if last.batch_id:
        entries = list(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.workspace_id == workspace_id, AuditEntry.batch_id == last.batch_id
                )
            )
        )
    now = utcnow()
    changed = []
    for entry in entries:
        assert entry.testimonial_id is not None  # undoable entries name their testimonial
        testimonial = get_testimonial(session, workspace_id, entry.testimonial_id)
        before: dict[str, Any] = entry.before or {}

        def restore(t: Testimonial, state: dict[str, Any] = before) -> None:
            _restore(session, t, state)

        _apply(
            session,
            testimonial,
            actor,
            "undo",
            restore,
            reason=f"undid {entry.action}",
        )
        entry.undone_at = now
        changed.append(testimonial)
    session.flush()
    return changed
