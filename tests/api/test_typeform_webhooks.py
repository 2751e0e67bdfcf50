"""Typeform sources: Typeform's own signed webhooks become feedback through the same pipeline."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import FollowUp
from testimonials.harvest.webhooks.models import WebhookDelivery
from tests.api.test_problems import assert_problem
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


@pytest.fixture
def source(client: FlaskClient, tenant: Tenant) -> Source:
    return _create(client, tenant)


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


# --- Management ----------------------------------------------------------------------


def test_kind_is_chosen_at_creation_and_listed(
    client: FlaskClient, tenant: Tenant, source: Source
) -> None:
    ours = client.post(
        "/api/v1/webhook-sources", json={"name": "Our tool"}, headers=tenant.headers("write")
    )
    assert ours.status_code == 201 and ours.json["kind"] == "testimonials"
    listing = client.get("/api/v1/webhook-sources", headers=tenant.headers()).json["items"]
    assert {s["name"]: s["kind"] for s in listing} == {
        "Our tool": "testimonials",
        "Typeform NPS": "typeform",
    }
    bad = client.post(
        "/api/v1/webhook-sources",
        json={"name": "X", "kind": "surveymonkey"},
        headers=tenant.headers("write"),
    )
    assert "kind" in assert_problem(bad, 422)["errors"]
    mapped_ours = client.post(
        "/api/v1/webhook-sources",
        json={"name": "Y", "field_map": {"score": "nps"}},
        headers=tenant.headers("write"),
    )
    assert "field_map" in assert_problem(mapped_ours, 422)["errors"]
    unknown_field = client.post(
        "/api/v1/webhook-sources",
        json={"name": "Z", "kind": "typeform", "field_map": {"mood": "nps"}},
        headers=tenant.headers("write"),
    )
    assert "field_map" in assert_problem(unknown_field, 422)["errors"]
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert schemas["WebhookSourceCreate"]["properties"]["kind"]["enum"] == [
        "testimonials",
        "typeform",
    ]
    assert "kind" in schemas["WebhookSource"]["properties"]


def test_rotating_a_typeform_secret_retires_the_old_one(
    client: FlaskClient, tenant: Tenant, source: Source
) -> None:
    rotated = client.post(
        f"/api/v1/webhook-sources/{source.id}/rotate-secret", headers=tenant.headers("write")
    )
    new_secret = rotated.json["secret"]
    assert rotated.json["kind"] == "typeform" and new_secret.startswith("whsec_")
    assert_problem(_send(client, source, _typeform_event()), 401)
    renewed = Source(source.id, source.token, new_secret)
    assert _send(client, renewed, _typeform_event()).json["status"] == "accepted"


def test_our_own_format_is_refused_by_a_typeform_source_and_vice_versa(
    client: FlaskClient, tenant: Tenant, source: Source
) -> None:
    from tests.api.webhooks.helpers import Source as OurSource
    from tests.api.webhooks.helpers import _create_source, _event
    from tests.api.webhooks.helpers import _send as send_ours

    ours = _create_source(client, tenant, "Our format")
    typeform_as_ours = OurSource(source.id, source.token, source.secret, "")
    assert_problem(send_ours(client, typeform_as_ours, _event(score=9)), 401)
    ours_as_typeform = Source(ours.id, ours.token, ours.secret)
    assert_problem(_send(client, ours_as_typeform, _typeform_event()), 401)
    # Our own kind still accepts its own format.
    assert send_ours(client, ours, _event(score=9, comment=COMMENT)).json["status"] == "accepted"


def test_typeform_sources_are_isolated_between_workspaces(
    client: FlaskClient, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    a_source, b_source = _create(client, a, "Typeform"), _create(client, b, "Typeform")
    # The same Typeform response token through each workspace's own URL stays in its own.
    assert _send(client, a_source, _typeform_event()).json["status"] == "accepted"
    b_answers = [_answer(NPS, "number", 10), _answer(WHY, "text", "Beta praise")]
    assert _send(client, b_source, _typeform_event(answers=b_answers)).json["status"] == "accepted"
    a_items = client.get("/api/v1/feedback", headers=a.headers()).json["items"]
    b_items = client.get("/api/v1/feedback", headers=b.headers()).json["items"]
    assert [i["text"] for i in a_items] == [COMMENT]
    assert [i["text"] for i in b_items] == ["Beta praise"]
    # A's secret does not sign for B's URL, and A cannot see or remap B's source.
    forged = Source(b_source.id, b_source.token, a_source.secret)
    assert_problem(_send(client, forged, _typeform_event(event_id="x")), 401)
    path = f"/api/v1/webhook-sources/{b_source.id}"
    assert_problem(client.get(path, headers=a.headers()), 404)
    remap = client.patch(path, json={"field_map": None}, headers=a.headers("write"))
    assert_problem(remap, 404)


def test_known_customers_are_verified_through_typeform_too(
    client: FlaskClient, tenant: Tenant, source: Source
) -> None:
    added = client.post(
        "/api/v1/known-customers",
        json={"emails": ["dana.lee@example.com"]},
        headers=tenant.headers("write"),
    )
    assert added.status_code in (200, 201), added.get_data(as_text=True)
    item_id = _send(client, source, _typeform_event()).json["item_id"]
    item = client.get(f"/api/v1/feedback/{item_id}", headers=tenant.headers()).json
    assert item["verified"] is True and item["verified_by"] == "customer_email"
