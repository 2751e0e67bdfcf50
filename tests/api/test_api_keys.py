"""API keys: bearer auth, read/write scopes, shown once, stored hashed, revocable."""

from __future__ import annotations

import time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testimonials.accounts import api_auth
from testimonials.accounts.models import ApiKey
from testimonials.db import utcnow
from tests.conftest import Tenant


def test_missing_or_malformed_authorization_gets_401_problem(client: FlaskClient) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}):
        response = client.get("/api/v1/workspace", headers=headers)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_and_forged_keys_get_401(client: FlaskClient, tenant: Tenant) -> None:
    forged = tenant.read_token[:-4] + "AAAA"
    for token in ("tsk_nothing_here", forged, "not-even-close"):
        response = client.get("/api/v1/workspace", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401


def test_read_key_reads_but_cannot_write(client: FlaskClient, tenant: Tenant) -> None:
    assert (
        client.get("/api/v1/workspace", headers=tenant.headers("read")).json["slug"]
        == tenant.workspace.slug
    )
    response = client.post("/api/v1/api-keys", json={"name": "x"}, headers=tenant.headers("read"))
    assert response.status_code == 403
    assert response.json["detail"].startswith("This API key is read-only")
    assert (
        client.delete(
            f"/api/v1/api-keys/{tenant.write_key_id}", headers=tenant.headers("read")
        ).status_code
        == 403
    )


def test_write_key_creates_a_key_whose_secret_is_shown_once_and_stored_hashed(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    response = client.post(
        "/api/v1/api-keys",
        json={"name": "Zapier", "scope": "read"},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 201
    token = response.json["token"]
    assert token.startswith(response.json["prefix"])
    stored = db.scalar(select(ApiKey).where(ApiKey.id == response.json["id"]))
    assert token not in (stored.secret_hash, stored.prefix)
    listing = client.get("/api/v1/api-keys", headers=tenant.headers()).get_data(as_text=True)
    assert token not in listing
    one = client.get(f"/api/v1/api-keys/{stored.id}", headers=tenant.headers()).json
    assert "token" not in one and one["scope"] == "read"
    assert (
        client.get("/api/v1/workspace", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )


def test_revoked_key_stops_working_at_once(client: FlaskClient, tenant: Tenant) -> None:
    response = client.delete(
        f"/api/v1/api-keys/{tenant.read_key_id}", headers=tenant.headers("write")
    )
    assert response.status_code == 204
    assert client.get("/api/v1/workspace", headers=tenant.headers("read")).status_code == 401
    key = client.get(f"/api/v1/api-keys/{tenant.read_key_id}", headers=tenant.headers("write")).json
    assert key["is_active"] is False and key["revoked_at"].endswith("+00:00")


def test_last_used_is_recorded(client: FlaskClient, tenant: Tenant) -> None:
    client.get("/api/v1/workspace", headers=tenant.headers("read"))
    key = client.get(f"/api/v1/api-keys/{tenant.read_key_id}", headers=tenant.headers()).json
    assert key["last_used_at"] is not None


def test_a_key_revoked_elsewhere_stops_within_the_remembered_time(
    client: FlaskClient, db: Session, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's revocation (here: straight in the database) is honoured once this
    process's memory of the key runs out, RECENT_API_KEY_SECONDS at most."""
    assert client.get("/api/v1/workspace", headers=tenant.headers("read")).status_code == 200
    db.execute(update(ApiKey).where(ApiKey.id == tenant.read_key_id).values(revoked_at=utcnow()))
    db.commit()
    assert client.get("/api/v1/workspace", headers=tenant.headers("read")).status_code == 200

    later = time.monotonic() + api_auth.RECENT_API_KEY_SECONDS + 0.1
    monkeypatch.setattr(api_auth.time, "monotonic", lambda: later)
    assert client.get("/api/v1/workspace", headers=tenant.headers("read")).status_code == 401
