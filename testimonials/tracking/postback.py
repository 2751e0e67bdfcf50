"""Signed server-side conversions: the customer's backend reports an order, once.

The page gets the visitor's day key (`unit`) from the slot answer and passes it along
with the order to its own server, which posts
    {"experiment": public key, "unit": ..., "order_id": ..., "value": ..., "timestamp": ...}
with `X-Testimonials-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
under the workspace's postback secret. A wrong signature, or a timestamp more than five
minutes away from our clock (a replay), is refused; an order id already recorded for the
experiment is acknowledged and not counted again. Without the secret a conversion cannot
be forged.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.errors import InvalidInputError, PermissionDeniedError
from testimonials.tracking.events import BeaconReceipt, record_beacon
from testimonials.tracking.models import EventKind, Experiment, TrackingEvent
from testimonials.tracking.visitor import Visitor

TIMESTAMP_WINDOW_SECONDS = 300
SIGNATURE_HEADER = "X-Testimonials-Signature"


def postback_secret(app_secret: str, workspace_id: int) -> str:
    """The workspace's postback secret, derived from the app's secret key (never stored)."""
    message = f"testimonials.postback.v1:{workspace_id}".encode()
    return hmac.new(app_secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for `body` sent at `timestamp` (what senders compute)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_postback(
    secret: str, signature: str, timestamp: int, body: bytes, now: datetime
) -> None:
    """Raise unless `signature` signs `body` at `timestamp` and the timestamp is recent."""
    if abs(now.timestamp() - timestamp) > TIMESTAMP_WINDOW_SECONDS:
        raise PermissionDeniedError(
            "The postback timestamp is more than 5 minutes from now: check the sender's "
            "clock, or this is a replay."
        )
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip()):
        raise PermissionDeniedError("The postback signature does not match its body.")


def record_postback_conversion(
    session: Session,
    experiment: Experiment,
    unit_key: str,
    *,
    order_id: str,
    value: float | None,
    name: str | None,
) -> BeaconReceipt:
    """Record the order as a conversion of the unit, unless its order id already was.

    The conversion is filed under the day the unit was exposed (a unit is a visitor-day),
    so an order completed after midnight still meets its exposure in the analysis.
    """
    if not order_id:
        raise InvalidInputError("A postback needs an order_id.", {"order_id": ["Required."]})
    exposed_on = session.scalar(
        select(func.min(TrackingEvent.day)).where(
            TrackingEvent.experiment_id == experiment.id,
            TrackingEvent.kind == EventKind.EXPOSURE.value,
            TrackingEvent.unit_key == unit_key,
        )
    )
    if exposed_on is None:
        raise InvalidInputError(
            "This unit was never shown the experiment's slot (or its day has expired).",
            {"unit": ["Unknown unit."]},
        )
    event_id = f"order:{order_id}"[:64]
    seen = session.scalar(
        select(TrackingEvent.id).where(
            TrackingEvent.experiment_id == experiment.id,
            TrackingEvent.client_event_id == event_id,
        )
    )
    if seen is not None:
        return BeaconReceipt(accepted=0, duplicates=1)
    event = {
        "id": event_id,
        "type": EventKind.CONVERSION.value,
        "name": name,
        "value": value,
        "order_id": order_id,
    }
    return record_beacon(session, experiment, Visitor(exposed_on, unit_key, None), [event])
