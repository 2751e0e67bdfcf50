"""The API's testimonial list as plain rows: a page, its total and its tags in one statement.

The hottest read of the API (what integrations poll for approved testimonials) skips ORM
objects: one query ranks the page's ids with the total as a window count (the inbox's own
filters and order, `inbox_query`), joins their columns, items and tags, and comes back as
rows, one per testimonial and tag. The dashboard's inbox, which needs models, keeps
`inbox_page`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, Select, Text, bindparam, cast, func, select
from sqlalchemy.orm import Session

from testimonials.curation.inbox import InboxFilters, inbox_order, inbox_query
from testimonials.curation.models import Tag, Testimonial, testimonial_tags
from testimonials.db import Page, count_rows, utcnow, valid_page
from testimonials.harvest.models import FeedbackItem

# What the API shows of a testimonial (curation.schemas.shown_fields): the testimonial's
# columns and its item's, never photos, signatures or raw answers.
_COLUMNS = (
    Testimonial.id,
    Testimonial.item_id,
    Testimonial.status,
    Testimonial.rank_score,
    Testimonial.excerpt,
    Testimonial.honesty_problem,
    Testimonial.display_name,
    Testimonial.display_role,
    Testimonial.display_company,
    Testimonial.disclosure,
    Testimonial.photo_etag,
    Testimonial.decided_at,
    Testimonial.rejection_reason,
    Testimonial.override_reason,
    Testimonial.snoozed_until,
    Testimonial.updated_at,
    FeedbackItem.suggested_excerpt,
    FeedbackItem.text,
    FeedbackItem.title,
    FeedbackItem.language,
    FeedbackItem.specificity,
    FeedbackItem.suspicion,
    # As text, decoded once per testimonial (not once per row of each of its tags).
    cast(FeedbackItem.score_reasons, Text).label("score_reasons_json"),
    FeedbackItem.channel,
    FeedbackItem.source_name,
    FeedbackItem.received_at,
    FeedbackItem.submitted_at,
    FeedbackItem.verified,
    FeedbackItem.verified_by,
    FeedbackItem.consent_state,
    FeedbackItem.consent_version,
    FeedbackItem.consent_at,
    FeedbackItem.rating,
    FeedbackItem.nps_score,
    FeedbackItem.author_name,
    FeedbackItem.author_role,
    FeedbackItem.author_company,
    Tag.id.label("tag_id"),
    Tag.name.label("tag_name"),
    Tag.slug.label("tag_slug"),
    Tag.is_collection.label("tag_is_collection"),
    Tag.created_at.label("tag_created_at"),
)


@dataclass(frozen=True)
class ListedTestimonial:
    """One testimonial of the list: its row (testimonial and item columns), the item's score
    reasons, and its tags."""

    row: Row[Any]
    score_reasons: list[dict[str, Any]] | None
    tags: list[Row[Any]] = field(default_factory=list)


def listed_testimonials(
    session: Session, workspace_id: int, filters: InboxFilters, page_number: int, per_page: int
) -> Page[ListedTestimonial]:
    """One page of the inbox as rows, with the total and every tag, in one round trip.

    Only a page past the end, which has no row to carry the total, counts separately.
    """
    page_number = valid_page(page_number)
    offset = (page_number - 1) * per_page
    values = {"workspace_id": workspace_id, "now": utcnow(), "limit": per_page, "offset": offset}
    # On the session's connection and transaction, past the ORM's result machinery: plain
    # rows are all this needs.
    rows = session.connection().execute(_list_statement(filters), values).all()
    if rows:
        total = rows[0].total_rows
    elif offset == 0:
        total = 0
    else:
        matching = inbox_query(workspace_id, filters).with_only_columns(Testimonial.id)
        total = count_rows(session, matching)
    return Page(items=_by_testimonial(rows), total=total, page=page_number, per_page=per_page)


@lru_cache(maxsize=256)
def _list_statement(filters: InboxFilters) -> Select[Any]:
    """The list's statement for these filters, built once: building a select of forty
    columns costs more than running it, on every request. The workspace, the time, the
    page's size and offset are bound when it runs.
    """
    matching = inbox_query(bindparam("workspace_id"), filters, bindparam("now"))
    ranked = (
        matching.with_only_columns(Testimonial.id, func.count().over().label("total_rows"))
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery("ranked")
    )
    return (
        select(ranked.c.total_rows, *_COLUMNS)
        .join_from(ranked, Testimonial, Testimonial.id == ranked.c.id)
        .join(FeedbackItem, FeedbackItem.id == Testimonial.item_id)
        .outerjoin(testimonial_tags, testimonial_tags.c.testimonial_id == Testimonial.id)
        .outerjoin(Tag, Tag.id == testimonial_tags.c.tag_id)
        # The page's own order (a total order), then each testimonial's tags by name.
        .order_by(*inbox_order(filters), Tag.name, Tag.id)
    )


def _by_testimonial(rows: Sequence[Row[Any]]) -> list[ListedTestimonial]:
    """Fold the rows (one per testimonial and tag, a testimonial's rows adjacent) together."""
    listed: list[ListedTestimonial] = []
    for row in rows:
        if not listed or listed[-1].row.id != row.id:
            reasons = row.score_reasons_json
            listed.append(ListedTestimonial(row, None if reasons is None else json.loads(reasons)))
        if row.tag_id is not None:
            listed[-1].tags.append(row)
    return listed
