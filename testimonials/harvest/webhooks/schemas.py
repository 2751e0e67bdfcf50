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
from testimonials.harvest.webhooks.signatures import SIGNATURE_HEADER, TIMESTAMP_HEADER

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
    is_active = ma.fields.Boolean()
    created_at = ma.fields.DateTime()
    last_delivery_at = ma.fields.DateTime(allow_none=True)


class WebhookSourceCreateSchema(ma.Schema):
    """A request for a new webhook source."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))


class IssuedWebhookSourceSchema(WebhookSourceSchema):
    """A source with its signing secret, shown this once only."""

    secret = ma.fields.String(
        metadata={
            "description": "HMAC-SHA256 key (the whole string, as UTF-8); not shown again. "
            f"Sign with {TIMESTAMP_HEADER}: <unix seconds> and {SIGNATURE_HEADER}: "
            "sha256=<hex HMAC of '<timestamp>.' + raw body>."
        }
    )
