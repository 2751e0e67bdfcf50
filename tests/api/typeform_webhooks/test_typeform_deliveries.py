"""Typeform deliveries: signatures, replays, and answers mapped onto feedback."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import FollowUp
from testimonials.harvest.webhooks.models import WebhookDelivery
from tests.api.test_problems import assert_problem
from tests.api.typeform_webhooks.helpers import (
    COMMENT,
    CONSENT_QUESTION,
    EMAIL,
    NAME,
    NPS,
    PLAN,
    WHY,
    Source,
    _answer,
    _count,
    _create,
    _field,
    _item,
    _send,
    _signature,
    _typeform_event,
)
from tests.conftest import Tenant

# --- Signatures ----------------------------------------------------------------------


def test_a_signed_typeform_response_is_stored_with_every_answer_mapped(
    client: FlaskClient, db: Session, tenant: Tenant, source: Source
) -> None:
    event = _typeform_event()
    response = _send(client, source, event)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["status"] == "accepted"
    shown = client.get(f"/api/v1/feedback/{response.json['item_id']}", headers=tenant.headers())
    item = shown.json
    assert (item["text"], item["nps_score"], item["channel"]) == (COMMENT, 3, "webhook")
    assert (item["source_name"], item["external_id"]) == ("Typeform NPS", "a1b2c3d4e5f6")
    assert item["author_email"] == "dana.lee@example.com"
    assert item["author_name"] == "Dana Lee"
    assert (item["author_role"], item["author_company"]) == ("Practice manager", "Acme Physio")
    assert item["consent_state"] == "granted"
    assert item["specificity"] is not None  # scored like any other webhook comment
    stored = _item(db)
    assert stored is not None
    assert stored.consent_text == CONSENT_QUESTION
    assert stored.submitted_at == datetime.fromisoformat(
        event["form_response"]["submitted_at"].replace("Z", "+00:00")
    )
    # Answers with no field of ours are kept by ref, unused hidden fields under "hidden".
    assert stored.answers == {"plan": "Clinic Pro", "seats": 12, "hidden": {"utm": "newsletter"}}
    # A detractor score opens a follow-up, as for our own format.
    assert _count(db, FollowUp) == 1


@pytest.mark.parametrize("how", ["wrong secret", "tampered body", "missing", "our own headers"])
def test_wrongly_signed_or_unsigned_typeform_deliveries_get_401(
    client: FlaskClient, db: Session, source: Source, how: str
) -> None:
    raw = json.dumps(_typeform_event()).encode()
    if how == "wrong secret":
        response = _send(client, source, body=raw, signature=_signature("whsec_other", raw))
    elif how == "tampered body":
        tampered = raw.replace(b'"number": 3', b'"number": 10')
        response = _send(client, source, body=tampered, signature=_signature(source.secret, raw))
    elif how == "missing":
        response = _send(client, source, body=raw, sign=False)
    else:
        # Our own hex signature is not accepted by a Typeform source.
        hex_digest = hmac.new(source.secret.encode(), raw, hashlib.sha256).hexdigest()
        response = _send(client, source, body=raw, signature=f"sha256={hex_digest}")
    problem = assert_problem(response, 401)
    assert "Typeform-Signature" in problem["detail"]
    assert _item(db) is None and _count(db, WebhookDelivery) == 0


def test_signature_is_checked_before_the_body_is_read(client: FlaskClient, source: Source) -> None:
    assert_problem(_send(client, source, body=b"{not json", signature="sha256=AAAA"), 401)
    assert_problem(_send(client, source, body=b"{not json"), 400)


# --- Replays and freshness -----------------------------------------------------------


def test_the_same_typeform_event_twice_is_a_duplicate(
    client: FlaskClient, db: Session, source: Source
) -> None:
    raw = json.dumps(_typeform_event()).encode()
    first = _send(client, source, body=raw)
    again = _send(client, source, body=raw)
    assert again.status_code == 200
    assert again.json == {"status": "duplicate", "item_id": first.json["item_id"]}
    assert (_count(db, FeedbackItem), _count(db, WebhookDelivery), _count(db, FollowUp)) == (
        1,
        1,
        1,
    )


def test_a_redelivery_of_the_same_response_under_a_new_event_id_updates_one_item(
    client: FlaskClient, db: Session, source: Source
) -> None:
    assert _send(client, source, _typeform_event()).json["status"] == "accepted"
    answers = [_answer(NPS, "number", 8), _answer(WHY, "text", COMMENT)]
    later = _typeform_event(
        event_id="01HTFEVENT0000000000000002", answers=answers, submitted_at=datetime.now(UTC)
    )
    assert _send(client, source, later).json["status"] == "accepted"
    item = _item(db)
    assert item is not None and item.nps_score == 8 and item.text == COMMENT
    assert _count(db, FeedbackItem) == 1


@pytest.mark.parametrize(
    ("submitted_at", "detail"),
    [
        (datetime.now(UTC) - timedelta(days=8), "8 days old"),
        (datetime.now(UTC) + timedelta(hours=1), "in the future"),
    ],
)
def test_old_or_future_submissions_are_refused_as_possible_replays(
    client: FlaskClient, db: Session, source: Source, submitted_at: datetime, detail: str
) -> None:
    response = _send(client, source, _typeform_event(submitted_at=submitted_at))
    assert detail in assert_problem(response, 401)["detail"]
    assert _item(db) is None and _count(db, WebhookDelivery) == 0
    # Six days old is still within the window (Typeform retries, late test sends).
    recent = _typeform_event(submitted_at=datetime.now(UTC) - timedelta(days=6))
    assert _send(client, source, recent).json["status"] == "accepted"


# --- Mapping -------------------------------------------------------------------------


def test_a_response_with_neither_score_nor_comment_is_422_naming_both(
    client: FlaskClient, db: Session, source: Source
) -> None:
    answers = [_answer(EMAIL, "email", "dana@example.com"), _answer(PLAN, "choice", {"label": "X"})]
    response = _send(client, source, _typeform_event(answers=answers))
    problem = assert_problem(response, 422)
    assert "neither a score nor a comment" in problem["detail"]
    missing = " ".join(problem["errors"]["form_response.answers"])
    assert "No score" in missing and "No comment" in missing
    assert _item(db) is None


def test_malformed_typeform_events_get_422_per_field(
    client: FlaskClient, db: Session, source: Source
) -> None:
    event = _typeform_event()
    event["event_type"] = "form_opened"
    del event["form_response"]["token"]
    event["form_response"]["submitted_at"] = "yesterday"
    problem = assert_problem(_send(client, source, event), 422)
    assert "event_type" in problem["errors"]
    assert {"token", "submitted_at"} <= set(problem["errors"]["form_response"])
    # A mapped answer that doesn't fit its field is named by where it came from.
    wrong_score = _typeform_event(answers=[_answer(NPS, "number", 11), _answer(WHY, "text", "Ok")])
    problem = assert_problem(_send(client, source, wrong_score), 422)
    assert "answers[ref=nps-question]" in problem["errors"]
    assert _item(db) is None


def test_defaults_find_an_opinion_scale_short_text_and_hidden_email(
    client: FlaskClient, db: Session, source: Source
) -> None:
    scale = _field("Os1", "opinion_scale", "likely", "How likely…", steps=11, start_at_one=False)
    stars = _field("Os2", "opinion_scale", "ease", "How easy (1-5)?", steps=5, start_at_one=True)
    said = _field("St2", "short_text", "one-word", "One word for us?")
    answers = [
        _answer(stars, "number", 4),
        _answer(scale, "number", 10),
        _answer(said, "text", "Effortless"),
    ]
    event = _typeform_event(
        answers=answers, fields=[scale, stars, said], hidden={"email": "sam@example.org"}
    )
    assert _send(client, source, event).json["status"] == "accepted"
    item = _item(db)
    assert item is not None
    assert (item.nps_score, item.text, item.author_email) == (10, "Effortless", "sam@example.org")
    assert item.consent_state == "not_asked"  # no consent question: none is invented
    assert item.answers == {"ease": 4}


def test_a_field_map_picks_the_questions_a_form_names_its_own_way(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    # A 1-10 scale is not an NPS question by default; this form says it is one.
    rec = _field("Os3", "opinion_scale", "rec", "Recommend us?", steps=10, start_at_one=True)
    source = _create(client, tenant, field_map={"score": "rec", "comment": "name"})
    answers = [
        _answer(WHY, "text", COMMENT),
        _answer(NAME, "text", "Short and sweet"),
        _answer(rec, "number", 7),
    ]
    event = _typeform_event(answers=answers, fields=[WHY, NAME, rec])
    assert _send(client, source, event).json["status"] == "accepted"
    item = _item(db)
    assert item is not None and (item.nps_score, item.text) == (7, "Short and sweet")
    # The long-text answer the defaults would have taken is kept, not dropped.
    assert item.answers == {"why": COMMENT, "hidden": {"utm": "newsletter"}}
    changed = client.patch(
        f"/api/v1/webhook-sources/{source.id}",
        json={"field_map": {"comment": "why"}},
        headers=tenant.headers("write"),
    )
    assert changed.status_code == 200 and changed.json["field_map"] == {"comment": "why"}
