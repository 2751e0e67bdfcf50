"""Harvest announces what happened through domain signals; curation's inbox follows them.

These tests subscribe the way a higher layer (widgets, tracking) will, and drive harvest
the way users do (API requests), so a send that goes missing fails here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from blinker import Signal
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.curation.models import Testimonial as Curated
from testimonials.harvest.models import FeedbackItem
from tests.conftest import Tenant

API = "/api/v1"
COMMENT = "Booking took 2 minutes instead of 20; Dana at the front desk was great."


@contextmanager
def heard(signal: Signal) -> Iterator[list[tuple[Any, dict[str, Any]]]]:
    """Every (sender, keywords) the signal sends while the block runs."""
    calls: list[tuple[Any, dict[str, Any]]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append((sender, kwargs))

    with signal.connected_to(receiver):
        yield calls


def _respond(client: FlaskClient, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"score": 9, "comment": COMMENT, "email": "dana@example.com", **fields}
    response = client.post(f"{API}/responses", json=body, headers=tenant.headers("write"))
    assert response.status_code == 201, response.json
    return response.json


def test_recorded_feedback_is_announced_with_its_workspace_session_and_items(
    client: FlaskClient, tenant: Tenant
) -> None:
    with heard(signals.feedback_recorded) as calls:
        item = _respond(client, tenant)
    assert len(calls) == 1
    sender, keywords = calls[0]
    assert sender == tenant.workspace.id
    assert isinstance(keywords["session"], Session)
    assert [i.id for i in keywords["items"]] == [item["id"]]


def test_the_inbox_opens_an_entry_because_curation_subscribes(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    item = _respond(client, tenant)
    entry = db.scalar(select(Curated).where(Curated.item_id == item["id"]))
    assert entry is not None and entry.status == "pending"
    assert entry.workspace_id == tenant.workspace.id


def test_imported_backlogs_are_announced_and_reach_the_inbox(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    body = "Review,Stars\r\nThe nurse explained every step,5\r\nសេវាកម្មល្អណាស់,4\r\n".encode()
    with heard(signals.feedback_imported) as calls:
        response = client.post(
            f"{API}/imports",
            data={"file": (io.BytesIO(body), "reviews.csv"), "source_name": "Trustpilot"},
            content_type="multipart/form-data",
            headers=tenant.headers("write"),
        )
    assert response.status_code == 201, response.json
    assert [sender for sender, _ in calls] == [tenant.workspace.id]
    rows = calls[0][1]["rows"]
    assert len(rows) == 2
    assert sorted(values["text"] for _id, values in rows) == [
        "The nurse explained every step",
        "សេវាកម្មល្អណាស់",
    ]
    in_inbox = db.scalars(
        select(Curated.item_id).where(Curated.workspace_id == tenant.workspace.id)
    ).all()
    assert sorted(in_inbox) == sorted(item_id for item_id, _values in rows)


def test_revoked_consent_is_announced(client: FlaskClient, tenant: Tenant) -> None:
    consent = {"granted": True, "text": "You may quote me by name.", "version": "web-3"}
    item = _respond(client, tenant, consent=consent)
    with heard(signals.consent_revoked) as calls:
        response = client.post(
            f"{API}/feedback/{item['id']}/revoke-consent", headers=tenant.headers("write")
        )
    assert response.status_code == 200
    assert [(sender, keywords["item_ids"]) for sender, keywords in calls] == [
        (tenant.workspace.id, [item["id"]])
    ]


def test_erasure_is_announced_and_curation_blanks_its_copies(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    item = _respond(client, tenant)
    testimonial_id = db.scalar(select(Curated.id).where(Curated.item_id == item["id"]))
    client.patch(
        f"{API}/testimonials/{testimonial_id}",
        json={"excerpt": "Booking took 2 minutes", "display_name": "Dana R."},
        headers=tenant.headers("write"),
    )
    with heard(signals.feedback_erased) as calls:
        response = client.post(
            f"{API}/erasures", json={"email": "dana@example.com"}, headers=tenant.headers("write")
        )
    assert response.status_code == 201, response.json
    assert [(s, k["item_ids"]) for s, k in calls] == [(tenant.workspace.id, [item["id"]])]
    db.expire_all()
    entry = db.get(Curated, testimonial_id)
    assert entry is not None
    assert (entry.excerpt, entry.display_name, entry.status) == (None, None, "rejected")


def test_a_failed_request_announces_nothing_that_sticks(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    response = client.post(
        f"{API}/responses", json={"score": 11, "comment": COMMENT}, headers=tenant.headers("write")
    )
    assert response.status_code == 422
    assert db.scalar(select(FeedbackItem.id)) is None
