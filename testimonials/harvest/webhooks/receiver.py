"""The public delivery endpoint, POST /hooks/{token}: signed, fresh, de-duplicated, cheap.

Order of checks, cheapest and most telling first: the per-source rate limit (429), body
size (413), the URL token (404; 410 when deactivated), the signature and timestamp over
the raw body (401), only then JSON (400) and the event schema (422), then the event
itself (200 with `accepted`, `duplicate` or `ignored`; 503 + Retry-After if it could not
be stored).

A source of kind `typeform` differs only up to the event: Typeform's signature over the
body alone (401), JSON (400), its `submitted_at` no older than 7 days (401, as there is
no signed timestamp), then the Typeform adapter (422). From the event on, both kinds share
one path.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask import Response, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.errors import InvalidInputError
from testimonials.extensions import limiter
from testimonials.harvest.intake import intake_scorer_for
from testimonials.harvest.webhooks import services
from testimonials.harvest.webhooks.deliveries import DeliveryOutcome, WebhookEvent, receive_event
from testimonials.harvest.webhooks.models import WebhookSourceKind
from testimonials.harvest.webhooks.schemas import WebhookEventSchema
from testimonials.harvest.webhooks.signatures import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    TYPEFORM_SIGNATURE_HEADER,
    SignatureError,
    SignedRequest,
    verify_request,
    verify_typeform_signature,
)
from testimonials.harvest.webhooks.typeform import (
    StaleTypeformResponse,
    TypeformPayloadError,
    typeform_event,
)
from testimonials.json_limits import load_json
from testimonials.problems import problem_response

_ATTEMPTS = 3
_DEACTIVATED = "This webhook source was deactivated; stop sending to this URL."
_event_schema = WebhookEventSchema()


def _webhook_rate_limit() -> str:
    return settings_for(current_app).webhook_rate_limit


def _source_token_key() -> str:
    # Per source, not per address: survey tools send from shared, changing IP ranges.
    return "webhook:" + str((request.view_args or {}).get("token", ""))[:64]


@limiter.limit(_webhook_rate_limit, key_func=_source_token_key)
def receive_delivery(token: str) -> Response | tuple[Response, int]:
    """Receive one signed event from a survey tool."""
    body = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    db = get_session()
    source = services.source_for_token(db, token)
    if source is None:
        return problem_response(404, "No webhook source has this URL.")
    if not source.is_active:
        return problem_response(410, _DEACTIVATED)
    if request.method != "POST":
        return problem_response(405, "Send events with POST.", headers={"Allow": "POST"})

    secret = services.signing_secret(source, settings_for(current_app).derived_secret_key)
    if source.kind == WebhookSourceKind.TYPEFORM.value:
        event = _typeform_event(secret, body, source.field_map)
    else:
        event = _testimonials_event(secret, body)
    if isinstance(event, Response):
        return event

    outcome = _receive(db, source.id, source.workspace_id, event)
    if outcome is None:
        return problem_response(410, _DEACTIVATED)
    return jsonify({"status": outcome.status.value, "item_id": outcome.item_id})


def _testimonials_event(secret: str, body: bytes) -> WebhookEvent | Response:
    """Our own format: signed over timestamp and body, then our event schema."""
    signed = SignedRequest(
        request.headers.get(TIMESTAMP_HEADER), request.headers.get(SIGNATURE_HEADER), body
    )
    try:
        verify_request(secret, signed, now=time.time())
    except SignatureError as error:
        return problem_response(401, error.detail)
    payload = _json(body)
    if isinstance(payload, Response):
        return payload
    try:
        return _event_schema.load(payload)  # type: ignore[arg-type]  # the schema checks it
    except ma.ValidationError as error:
        raise InvalidInputError(
            "The event failed validation; see `errors`.", _as_mapping(error.messages)
        ) from None


def _typeform_event(
    secret: str, body: bytes, field_map: dict[str, str] | None
) -> WebhookEvent | Response:
    """Typeform's format: signed over the body only, fresh by its submitted_at, adapted."""
    try:
        verify_typeform_signature(secret, request.headers.get(TYPEFORM_SIGNATURE_HEADER), body)
    except SignatureError as error:
        return problem_response(401, error.detail)
    payload = _json(body)
    if isinstance(payload, Response):
        return payload
    try:
        return typeform_event(payload, field_map, now=datetime.now(UTC))
    except StaleTypeformResponse as error:
        return problem_response(401, error.detail)
    except TypeformPayloadError as error:
        raise InvalidInputError(error.detail, error.errors) from None


def _json(body: bytes) -> object:
    try:
        return load_json(body)
    except ValueError:
        return problem_response(400, "The body is not valid JSON.")


def _receive(
    db: Session, source_id: int, workspace_id: int, event: WebhookEvent
) -> DeliveryOutcome | None:
    scorer = intake_scorer_for(current_app)
    # End the read-only lookup, so the delivery's own transaction begins with its write.
    db.commit()
    for attempt in range(_ATTEMPTS):
        try:
            source = services.start_delivery(db, source_id)
            if source is None:
                return None
            outcome = receive_event(db, source, event, scorer)
            db.commit()
            return outcome
        except (IntegrityError, OperationalError) as error:
            # Deliveries of one source are serialised, so this is rare: the same response
            # arriving through a second source of the same name, or a lock timeout. Retrying
            # from a fresh transaction sees the other delivery's rows.
            db.rollback()
            if attempt == _ATTEMPTS - 1:
                raise RetryLater() from error
    return None


class RetryLater(HTTPException):
    """Tell the tool to send the event again shortly."""

    code = 503
    description = "The delivery could not be stored right now; please retry."

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [*super().get_headers(*args, **kwargs), ("Retry-After", "2")]


def _as_mapping(messages: object) -> dict:
    return messages if isinstance(messages, dict) else {"_body": messages}
