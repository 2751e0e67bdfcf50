"""One commit per request: a successful change is committed once, after its view; an error
rolls everything back; reads commit nothing. (An API key's last use is written apart, at
most once per resolution: each test uses its key once before counting.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from testimonials.curation.models import Tag
from tests.conftest import Tenant, csrf_token, login

API = "/api/v1"


@contextmanager
def commits() -> Iterator[list[Session]]:
    """Every session commit made while the block runs."""
    seen: list[Session] = []

    def count(session: Session) -> None:
        seen.append(session)

    event.listen(Session, "after_commit", count)
    try:
        yield seen
    finally:
        event.remove(Session, "after_commit", count)


def test_a_successful_change_commits_once(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    client.get(f"{API}/tags", headers=tenant.headers("write"))  # the key's use is recorded
    with commits() as seen:
        response = client.post(
            f"{API}/tags", json={"name": "Pricing"}, headers=tenant.headers("write")
        )
    assert response.status_code == 201
    assert len(seen) == 1
    assert db.scalar(select(Tag.name).where(Tag.workspace_id == tenant.workspace.id)) == "Pricing"


def test_a_refused_change_stores_nothing(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    client.post(f"{API}/tags", json={"name": "Pricing"}, headers=tenant.headers("write"))
    with commits() as seen:
        again = client.post(
            f"{API}/tags", json={"name": "Pricing"}, headers=tenant.headers("write")
        )
    assert again.status_code == 409
    assert seen == []
    names = db.scalars(select(Tag.name).where(Tag.workspace_id == tenant.workspace.id)).all()
    assert names == ["Pricing"]


def test_reads_commit_nothing(client: FlaskClient, tenant: Tenant) -> None:
    client.get(f"{API}/tags", headers=tenant.headers())  # the key's use is recorded
    login(client, tenant.viewer.email)
    with commits() as seen:
        assert client.get("/inbox").status_code == 200
        assert client.get("/feedback").status_code == 200
        assert client.get(f"{API}/testimonials", headers=tenant.headers()).status_code == 200
    assert seen == []


def test_a_dashboard_form_commits_once(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    login(client, tenant.editor.email)
    page = client.get("/tags").get_data(as_text=True)
    with commits() as seen:
        response = client.post("/tags", data={"name": "Onboarding", "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert len(seen) == 1
    assert (
        db.scalar(select(Tag.name).where(Tag.workspace_id == tenant.workspace.id)) == "Onboarding"
    )
