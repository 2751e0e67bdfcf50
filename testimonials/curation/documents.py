"""What the API shows of a testimonial, as plain values before dumping.

One function serves both the marshmallow schema (from models) and the list's fast path
(from one row holding the columns of both tables), so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from testimonials.curation.models import Status, Testimonial, is_publishable, public_words
from testimonials.curation.services import SUSPICION_OVERRIDE_THRESHOLD
from testimonials.db import utcnow
from testimonials.harvest.models import NpsGroup


def testimonial_fields(t: Testimonial) -> dict[str, Any]:
    """A testimonial as the API shows it, before dumping (tags and times still objects)."""
    return shown_fields(t, t.item, t.tags, t.item.score_reasons)


# An enum member's `.value` is a descriptor call: the list reads these for every item.
_SNOOZED, _PENDING = Status.SNOOZED.value, Status.PENDING.value


def shown_fields(
    t: Any, item: Any, tags: Any, score_reasons: list[dict[str, Any]] | None
) -> dict[str, Any]:
    """What the API shows, from the testimonial's columns (`t`) and its item's (`item`).

    Each is a model, or both are one row holding the columns of both (the list's rows).
    """
    status = t.status
    if status == _SNOOZED and t.snoozed_until and t.snoozed_until <= utcnow():
        status = _PENDING  # as the inbox sees it
    nps_score = item.nps_score
    return {
        "id": t.id,
        "status": status,
        "rank_score": t.rank_score,
        "excerpt": public_words(t.excerpt, item.suggested_excerpt, item.text),
        "custom_excerpt": t.excerpt,
        "suggested_excerpt": item.suggested_excerpt,
        "text": item.text,
        "title": item.title,
        "language": item.language,
        "specificity": item.specificity,
        "suspicion": item.suspicion,
        "flagged": (item.suspicion or 0.0) >= SUSPICION_OVERRIDE_THRESHOLD,
        "honesty_problem": t.honesty_problem,
        "publishable": is_publishable(t.status, t.honesty_problem),
        "reasons": score_reasons or [],
        "provenance": {
            "item_id": t.item_id,
            "channel": item.channel,
            "source_name": item.source_name,
            "received_at": item.received_at,
            "submitted_at": item.submitted_at,
            "verified": item.verified,
            "verified_by": item.verified_by,
        },
        "consent": {
            "state": item.consent_state,
            "version": item.consent_version,
            "at": item.consent_at,
        },
        "rating": item.rating,
        "nps_score": nps_score,
        "nps_group": None if nps_score is None else NpsGroup.of(nps_score).value,
        # Never the author's e-mail: it is private.
        "author": {
            "name": t.display_name or item.author_name,
            "role": t.display_role or item.author_role,
            "company": t.display_company or item.author_company,
        },
        "disclosure": t.disclosure,
        "tags": tags,
        "has_photo": t.photo_etag is not None,
        "decided_at": t.decided_at,
        "rejection_reason": t.rejection_reason,
        "override_reason": t.override_reason,
        "snoozed_until": t.snoozed_until,
        "updated_at": t.updated_at,
    }
