"""Webhook sources and signed deliveries in our own format, as the intake tests send them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.webhooks.signatures import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature_for,
)
from tests.conftest import Tenant

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


COMMENT = "Booking the physio slot took two taps and the reminder SMS saved my Monday."


@dataclass
class Source:
    id: int
    token: str
    secret: str
    url: str


def _create_source(client: FlaskClient, tenant: Tenant, name: str = "Typeform NPS") -> Source:
    response = client.post(
        "/api/v1/webhook-sources", json={"name": name}, headers=tenant.headers("write")
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.json
    return Source(body["id"], body["url"].rsplit("/", 1)[1], body["secret"], body["url"])


def _event(
    event_type: str = "created",
    event_id: str = "evt_1",
    at: datetime = T0,
    response_id: str = "resp_1",
    **response: Any,
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": f"response.{event_type}",
        "occurred_at": at.isoformat().replace("+00:00", "Z"),
        "response": {"id": response_id, **response},
    }


def _send(
    client: FlaskClient,
    source: Source,
    event: dict[str, Any] | None = None,
    *,
    body: bytes | None = None,
    timestamp: int | None = None,
    secret: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    raw = body if body is not None else json.dumps(event).encode()
    sent_at = str(int(time.time()) if timestamp is None else timestamp)
    signed = {
        TIMESTAMP_HEADER: sent_at,
        SIGNATURE_HEADER: signature_for(secret or source.secret, sent_at, raw),
        "Content-Type": "application/json",
    }
    return client.post(
        f"/hooks/{source.token}", data=raw, headers=signed if headers is None else headers
    )


def _item(db: Session, response_id: str = "resp_1") -> FeedbackItem | None:
    db.expire_all()
    return db.scalar(select(FeedbackItem).where(FeedbackItem.external_id == response_id))


def _count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0
