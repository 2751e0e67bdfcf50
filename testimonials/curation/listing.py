"""The API's testimonial list as plain rows: a page with its total, then the page's tags.

The hottest read of the API (what integrations poll for approved testimonials) skips ORM
objects: one query ranks the page's ids with the total as a window count (the inbox's own
filters and order, `inbox_query`) and joins their columns and items, one row per
testimonial; a second fetches the tags of those ids, one row per tag. Joining the tags into
the first would repeat each testimonial's forty columns (and convert its timestamps again)
once per tag. The dashboard's inbox, which needs models, keeps `inbox_page`.
"""

from __future__ import annotations

import json
from collections import namedtuple
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import msgspec
from sqlalchemy import (
    BigInteger,
    Connection,
    Row,
    Select,
    Text,
    any_,
    bindparam,
    cast,
    func,
    select,
)
from sqlalchemy.dialects import postgresql

from testimonials.curation.inbox import InboxFilters, inbox_order, inbox_query
from testimonials.curation.models import Tag, Testimonial, testimonial_tags
from testimonials.db import Page, count_rows, utcnow, valid_page
from testimonials.harvest.models import FeedbackItem

_DECODE = msgspec.json.Decoder().decode

# What the API shows of a testimonial (curation.documents.shown_fields): the testimonial's
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
)
_TAG_COLUMNS = (
    testimonial_tags.c.testimonial_id,
    Tag.id,
    Tag.name,
    Tag.slug,
    Tag.is_collection,
    Tag.created_at,
)


@dataclass(frozen=True)
class ListedTestimonial:
    """One testimonial of the list: its row (testimonial and item columns), the item's score
    reasons, and its tags."""

    # The row's columns as attributes of a named tuple (reading a Row's fields by name costs
    # ten times as much, and the document reads fifty of them).
    row: Any
    score_reasons: list[dict[str, Any]] | None
    tags: list[Row[Any]] = field(default_factory=list)


def listed_testimonials(
    connection: Connection,
    workspace_id: int,
    filters: InboxFilters,
    page_number: int,
    per_page: int,
) -> Page[ListedTestimonial]:
    """One page of the inbox as rows, with the total, in one round trip; its tags in one more.

    Plain rows on a Core connection (`db.read_connection`), past the ORM's session and result
    machinery. Only a page past the end, which has no row to carry the total, counts
    separately.
    """
    page_number = valid_page(page_number)
    offset = (page_number - 1) * per_page
    values = {"workspace_id": workspace_id, "now": utcnow(), "limit": per_page, "offset": offset}
    rows = connection.execute(_list_statement(filters), values).all()
    if not rows:
        if offset == 0:
            return Page(items=[], total=0, page=page_number, per_page=per_page)
        matching = inbox_query(workspace_id, filters).with_only_columns(Testimonial.id)
        total = count_rows(connection, matching)
        return Page(items=[], total=total, page=page_number, per_page=per_page)
    fields = _named_row(tuple(rows[0]._fields))._make
    listed = {}
    for row in map(fields, rows):
        reasons = row.score_reasons_json
        listed[row.id] = ListedTestimonial(row, None if reasons is None else _json_list(reasons))
    tags = _tags_statement(connection.dialect.name)
    for tag in connection.execute(tags, {"ids": list(listed)}):
        listed[tag.testimonial_id].tags.append(tag)
    return Page(
        items=list(listed.values()), total=rows[0].total_rows, page=page_number, per_page=per_page
    )


@lru_cache(maxsize=16)
def _named_row(fields: tuple[str, ...]) -> Any:
    """A named tuple class for the list statement's rows (the same fields every time)."""
    return namedtuple("ListRow", fields)


def _json_list(text: str) -> Any:
    """Stored JSON (the item's score reasons), decoded by msgspec: a third of `json.loads`'s
    time, to the same values; the standard library's parser decides anything msgspec
    refuses."""
    try:
        return _DECODE(text)
    except msgspec.DecodeError:
        return json.loads(text)


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
        .order_by(*inbox_order(filters))  # the page's own order, a total order
    )


@lru_cache(maxsize=4)
def _tags_statement(dialect: str) -> Select[Any]:
    """The tags of the page's testimonials (`ids`), each testimonial's by name; built once.

    PostgreSQL takes the ids as one array parameter: one prepared statement whatever the
    page's size.
    """
    if dialect == "postgresql":
        ids = testimonial_tags.c.testimonial_id == any_(
            bindparam("ids", type_=postgresql.ARRAY(BigInteger()))
        )
    else:
        ids = testimonial_tags.c.testimonial_id.in_(bindparam("ids", expanding=True))
    return (
        select(*_TAG_COLUMNS)
        .join_from(testimonial_tags, Tag, Tag.id == testimonial_tags.c.tag_id)
        .where(ids)
        .order_by(Tag.name, Tag.id)
    )
