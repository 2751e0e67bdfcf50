"""Webhook intake: signed deliveries, fresh timestamps and replays."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import FollowUp
from testimonials.harvest.webhooks.models import WebhookDelivery
from testimonials.harvest.webhooks.signatures import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature_for,
)
from tests.api.test_problems import assert_problem
from tests.api.webhooks.helpers import COMMENT, T0, Source, _count, _event, _item, _send
from tests.conftest import Tenant

# --- Signatures and freshness ---------------------------------------------------------


def test_signed_event_is_stored_as_scored_webhook_feedback(
    client: FlaskClient, db: Session, tenant: Tenant, source: Source
) -> None:
    response = _send(client, source, _event(score=9, comment=COMMENT, name="Dana", country="gb"))
    assert response.status_code == 200
    assert response.json["status"] == "accepted"
    item_id = response.json["item_id"]
    shown = client.get(f"/api/v1/feedback/{item_id}", headers=tenant.headers()).json
    assert (shown["text"], shown["nps_score"], shown["channel"]) == (COMMENT, 9, "webhook")
    assert (shown["source_name"], shown["external_id"]) == ("Typeform NPS", "resp_1")
    assert (shown["author_name"], shown["country"]) == ("Dana", "GB")
    assert shown["specificity"] is not None and shown["reasons"]
    item = _item(db)
    assert item is not None and item.source_updated_at == T0
    listed = client.get("/api/v1/webhook-sources", headers=tenant.headers()).json["items"]
    assert listed[0]["last_delivery_at"] is not None


@pytest.mark.parametrize(
    ("how", "detail"),
    [
        ("wrong secret", "does not match"),
        ("tampered body", "does not match"),
        ("no headers", "Missing X-Testimonials-Timestamp and X-Testimonials-Signature"),
        ("no signature", "Missing X-Testimonials-Signature"),
    ],
)
def test_unsigned_or_tampered_deliveries_get_401_and_store_nothing(
    client: FlaskClient, db: Session, source: Source, how: str, detail: str
) -> None:
    event = _event(score=2, comment=COMMENT)
    raw = json.dumps(event).encode()
    now = str(int(time.time()))
    if how == "wrong secret":
        response = _send(client, source, event, secret="whsec_" + "0" * 64)
    elif how == "tampered body":
        headers = {TIMESTAMP_HEADER: now, SIGNATURE_HEADER: signature_for(source.secret, now, raw)}
        tampered = raw.replace(b'"score": 2', b'"score": 10')
        response = _send(client, source, body=tampered, headers=headers)
    elif how == "no headers":
        response = _send(client, source, event, headers={})
    else:
        response = _send(client, source, event, headers={TIMESTAMP_HEADER: now})
    assert detail in assert_problem(response, 401)["detail"]
    assert _item(db) is None and _count(db, WebhookDelivery) == 0


def test_stale_and_future_timestamps_get_401_saying_by_how_much(
    client: FlaskClient, db: Session, source: Source
) -> None:
    now = int(time.time())
    stale = _send(client, source, _event(score=9), timestamp=now - 412)
    assert "s old; the limit is 300 s" in assert_problem(stale, 401)["detail"]
    assert "412 s old" in stale.json["detail"] or "413 s old" in stale.json["detail"]
    future = _send(client, source, _event(score=9), timestamp=now + 600)
    assert "in the future; the limit is 300 s" in assert_problem(future, 401)["detail"]
    assert _item(db) is None


def test_signature_is_checked_before_the_body_is_parsed(
    client: FlaskClient, source: Source
) -> None:
    # Garbage with a bad signature is an auth failure, not a parse error: no parsing happens.
    response = _send(client, source, body=b"{not json", secret="whsec_wrong")
    assert_problem(response, 401)
    assert_problem(_send(client, source, body=b"{not json"), 400)


def test_exact_replay_is_a_duplicate_with_no_second_effect(
    client: FlaskClient, db: Session, source: Source
) -> None:
    raw = json.dumps(_event(score=3, comment=COMMENT)).encode()
    now = str(int(time.time()))
    headers = {TIMESTAMP_HEADER: now, SIGNATURE_HEADER: signature_for(source.secret, now, raw)}
    first = _send(client, source, body=raw, headers=headers)
    replay = _send(client, source, body=raw, headers=headers)
    assert first.json["status"] == "accepted"
    assert replay.status_code == 200
    assert replay.json == {"status": "duplicate", "item_id": first.json["item_id"]}
    assert _count(db, FeedbackItem) == 1
    assert _count(db, WebhookDelivery) == 1
    assert _count(db, FollowUp) == 1  # the detractor follow-up was not made twice


def test_a_retry_with_a_fresh_signature_is_a_duplicate_by_event_id(
    client: FlaskClient, db: Session, source: Source
) -> None:
    # Tools retry a delivery they think failed: same event id, new timestamp and signature
    # (and sometimes a re-rendered body). De-duplication is by event id, not by bytes.
    first = _send(client, source, _event(score=3, comment=COMMENT), timestamp=int(time.time()))
    retried = _event(score=4, comment=COMMENT + " (resent)")
    retry = _send(client, source, retried, timestamp=int(time.time()) + 1)
    assert retry.status_code == 200
    assert retry.json == {"status": "duplicate", "item_id": first.json["item_id"]}
    item = _item(db)
    assert item is not None and (item.nps_score, item.text) == (3, COMMENT)
    assert _count(db, FeedbackItem) == 1 and _count(db, WebhookDelivery) == 1
    # A new event id for the same response is not a duplicate: it is applied.
    later = _event("updated", "evt_2", T0 + timedelta(minutes=1), score=6)
    assert _send(client, source, later).json["status"] == "accepted"
    assert _item(db).nps_score == 6  # type: ignore[union-attr]


def test_a_replayed_request_after_five_minutes_is_refused_as_stale(
    client: FlaskClient, db: Session, source: Source
) -> None:
    # A captured request (valid signature over its own old timestamp) replayed later.
    raw = json.dumps(_event(score=9, comment=COMMENT)).encode()
    sent_at = str(int(time.time()) - 301)
    headers = {
        TIMESTAMP_HEADER: sent_at,
        SIGNATURE_HEADER: signature_for(source.secret, sent_at, raw),
    }
    assert (
        "the limit is 300 s"
        in assert_problem(_send(client, source, body=raw, headers=headers), 401)["detail"]
    )
    assert _item(db) is None and _count(db, WebhookDelivery) == 0
