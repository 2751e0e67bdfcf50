"""Webhook intake: refused deliveries, and managing sources and their secrets."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.harvest.personal_data import subject_key_for
from testimonials.harvest.webhooks.models import WebhookSource
from tests.api.test_problems import assert_problem
from tests.api.webhooks.helpers import Source, _create_source, _event, _item, _send
from tests.conftest import Tenant

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
