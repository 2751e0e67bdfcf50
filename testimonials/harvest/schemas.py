"""API representations of harvested feedback."""

from __future__ import annotations

import marshmallow as ma

from testimonials.harvest.models import Channel, NpsGroup
from testimonials.harvest.search import MAX_SEARCH_LENGTH
from testimonials.schemas import PageArgsSchema


def verified_by_field() -> ma.fields.String:
    """How an item was verified, as the feedback and inbox APIs both describe it."""
    return ma.fields.String(
        allow_none=True,
        metadata={
            "description": "How it was verified: token (a per-respondent link), "
            "customer_email (the author is on the known-customer list), sender (the API "
            "client vouched for it); null if unverified or verified before this was recorded"
        },
    )


class ReasonSchema(ma.Schema):
    """Why the scorer scored an item as it did."""

    code = ma.fields.String()
    message = ma.fields.String()


class FeedbackItemSchema(ma.Schema):
    """One harvested item with its provenance, consent and scores."""

    id = ma.fields.Integer()
    text = ma.fields.String(metadata={"description": "The original words, never edited"})
    title = ma.fields.String(allow_none=True)
    rating = ma.fields.Integer(allow_none=True)
    nps_score = ma.fields.Integer(allow_none=True)
    nps_group = ma.fields.String(allow_none=True)
    author_name = ma.fields.String(allow_none=True)
    author_email = ma.fields.String(allow_none=True)
    author_role = ma.fields.String(allow_none=True)
    author_company = ma.fields.String(allow_none=True)
    language = ma.fields.String(allow_none=True)
    country = ma.fields.String(allow_none=True)
    channel = ma.fields.String()
    source_name = ma.fields.String()
    external_id = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.DateTime(allow_none=True)
    received_at = ma.fields.DateTime()
    verified = ma.fields.Boolean()
    verified_by = verified_by_field()
    consent_state = ma.fields.String()
    consent_version = ma.fields.String(allow_none=True)
    consent_at = ma.fields.DateTime(allow_none=True)
    specificity = ma.fields.Float(allow_none=True)
    suspicion = ma.fields.Float(allow_none=True)
    reasons = ma.fields.List(
        ma.fields.Nested(ReasonSchema), attribute="score_reasons", allow_none=True
    )
    suggested_excerpt = ma.fields.String(allow_none=True)


class FeedbackQueryArgsSchema(PageArgsSchema):
    """Filters for listing feedback."""

    channel = ma.fields.Enum(Channel, by_value=True, load_default=None)
    group = ma.fields.Enum(NpsGroup, by_value=True, load_default=None)
    q = ma.fields.String(
        load_default=None,
        validate=ma.validate.Length(
            max=MAX_SEARCH_LENGTH, error=f"At most {MAX_SEARCH_LENGTH} characters."
        ),
        metadata={"description": "Words in the text, the author's name or company (all of them)"},
    )
