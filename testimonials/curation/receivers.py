"""Curation's side of harvest's events: the inbox opens, re-ranks and forgets as told.

Connected by `testimonials.curation.init_app`; each receiver runs inside the sender's unit of
work, so it only flushes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.accounts.models import Actor
from testimonials.curation import entries, services
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.photos import ProcessedPhoto


def open_entries(_workspace_id: int, *, session: Session, items: Sequence[FeedbackItem]) -> None:
    """New feedback with words to quote waits in the inbox."""
    entries.open_inbox_entries(session, items)


def open_imported_entries(
    workspace_id: int, *, session: Session, rows: Sequence[tuple[int, dict[str, Any]]]
) -> None:
    """An imported backlog waits in the inbox too."""
    entries.open_imported_entries(session, workspace_id, rows)


def rerank_verified(workspace_id: int, *, session: Session, items: Sequence[FeedbackItem]) -> None:
    """Verified (and so rescored) feedback moves to its new place among undecided entries."""
    entries.rerank_undecided(session, workspace_id, items)


def rerank_rescored(workspace_id: int, *, session: Session, items: Sequence[FeedbackItem]) -> None:
    """Rescored feedback (a new model, a changed NPS) moves to its new place too."""
    entries.rerank_undecided(session, workspace_id, items)


def rerank_consent(workspace_id: int, *, session: Session, item_ids: Sequence[int]) -> None:
    """Consent given or taken back moves an entry between the inbox's groups."""
    items = session.scalars(
        select(FeedbackItem).where(
            FeedbackItem.workspace_id == workspace_id, FeedbackItem.id.in_(list(item_ids))
        )
    ).all()
    entries.rerank_entries(session, workspace_id, items)


def blank_erased(
    _workspace_id: int, *, session: Session, item_ids: Sequence[int], now: datetime
) -> None:
    """Nothing curated of an erased person survives."""
    entries.blank_erased(session, item_ids, now)


def keep_respondent_photo(
    _workspace_id: int, *, session: Session, item: FeedbackItem, photo: ProcessedPhoto
) -> None:
    """The respondent's own photo sits beside their quote in the inbox."""
    for testimonial in services.create_testimonials(session, [item]):
        services.set_photo(
            session, testimonial, Actor(), photo.jpeg, photo.etag, by_respondent=True
        )


def connect() -> None:
    """Subscribe curation to harvest's events (idempotent: blinker keeps one of each)."""
    signals.feedback_recorded.connect(open_entries)
    signals.feedback_imported.connect(open_imported_entries)
    signals.feedback_verified.connect(rerank_verified)
    signals.feedback_rescored.connect(rerank_rescored)
    signals.consent_revoked.connect(rerank_consent)
    signals.consent_changed.connect(rerank_consent)
    signals.feedback_erased.connect(blank_erased)
    signals.photo_received.connect(keep_respondent_photo)
