"""Typeform sources: created, listed, rotated, isolated, and kept apart from our own format."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.api.test_problems import assert_problem
from tests.api.typeform_webhooks.helpers import (
    COMMENT,
    NPS,
    WHY,
    Source,
    _answer,
    _create,
    _send,
    _typeform_event,
)
from tests.conftest import Tenant

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
