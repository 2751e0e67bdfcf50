"""Webhook intake: signed deliveries, replays, out-of-order events, and source management."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.personal_data import subject_key_for
from testimonials.harvest.surveys.models import FollowUp
from testimonials.harvest.webhooks.models import WebhookDelivery, WebhookSource
from testimonials.harvest.webhooks.signatures import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature_for,
)
from testimonials.privacy.services import erase_respondent
from testimonials.scoring import content_hash
from tests.api.test_problems import assert_problem
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


@pytest.fixture
def source(client: FlaskClient, tenant: Tenant) -> Source:
    return _create_source(client, tenant)


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


# --- Order-tolerant upserts -----------------------------------------------------------


def test_score_first_then_comment_makes_one_item_with_both_scored(
    client: FlaskClient, db: Session, source: Source
) -> None:
    created = _send(client, source, _event("created", "evt_1", T0, score=10))
    item = _item(db)
    assert item is not None and item.text == "" and item.specificity is None
    comment = COMMENT + " Write to me at dana@example.com."
    updated = _send(
        client, source, _event("updated", "evt_2", T0 + timedelta(minutes=2), comment=comment)
    )
    assert updated.json["item_id"] == created.json["item_id"]
    item = _item(db)
    assert item is not None and _count(db, FeedbackItem) == 1
    assert (item.text, item.nps_score) == (comment, 10)
    assert item.content_hash == content_hash(comment)
    assert item.minhash and item.pii_flags == {"emails": 1}
    assert item.specificity is not None and item.scored_at is not None
    assert item.source_updated_at == T0 + timedelta(minutes=2)


def test_update_arriving_before_its_create_ends_in_the_same_state(
    client: FlaskClient, db: Session, source: Source
) -> None:
    later = T0 + timedelta(minutes=2)
    _send(client, source, _event("updated", "evt_2", later, comment=COMMENT, name="Dana R."))
    response = _send(client, source, _event("created", "evt_1", T0, score=4, name="Dana"))
    assert response.json["status"] == "accepted"
    item = _item(db)
    assert item is not None and _count(db, FeedbackItem) == 1
    # The older create filled the missing score but did not overwrite the newer name.
    assert (item.text, item.nps_score, item.author_name) == (COMMENT, 4, "Dana R.")
    assert item.source_updated_at == later
    assert item.specificity is not None
    # The score arrived after creation: the detractor still gets a follow-up.
    assert db.scalar(select(FollowUp).where(FollowUp.item_id == item.id)) is not None


def test_an_older_event_never_overwrites_newer_data(
    client: FlaskClient, db: Session, source: Source
) -> None:
    newer = T0 + timedelta(hours=1)
    _send(client, source, _event("updated", "evt_new", newer, score=10, company="Northwind"))
    _send(client, source, _event("updated", "evt_old", T0, score=2, company="Old Co"))
    item = _item(db)
    assert item is not None
    assert (item.nps_score, item.author_company, item.source_updated_at) == (10, "Northwind", newer)
    assert _count(db, FollowUp) == 0  # the stale score 2 never counted


def test_a_newer_score_replaces_the_old_one_and_rescored(
    client: FlaskClient, db: Session, source: Source
) -> None:
    _send(client, source, _event("created", "evt_1", T0, score=9, comment=COMMENT))
    _send(client, source, _event("updated", "evt_2", T0 + timedelta(minutes=5), score=5))
    item = _item(db)
    assert item is not None and item.nps_score == 5 and item.text == COMMENT
    assert db.scalar(select(FollowUp).where(FollowUp.item_id == item.id)) is not None


def test_text_is_immutable_and_a_later_edit_is_kept_beside_it(
    client: FlaskClient, db: Session, source: Source
) -> None:
    _send(client, source, _event("created", "evt_1", T0, score=9, comment=COMMENT))
    edited = "Actually it was three taps."
    _send(client, source, _event("updated", "evt_2", T0 + timedelta(minutes=1), comment=edited))
    item = _item(db)
    assert item is not None and item.text == COMMENT
    assert item.answers == {"later_comment": edited}


def test_deleted_response_is_withdrawn_not_removed(
    client: FlaskClient, db: Session, source: Source
) -> None:
    consent = {"granted": True, "text": "You may quote me", "version": "v2"}
    _send(client, source, _event("created", "evt_1", T0, score=9, comment=COMMENT, consent=consent))
    assert _item(db).consent_state == "granted"  # type: ignore[union-attr]
    deleted = _send(client, source, _event("deleted", "evt_2", T0 + timedelta(minutes=3)))
    assert deleted.json["status"] == "accepted"
    # A late, older update must not bring consent back.
    _send(client, source, _event("updated", "evt_3", T0 + timedelta(minutes=1), consent=consent))
    item = _item(db)
    assert item is not None and item.text == COMMENT
    assert item.consent_state == "revoked" and item.consent_revoked_at is not None


def test_events_after_a_withdrawal_we_never_stored_are_ignored(
    client: FlaskClient, db: Session, source: Source
) -> None:
    deleted = _send(client, source, _event("deleted", "evt_9", T0 + timedelta(minutes=3)))
    late = _send(client, source, _event("created", "evt_1", T0, score=9, comment=COMMENT))
    assert deleted.json == {"status": "ignored", "item_id": None}
    assert late.json == {"status": "ignored", "item_id": None}
    assert _item(db) is None


def test_events_for_an_erased_respondent_do_not_bring_data_back(
    client: FlaskClient, db: Session, tenant: Tenant, source: Source
) -> None:
    _send(client, source, _event(score=9, comment=COMMENT, email="dana@example.com", name="Dana"))
    erase_respondent(db, tenant.workspace.id, "dana@example.com", b"k", None)
    db.commit()
    again = _send(
        client, source, _event("updated", "evt_2", T0 + timedelta(hours=1), name="Dana", score=1)
    )
    assert again.json["status"] == "ignored"
    item = _item(db)
    assert item is not None and item.author_name is None and item.text == "[erased]"


# --- Refusals -------------------------------------------------------------------------


def test_invalid_event_after_a_valid_signature_gets_422_per_field(
    client: FlaskClient, db: Session, source: Source
) -> None:
    bad = _event("opened", score=11, email="not-an-email")
    bad["occurred_at"] = "last Tuesday"
    problem = assert_problem(_send(client, source, bad), 422)
    assert {"type", "occurred_at", "response"} <= set(problem["errors"])
    assert {"score", "email"} <= set(problem["errors"]["response"])
    missing = assert_problem(_send(client, source, {"event_id": "e"}), 422)
    assert {"type", "occurred_at", "response"} <= set(missing["errors"])
    assert _item(db) is None


def test_unknown_and_deactivated_sources(
    client: FlaskClient, tenant: Tenant, source: Source
) -> None:
    unknown = Source(0, "x" * 43, source.secret, "")
    assert_problem(_send(client, unknown, _event(score=9)), 404)
    assert_problem(client.get(f"/hooks/{source.token}"), 405)
    deleted = client.delete(f"/api/v1/webhook-sources/{source.id}", headers=tenant.headers("write"))
    assert deleted.status_code == 204
    assert_problem(_send(client, source, _event(score=9)), 410)
    shown = client.get(f"/api/v1/webhook-sources/{source.id}", headers=tenant.headers()).json
    assert shown["is_active"] is False


def test_body_over_the_size_limit_gets_413(
    app_factory: Callable[..., Flask], make_tenant: Callable[[str], Tenant]
) -> None:
    app = app_factory(MAX_CONTENT_LENGTH=2048)
    client = app.test_client()
    source = _create_source(client, make_tenant("Big Bodies"))
    assert_problem(_send(client, source, _event(score=9, comment="x" * 5000)), 413)


def test_deliveries_are_rate_limited_per_source(
    app_factory: Callable[..., Flask], make_tenant: Callable[[str], Tenant]
) -> None:
    app = app_factory(WEBHOOK_RATE_LIMIT="2 per minute")
    client = app.test_client()
    tenant = make_tenant("Chatty Tools")
    first, second = _create_source(client, tenant, "One"), _create_source(client, tenant, "Two")
    statuses = [_send(client, first, _event(event_id=f"e{n}")).status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert_problem(_send(client, first, _event(event_id="e9")), 429)
    assert _send(client, second, _event(event_id="e1")).status_code == 200


# --- Management API -------------------------------------------------------------------


def test_secret_is_shown_once_and_stored_nowhere(
    client: FlaskClient, db: Session, tenant: Tenant, source: Source
) -> None:
    assert source.secret.startswith("whsec_") and len(source.token) >= 32
    assert source.url.endswith(f"/hooks/{source.token}") and source.url.startswith("http")
    listing = client.get("/api/v1/webhook-sources", headers=tenant.headers())
    one = client.get(f"/api/v1/webhook-sources/{source.id}", headers=tenant.headers())
    for response in (listing, one):
        assert response.status_code == 200
        assert source.secret not in response.get_data(as_text=True)
        assert source.secret.removeprefix("whsec_") not in response.get_data(as_text=True)
    assert "secret" not in one.json and one.json["url"] == source.url
    row = db.execute(select(WebhookSource.__table__)).one()
    assert all(source.secret.removeprefix("whsec_") not in str(value) for value in row)


def test_rotating_the_secret_retires_the_old_one_at_once(
    client: FlaskClient, tenant: Tenant, source: Source
) -> None:
    rotated = client.post(
        f"/api/v1/webhook-sources/{source.id}/rotate-secret", headers=tenant.headers("write")
    )
    assert rotated.status_code == 200
    new_secret = rotated.json["secret"]
    assert new_secret != source.secret and rotated.json["url"] == source.url
    assert_problem(_send(client, source, _event(score=9)), 401)
    assert _send(client, source, _event(score=9), secret=new_secret).status_code == 200


def test_changing_the_app_secret_key_invalidates_webhook_secrets(
    app_factory: Callable[..., Flask], make_tenant: Callable[[str], Tenant]
) -> None:
    tenant = make_tenant("Rotating Keys")
    source = _create_source(app_factory().test_client(), tenant)
    other = app_factory(SECRET_KEY="a-new-app-secret").test_client()
    assert_problem(_send(other, source, _event(score=9)), 401)


def test_managing_sources_needs_a_write_key_and_a_name(
    client: FlaskClient, tenant: Tenant, source: Source
) -> None:
    assert_problem(
        client.post("/api/v1/webhook-sources", json={"name": "x"}, headers=tenant.headers()), 403
    )
    rotate = f"/api/v1/webhook-sources/{source.id}/rotate-secret"
    assert_problem(client.post(rotate, headers=tenant.headers()), 403)
    empty = client.post("/api/v1/webhook-sources", json={}, headers=tenant.headers("write"))
    assert "name" in assert_problem(empty, 422)["errors"]
    same = client.post(
        "/api/v1/webhook-sources", json={"name": "Typeform NPS"}, headers=tenant.headers("write")
    )
    assert_problem(same, 409)


def test_workspaces_never_see_or_touch_each_others_sources(
    client: FlaskClient, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    b_source = _create_source(client, b, "Secret Beta Tool")
    a_source = _create_source(client, a, "Alpha Tool")
    path = f"/api/v1/webhook-sources/{b_source.id}"
    for scope in ("read", "write"):
        assert_problem(client.get(path, headers=a.headers(scope)), 404)
    assert_problem(client.delete(path, headers=a.headers("write")), 404)
    assert_problem(client.post(f"{path}/rotate-secret", headers=a.headers("write")), 404)
    listing = client.get("/api/v1/webhook-sources", headers=a.headers()).json
    assert [s["id"] for s in listing["items"]] == [a_source.id]
    assert "Secret Beta" not in json.dumps(listing)
    # B's source still works with its original secret: A could not rotate or deactivate it.
    accepted = _send(client, b_source, _event(score=9, comment="Beta praise"))
    assert accepted.json["status"] == "accepted"
    # And A's token writes only into A, even for the same response id.
    _send(client, a_source, _event(score=2, comment="Alpha gripe"))
    a_items = client.get("/api/v1/feedback", headers=a.headers()).json["items"]
    b_items = client.get("/api/v1/feedback", headers=b.headers()).json["items"]
    assert [i["text"] for i in a_items] == ["Alpha gripe"]
    assert [i["text"] for i in b_items] == ["Beta praise"]


# --- Concurrency ----------------------------------------------------------------------


def test_parallel_deliveries_for_one_response_make_one_item_and_no_errors(
    empty_database_url: Callable[[str], str], tmp_path: Any
) -> None:
    import threading

    from testimonials import migrate
    from testimonials.accounts import services as accounts
    from testimonials.db import database_for
    from testimonials.harvest.webhooks import services as webhooks
    from tests.conftest import make_app

    url = empty_database_url("webhooks_race")
    migrate.upgrade(url)
    app = make_app(url, tmp_path)
    with database_for(app).sessionmaker() as session:
        workspace = accounts.create_workspace(session, "Racing Co")
        issued = webhooks.create_source(session, workspace.id, "Tool", app.config["SECRET_KEY"])
        session.commit()
        source = Source(issued.id, issued.token, issued.secret, "")
    comments = [None, COMMENT, None, "Second thoughts.", None, None]
    barrier = threading.Barrier(len(comments))
    statuses: list[int] = []

    def deliver(n: int) -> None:
        event = _event(
            "created" if n == 0 else "updated",
            f"evt_{n}",
            T0 + timedelta(minutes=n),
            score=n + 3,
            comment=comments[n],
        )
        client = app.test_client()
        barrier.wait()
        statuses.append(_send(client, source, event).status_code)

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(len(comments))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One source's deliveries apply one at a time: no lock errors, no lost events.
    assert statuses == [200] * len(comments)
    with database_for(app).sessionmaker() as session:
        items = session.scalars(select(FeedbackItem)).all()
        assert len(items) == 1
        assert items[0].text in (COMMENT, "Second thoughts.")
        assert items[0].nps_score == 8  # the newest event's score, whatever the arrival order
        assert _count(session, WebhookDelivery) == len(comments)
    database_for(app).engine.dispose()


def test_a_fresh_process_scores_comments_after_score_only_responses(
    client: FlaskClient, app: Flask, db: Session, tenant: Tenant, source: Source
) -> None:
    from testimonials.harvest.intake import intake_scorer_for

    for n in (1, 2):
        _send(client, source, _event("created", f"c{n}", T0, f"resp_{n}", score=9))
    # Another worker process may answer: nothing of the workspace is held in this one.
    intake_scorer_for(app)
    response = _send(
        client,
        source,
        _event("updated", "u1", T0 + timedelta(minutes=1), "resp_1", comment=COMMENT),
    )
    assert response.status_code == 200
    item = _item(db, "resp_1")
    assert item is not None and item.text == COMMENT and item.specificity is not None


def test_a_pinned_derived_key_lets_the_session_key_rotate_without_breaking_webhooks(
    app_factory: Callable[..., Flask], make_tenant: Callable[[str], Tenant]
) -> None:
    # An existing install first pins the derived-secrets key to its current SECRET_KEY ...
    before = app_factory(SECRET_KEY="the-old-secret")
    tenant = make_tenant("Rotating Keys")
    source = _create_source(before.test_client(), tenant)
    # ... then rotates the session key: webhook secrets and e-mail hashes stay as they were.
    after = app_factory(SECRET_KEY="a-new-app-secret", DERIVED_SECRET_KEY="the-old-secret")
    assert _send(after.test_client(), source, _event(score=9)).status_code == 200
    assert subject_key_for(after) == subject_key_for(before)
