"""Marshmallow schemas: the survey-tool event format, and webhook sources on the API."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import marshmallow as ma
from flask import url_for

from testimonials.harvest.webhooks.deliveries import (
    Consent,
    EventType,
    SurveyResponse,
    WebhookEvent,
)
from testimonials.harvest.webhooks.models import WebhookSourceKind
from testimonials.harvest.webhooks.services import MAX_REF_LENGTH, TYPEFORM_MAPPED_FIELDS
from testimonials.harvest.webhooks.signatures import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    TYPEFORM_SIGNATURE_HEADER,
)

# --- Incoming events ------------------------------------------------------------------


def _optional_text(max_length: int, **kwargs: Any) -> ma.fields.String:
    return ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=max_length), **kwargs
    )


class ConsentPayloadSchema(ma.Schema):
    """`response.consent`: whether the respondent allowed public quotation."""

    class Meta:
        unknown = ma.EXCLUDE

    granted = ma.fields.Boolean(required=True)
    text = _optional_text(5000)
    version = _optional_text(40)

    @ma.post_load
    def _make(self, data: dict[str, Any], **_kwargs: Any) -> Consent:
        return Consent(**data)


class ResponsePayloadSchema(ma.Schema):
    """`response`: the survey response the event is about."""

    class Meta:
        # Tools add fields over time; what we don't know we don't store.
        unknown = ma.EXCLUDE

    id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    score = ma.fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=ma.validate.Range(0, 10)
    )
    comment = _optional_text(20000)
    email = ma.fields.Email(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=254)
    )
    name = _optional_text(200)
    role = _optional_text(200)
    company = _optional_text(200)
    language = _optional_text(16)
    country = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Regexp(r"^[A-Za-z]{2}$", error="Use a two-letter ISO 3166 code."),
    )
    submitted_at = ma.fields.AwareDateTime(load_default=None, allow_none=True, default_timezone=UTC)
    consent = ma.fields.Nested(ConsentPayloadSchema, load_default=None, allow_none=True)

    @ma.post_load
    def _make(self, data: dict[str, Any], **_kwargs: Any) -> SurveyResponse:
        return SurveyResponse(**data)


class WebhookEventSchema(ma.Schema):
    """One event from a survey tool, as posted to /hooks/{token}."""

    class Meta:
        unknown = ma.EXCLUDE

    event_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    type = ma.fields.Enum(EventType, by_value=True, required=True)
    occurred_at = ma.fields.AwareDateTime(required=True, default_timezone=UTC)
    response = ma.fields.Nested(ResponsePayloadSchema, required=True)

    @ma.post_load
    def _make(self, data: dict[str, Any], **_kwargs: Any) -> WebhookEvent:
        return WebhookEvent(**data)


# --- Management API -------------------------------------------------------------------


def delivery_url(token: str) -> str:
    """The full URL a survey tool posts to for a source."""
    return url_for("webhooks_pages.receive_delivery", token=token, _external=True)


class WebhookSourceSchema(ma.Schema):
    """A survey tool allowed to post responses, without its secret."""

    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String()
    url = ma.fields.Function(
        lambda source: delivery_url(source.token),
        metadata={"description": "Where the tool posts its events"},
    )
    kind = ma.fields.String(
        metadata={
            "description": "The format the tool sends: `testimonials` (ours) or `typeform`",
            "enum": [kind.value for kind in WebhookSourceKind],
        }
    )
    field_map = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        allow_none=True,
        metadata={"description": "Typeform only: our field -> Typeform field ref"},
    )
    is_active = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
    last_delivery_at = ma.fields.DateTime(allow_none=True)


def _field_map_field() -> ma.fields.Dict:
    return ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(TYPEFORM_MAPPED_FIELDS)),
        values=ma.fields.String(validate=ma.validate.Length(min=1, max=MAX_REF_LENGTH)),
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Typeform sources only: which question (by field ref) feeds which "
            'of our fields, e.g. {"score": "nps", "comment": "why"}; fields '
            "left out are found automatically."
        },
    )


class WebhookSourceCreateSchema(ma.Schema):
    """A request for a new webhook source."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    kind = ma.fields.Enum(
        WebhookSourceKind,
        by_value=True,
        load_default=WebhookSourceKind.TESTIMONIALS,
        metadata={"description": "`testimonials` (our signed format, default) or `typeform`"},
    )
    field_map = _field_map_field()


class WebhookSourceUpdateSchema(ma.Schema):
    """A change to a Typeform source's field map (null: automatic mapping only)."""

    field_map = _field_map_field()


class IssuedWebhookSourceSchema(WebhookSourceSchema):
    """A source with its signing secret, shown this once only."""

    secret = ma.fields.String(
        metadata={
            "description": "HMAC-SHA256 key (the whole string, as UTF-8); not shown again. "
            f"Sign with {TIMESTAMP_HEADER}: <unix seconds> and {SIGNATURE_HEADER}: "
            "sha256=<hex HMAC of '<timestamp>.' + raw body>. For a typeform source, paste "
            f"it as the Typeform webhook's secret ({TYPEFORM_SIGNATURE_HEADER})."
        }
    )
