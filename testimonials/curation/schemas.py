"""API representations of testimonials, tags, bulk actions and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import marshmallow as ma
from flask_smorest.fields import Upload

from testimonials.curation.bulk import BULK_ACTIONS, MAX_BULK
from testimonials.curation.documents import shown_fields, testimonial_fields
from testimonials.curation.inbox import SORTS
from testimonials.curation.listing import ListedTestimonial
from testimonials.curation.models import REASON_LENGTH as REASON_MAX
from testimonials.curation.models import Disclosure, Status, Testimonial
from testimonials.db import utcnow
from testimonials.fast_json import json_float
from testimonials.harvest.models import Channel, NpsGroup
from testimonials.harvest.schemas import verified_by_field
from testimonials.schemas import PageArgsSchema, id_field

REASON_LENGTH = ma.validate.Length(max=REASON_MAX)
DISPLAY_LENGTH = ma.validate.Length(max=200)
ALL_STATUSES = "all"


# --- Out ------------------------------------------------------------------------------


class TagSchema(ma.Schema):
    """A tag; collections are the tags widgets show."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    slug = ma.fields.String()
    is_collection = ma.fields.Boolean()
    created_at = ma.fields.DateTime()


class TestimonialReasonSchema(ma.Schema):
    """Why the scorer scored the item as it did."""

    code = ma.fields.String()
    message = ma.fields.String()
    kind = ma.fields.String(allow_none=True, metadata={"description": "specificity or suspicion"})


class TestimonialProvenanceSchema(ma.Schema):
    """Where the words came from."""

    item_id = ma.fields.Integer(metadata={"description": "The harvested feedback item"})
    channel = ma.fields.String()
    source_name = ma.fields.String()
    received_at = ma.fields.DateTime()
    submitted_at = ma.fields.DateTime(allow_none=True)
    verified = ma.fields.Boolean()
    verified_by = verified_by_field()


class TestimonialConsentSchema(ma.Schema):
    """Whether the author agreed to be quoted, and to which wording."""

    state = ma.fields.String(metadata={"description": "not_asked, granted, declined, revoked"})
    version = ma.fields.String(allow_none=True)
    at = ma.fields.DateTime(allow_none=True)


class TestimonialAuthorSchema(ma.Schema):
    """The author as a widget would show them (display fixes, else what they gave)."""

    name = ma.fields.String(allow_none=True)
    role = ma.fields.String(allow_none=True)
    company = ma.fields.String(allow_none=True)


class TestimonialSchema(ma.Schema):
    """A testimonial in the inbox: the original words, the public excerpt, scores, decision."""

    id = ma.fields.Integer()
    status = ma.fields.String(
        metadata={
            "description": "pending, approved, rejected or snoozed (a snooze past its "
            "date reads as pending)"
        }
    )
    rank_score = ma.fields.Float()
    excerpt = ma.fields.String(metadata={"description": "The public words a widget shows"})
    custom_excerpt = ma.fields.String(
        allow_none=True, metadata={"description": "The excerpt set by a person; null = suggested"}
    )
    suggested_excerpt = ma.fields.String(allow_none=True)
    text = ma.fields.String(metadata={"description": "The original words, never edited"})
    title = ma.fields.String(allow_none=True)
    language = ma.fields.String(allow_none=True)
    specificity = ma.fields.Float(allow_none=True)
    suspicion = ma.fields.Float(allow_none=True)
    flagged = ma.fields.Boolean(
        metadata={"description": "Suspicious enough that approving needs override_reason"}
    )
    honesty_problem = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Why the excerpt or display name is not the customer's own words "
            "(set on records from before the rule); never published until fixed"
        },
    )
    publishable = ma.fields.Boolean(
        metadata={"description": "Approved and in the customer's own words: safe to show"}
    )
    reasons = ma.fields.List(ma.fields.Nested(TestimonialReasonSchema))
    provenance = ma.fields.Nested(TestimonialProvenanceSchema)
    consent = ma.fields.Nested(TestimonialConsentSchema)
    rating = ma.fields.Integer(allow_none=True)
    nps_score = ma.fields.Integer(allow_none=True)
    nps_group = ma.fields.String(allow_none=True)
    author = ma.fields.Nested(TestimonialAuthorSchema)
    disclosure = ma.fields.String(
        allow_none=True, metadata={"description": "employee, family, partner or incentivised"}
    )
    tags = ma.fields.List(ma.fields.Nested(TagSchema))
    has_photo = ma.fields.Boolean()
    decided_at = ma.fields.DateTime(allow_none=True)
    rejection_reason = ma.fields.String(allow_none=True)
    override_reason = ma.fields.String(allow_none=True)
    snoozed_until = ma.fields.DateTime(allow_none=True)
    updated_at = ma.fields.DateTime()

    @ma.pre_dump
    def _flatten(self, t: Testimonial, **_kwargs: Any) -> dict[str, Any]:
        return testimonial_fields(t)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


_REASON_KEYS = tuple(TestimonialReasonSchema().fields)
_REASON_KEY_SET = frozenset(_REASON_KEYS)


def testimonial_document(listed: ListedTestimonial) -> dict[str, Any]:
    """What TestimonialSchema dumps, built directly from a list row: the hot list path skips
    ORM objects and per-field work. A test holds the two to the same bytes.
    """
    row = listed.row
    document = shown_fields(row, row, None, listed.score_reasons)
    # What the schema dumps of each reason: its known keys (a decoded reason of only those,
    # the usual case, is used as it is; key order is the encoder's to sort).
    document["reasons"] = [
        reason
        if reason.keys() <= _REASON_KEY_SET
        else {key: reason[key] for key in _REASON_KEYS if key in reason}
        for reason in document["reasons"]
    ]
    for part, key in (
        ("provenance", "received_at"),
        ("provenance", "submitted_at"),
        ("consent", "at"),
    ):
        document[part][key] = _iso(document[part][key])
    for key in ("decided_at", "snoozed_until", "updated_at"):
        document[key] = _iso(document[key])
    for key in ("rank_score", "specificity", "suspicion"):
        document[key] = json_float(document[key])
    document["tags"] = [
        {
            "id": tag.id,
            "name": tag.name,
            "slug": tag.slug,
            "is_collection": tag.is_collection,
            "created_at": _iso(tag.created_at),
        }
        for tag in listed.tags
    ]
    return document


class TestimonialListSchema(ma.Schema):
    """The testimonials an action changed."""

    items = ma.fields.List(ma.fields.Nested(TestimonialSchema))


class BulkResultSchema(ma.Schema):
    """What a bulk action did; `skipped` says why, per testimonial id."""

    batch_id = ma.fields.String(metadata={"description": "Undo reverts the whole batch"})
    done = ma.fields.List(ma.fields.Integer())
    skipped = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "Testimonial id: why it was not changed"},
    )


class AuditEntrySchema(ma.Schema):
    """One change to a testimonial: who, when, what, the state before and after, and why."""

    id = ma.fields.Integer()
    testimonial_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.DateTime()
    who = ma.fields.String(
        allow_none=True, metadata={"description": "The user's e-mail or the API key's name"}
    )
    actor_type = ma.fields.String(allow_none=True, metadata={"description": "user or api_key"})
    action = ma.fields.String()
    before = ma.fields.Dict(allow_none=True)
    after = ma.fields.Dict(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    batch_id = ma.fields.String(allow_none=True)
    undone_at = ma.fields.DateTime(allow_none=True)


# --- In -------------------------------------------------------------------------------


class TestimonialQueryArgsSchema(PageArgsSchema):
    """Inbox filters (`?status=pending` unless told otherwise)."""

    status = ma.fields.String(
        load_default=Status.PENDING.value,
        validate=ma.validate.OneOf([*(s.value for s in Status), ALL_STATUSES]),
    )
    channel = ma.fields.Enum(Channel, by_value=True, load_default=None)
    source = ma.fields.String(load_default=None, validate=ma.validate.Length(max=120))
    group = ma.fields.Enum(NpsGroup, by_value=True, load_default=None)
    rating = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=1, max=5))
    tag_id = id_field(load_default=None)
    language = ma.fields.String(load_default=None, validate=ma.validate.Length(max=16))
    received_from = ma.fields.Date(
        data_key="from", load_default=None, metadata={"description": "Received on or after"}
    )
    received_to = ma.fields.Date(
        data_key="to", load_default=None, metadata={"description": "Received on or before"}
    )
    flagged = ma.fields.Boolean(load_default=None)
    needs_fix = ma.fields.Boolean(
        load_default=None,
        metadata={
            "description": "true: only testimonials whose wording breaks the honest-excerpt "
            "rule (they are left out of `status=approved`, which lists what may be shown)"
        },
    )
    q = ma.fields.String(
        load_default=None,
        validate=ma.validate.Length(max=200),
        metadata={"description": "Words in the text or the author's name"},
    )
    sort = ma.fields.String(load_default="rank", validate=ma.validate.OneOf(SORTS))

    @ma.validates_schema
    def _dates_in_order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise ma.ValidationError("`from` is after `to`.", "from")


class TestimonialUpdateSchema(ma.Schema):
    """What a person may change: the public excerpt, the author display and the tags."""

    excerpt = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "The customer's own words: pieces of the original in order, "
            "joined by an ellipsis, with small typo fixes (docs/excerpts.md); anything "
            "else is refused with 422. null goes back to the suggested excerpt"
        },
    )
    display_name = ma.fields.String(
        allow_none=True,
        validate=DISPLAY_LENGTH,
        metadata={
            "description": "The author's name or a shortening of it (first name, first "
            "name and initial, initials); a different name is refused with 422"
        },
    )
    display_role = ma.fields.String(allow_none=True, validate=DISPLAY_LENGTH)
    display_company = ma.fields.String(allow_none=True, validate=DISPLAY_LENGTH)
    disclosure = ma.fields.String(
        allow_none=True,
        validate=ma.validate.OneOf([d.value for d in Disclosure]),
        metadata={"description": "An insider or incentivised author: widgets label it"},
    )
    tag_ids = ma.fields.List(id_field(), validate=ma.validate.Length(max=100))


class ApproveSchema(ma.Schema):
    """Approve; suspicious items need a reason."""

    override_reason = ma.fields.String(load_default=None, validate=REASON_LENGTH)


class RejectSchema(ma.Schema):
    """Reject, optionally saying why."""

    reason = ma.fields.String(load_default=None, validate=REASON_LENGTH)


def _in_the_future(value: Any) -> None:
    if value <= utcnow():
        raise ma.ValidationError("Must be in the future.")


class SnoozeSchema(ma.Schema):
    """Hide until a date; it comes back as pending then."""

    until = ma.fields.AwareDateTime(
        required=True,
        validate=_in_the_future,
        metadata={"description": "ISO 8601 with a time zone"},
    )


class BulkActionSchema(ma.Schema):
    """One action on many testimonials."""

    ids = ma.fields.List(
        id_field(), required=True, validate=ma.validate.Length(min=1, max=MAX_BULK)
    )
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(BULK_ACTIONS))
    reason = ma.fields.String(
        load_default=None,
        validate=REASON_LENGTH,
        metadata={"description": "Rejection reason, or override reason when approving"},
    )
    until = ma.fields.AwareDateTime(
        load_default=None, validate=_in_the_future, metadata={"description": "For snooze"}
    )
    tag_ids = ma.fields.List(
        id_field(),
        load_default=list,
        validate=ma.validate.Length(max=100),
        metadata={"description": "For tag: tags added to each testimonial"},
    )

    @ma.validates_schema
    def _action_has_what_it_needs(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data.get("action") == "snooze" and data.get("until") is None:
            raise ma.ValidationError("Say until when to snooze.", "until")
        if data.get("action") == "tag" and not data.get("tag_ids"):
            raise ma.ValidationError("Name at least one tag.", "tag_ids")


class PhotoUploadSchema(ma.Schema):
    """The author's photo (multipart/form-data)."""

    photo = Upload(
        required=True,
        metadata={"description": "JPEG, PNG, WebP or GIF up to 5 MB; stored as 256x256 JPEG"},
    )


class TagCreateSchema(ma.Schema):
    """A new tag or collection."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    is_collection = ma.fields.Boolean(load_default=False)


class AuditQueryArgsSchema(PageArgsSchema):
    """Audit log filters."""

    testimonial_id = id_field(load_default=None)
