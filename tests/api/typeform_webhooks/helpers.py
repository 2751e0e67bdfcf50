"""Typeform sources and Typeform's own signed deliveries, as the Typeform tests send them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from tests.conftest import Tenant

COMMENT = "The physio booking flow took two taps and the reminder SMS saved my Monday."


CONSENT_QUESTION = "May we quote your answer on our website?"


@dataclass
class Source:
    id: int
    token: str
    secret: str


def _create(
    client: FlaskClient, tenant: Tenant, name: str = "Typeform NPS", **extra: Any
) -> Source:
    response = client.post(
        "/api/v1/webhook-sources",
        json={"name": name, "kind": "typeform", **extra},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.json
    assert body["kind"] == "typeform"
    return Source(body["id"], body["url"].rsplit("/", 1)[1], body["secret"])


def _signature(secret: str, body: bytes) -> str:
    # Written out as Typeform documents it, not through our helper.
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def _field(field_id: str, field_type: str, ref: str, title: str, **properties: Any) -> dict:
    field = {"id": field_id, "type": field_type, "ref": ref, "title": title}
    return {**field, "properties": properties}


def _answer(field: dict, answer_type: str, value: Any) -> dict:
    return {
        "type": answer_type,
        answer_type: value,
        "field": {"id": field["id"], "type": field["type"], "ref": field["ref"]},
    }


NPS = _field("Nq1", "nps", "nps-question", "How likely are you to recommend us?")


WHY = _field("Lt2", "long_text", "why", "What is the main reason for your score?")


EMAIL = _field("Em3", "email", "work-email", "Your e-mail")


NAME = _field("St4", "short_text", "name", "Your name")


CONSENT = _field("Yn5", "yes_no", "consent", CONSENT_QUESTION)


PLAN = _field("Mc6", "multiple_choice", "plan", "Which plan are you on?")


SEATS = _field("Nm7", "number", "seats", "How many seats?")


def _typeform_event(
    *,
    event_id: str = "01HTFEVENT0000000000000001",
    token: str = "a1b2c3d4e5f6",
    submitted_at: datetime | None = None,
    answers: list[dict] | None = None,
    fields: list[dict] | None = None,
    hidden: dict[str, Any] | None = None,
) -> dict[str, Any]:
    submitted = submitted_at or datetime.now(UTC) - timedelta(minutes=2)
    if answers is None:
        answers = [
            _answer(NPS, "number", 3),
            _answer(WHY, "text", COMMENT),
            _answer(EMAIL, "email", "Dana.Lee@Example.com"),
            _answer(NAME, "text", "Dana Lee"),
            _answer(CONSENT, "boolean", True),
            _answer(PLAN, "choice", {"label": "Clinic Pro"}),
            _answer(SEATS, "number", 12),
        ]
    fields = fields if fields is not None else [NPS, WHY, EMAIL, NAME, CONSENT, PLAN, SEATS]
    return {
        "event_id": event_id,
        "event_type": "form_response",
        "form_response": {
            "form_id": "lT4Z3j",
            "token": token,
            "landed_at": (submitted - timedelta(minutes=3)).isoformat().replace("+00:00", "Z"),
            "submitted_at": submitted.isoformat().replace("+00:00", "Z"),
            "hidden": {"role": "Practice manager", "company": "Acme Physio", "utm": "newsletter"}
            if hidden is None
            else hidden,
            "calculated": {"score": 0},
            "definition": {"id": "lT4Z3j", "title": "NPS Q1", "fields": fields},
            "answers": answers,
        },
    }


def _send(
    client: FlaskClient,
    source: Source,
    event: dict[str, Any] | None = None,
    *,
    body: bytes | None = None,
    signature: str | None = None,
    sign: bool = True,
) -> Any:
    raw = body if body is not None else json.dumps(event).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Typeform Webhooks"}
    if sign:
        headers["Typeform-Signature"] = signature or _signature(source.secret, raw)
    return client.post(f"/hooks/{source.token}", data=raw, headers=headers)


def _count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def _item(db: Session, token: str = "a1b2c3d4e5f6") -> FeedbackItem | None:
    db.expire_all()
    return db.scalar(select(FeedbackItem).where(FeedbackItem.external_id == token))
