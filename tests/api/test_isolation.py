"""Workspaces never see each other's data: B's objects are 404 for A's keys, lists exclude them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest import services as harvest
from testimonials.harvest.imports.models import ImportRun
from testimonials.harvest.models import Channel
from testimonials.harvest.webhooks import services as webhooks
from tests.conftest import Tenant


def _feedback_of(db: Session, tenant: Tenant) -> int:
    item = harvest.record_feedback(
        db,
        tenant.workspace.id,
        harvest.NewFeedback(text="Secret praise from B", channel=Channel.API, source_name="x"),
    )
    db.commit()
    return item.id


def _webhook_source_of(db: Session, tenant: Tenant) -> int:
    source = webhooks.create_source(db, tenant.workspace.id, "Secret tool", "secret-key")
    db.commit()
    return source.id


def _import_of(db: Session, tenant: Tenant) -> int:
    run = ImportRun(
        workspace_id=tenant.workspace.id,
        filename="secret.csv",
        file_format="csv",
        source_name="Secret reviews",
    )
    db.add(run)
    db.commit()
    return run.id


def _member_of(db: Session, tenant: Tenant) -> int:
    return tenant.owner.memberships[0].id


# Every kind of object the API exposes: (collection path, how to make one in a workspace).
# Later features add their kinds here so isolation is proven for each of them.
OBJECT_KINDS: dict[str, tuple[str, Callable[[Session, Tenant], int]]] = {
    "feedback": ("/api/v1/feedback", _feedback_of),
    "api-keys": ("/api/v1/api-keys", lambda db, t: t.read_key_id),
    "members": ("/api/v1/members", _member_of),
    "webhook-sources": ("/api/v1/webhook-sources", _webhook_source_of),
    "imports": ("/api/v1/imports", _import_of),
}


@pytest.mark.parametrize("kind", sorted(OBJECT_KINDS))
def test_key_from_workspace_a_gets_404_for_every_object_of_workspace_b(
    kind: str, client: FlaskClient, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    collection, make = OBJECT_KINDS[kind]
    b_id = make(db, b)

    for scope in ("read", "write"):
        response = client.get(f"{collection}/{b_id}", headers=a.headers(scope))
        assert response.status_code == 404, (kind, scope)
        assert response.mimetype == "application/problem+json"
        assert "Secret" not in response.get_data(as_text=True)
        response = client.delete(f"{collection}/{b_id}", headers=a.headers("write"))
        assert response.status_code in (404, 405), kind

    listing = client.get(collection, headers=a.headers()).json
    assert b_id not in {item["id"] for item in listing["items"]}
    # And B itself does see it.
    assert client.get(f"{collection}/{b_id}", headers=b.headers()).status_code == 200


def test_workspace_endpoint_only_ever_shows_the_keys_own_workspace(
    client: FlaskClient, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    assert client.get("/api/v1/workspace", headers=a.headers()).json["slug"] == a.workspace.slug
    assert client.get("/api/v1/workspace", headers=b.headers()).json["slug"] == b.workspace.slug
