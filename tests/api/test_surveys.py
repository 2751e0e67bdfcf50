"""Surveys through the API: settings, invitations, answers from elsewhere, consent, follow-ups,
erasure — and workspace isolation for each."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import SurveyInvitation
from testimonials.privacy.models import Erasure
from tests.conftest import Tenant, csrf_token


def _survey(client: FlaskClient, tenant: Tenant, **extra) -> dict:
    response = client.post(
        "/api/v1/surveys",
        json={"name": "Quarterly NPS", "company_name": "Acme", **extra},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 201, response.json
    return response.json


def _answer(client: FlaskClient, url: str, **fields) -> str:
    from tests.conftest import csrf_token

    page = client.get(url)
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), **fields}
    return client.post(url, data=data)


def test_survey_gets_standard_wording_and_consent_versions(
    client: FlaskClient, tenant: Tenant
) -> None:
    survey = _survey(client, tenant)
    assert "{company}" in survey["question"] and survey["consent_version"] == "1"
    assert survey["hosted_url"].endswith(f"/s/{survey['public_token']}")
    changed = client.patch(
        f"/api/v1/surveys/{survey['id']}",
        json={"consent_text": "Acme may publish my words with my first name only."},
        headers=tenant.headers("write"),
    ).json
    assert changed["consent_version"] == "2"
    same = client.patch(
        f"/api/v1/surveys/{survey['id']}", json={"name": "Renamed"}, headers=tenant.headers("write")
    ).json
    assert same["consent_version"] == "2" and same["name"] == "Renamed"


def test_invalid_survey_settings_are_named(client: FlaskClient, tenant: Tenant) -> None:
    response = client.post(
        "/api/v1/surveys",
        json={"name": "x", "sample_rate": 2, "trigger": "hover", "allowed_origins": ["nope"]},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 422
    assert {"sample_rate", "trigger", "allowed_origins"} <= set(response.json["errors"])


def test_invitation_links_are_single_use_and_verified(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    survey = _survey(client, tenant)
    issued = client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={
            "recipients": [
                {"email": "ann@customer.example", "name": "Ann", "external_ref": "c-1"},
                {"email": "bob@customer.example", "external_ref": "c-2"},
            ]
        },
        headers=tenant.headers("write"),
    )
    assert issued.status_code == 201
    links = issued.json
    assert len(links) == 2 and all(link["token"] in link["url"] for link in links)
    stored = db.scalars(select(SurveyInvitation.token_hash)).all()
    assert all(link["token"] not in stored for link in links)
    listing = client.get(f"/api/v1/surveys/{survey['id']}/invitations", headers=tenant.headers())
    assert "token" not in listing.get_data(as_text=True)

    url = links[0]["url"].split("localhost", 1)[1]
    response = _answer(client, url, score="10", comment="Saved us two days a week.")
    assert response.status_code == 200 and "Thank you" in response.get_data(as_text=True)
    item = db.scalar(select(FeedbackItem).where(FeedbackItem.survey_id == survey["id"]))
    assert (
        item.verified
        and item.channel == "hosted_survey"
        and item.author_email == "ann@customer.example"
    )
    again = client.get(url)
    assert "already have your answer" in again.get_data(as_text=True)
    # One answer per token, even when a second answer is posted straight at the link.
    token = csrf_token(client.get(f"/s/{survey['public_token']}").get_data(as_text=True))
    second = client.post(url, data={"csrf_token": token, "score": "0", "comment": "Changed."})
    assert "already have your answer" in second.get_data(as_text=True)
    answers = db.scalars(select(FeedbackItem).where(FeedbackItem.survey_id == survey["id"]))
    assert [(i.nps_score, i.text) for i in answers] == [(10, "Saved us two days a week.")]
    # The other recipient's link still works, and marks that recipient as verified.
    bob = links[1]["url"].split("localhost", 1)[1]
    assert _answer(client, bob, score="7").status_code == 200
    bob_item = db.scalar(
        select(FeedbackItem).where(FeedbackItem.author_email == "bob@customer.example")
    )
    assert bob_item is not None and bob_item.verified and bob_item.nps_score == 7

    repeat = client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"recipients": [{"external_ref": "c-1"}]},
        headers=tenant.headers("write"),
    )
    assert repeat.status_code == 409


def test_api_response_is_scored_and_detractor_gets_a_follow_up(
    client: FlaskClient, tenant: Tenant
) -> None:
    response = client.post(
        "/api/v1/responses",
        json={
            "score": 3,
            "comment": "The iPad app logs us out every morning.",
            "email": "x@y.example",
        },
        headers=tenant.headers("write"),
    )
    assert response.status_code == 201, response.json
    item = response.json
    assert (
        item["channel"] == "api"
        and item["specificity"] is not None
        and item["nps_group"] == "detractor"
    )
    follow_ups = client.get("/api/v1/follow-ups", headers=tenant.headers()).json
    assert [f["item_id"] for f in follow_ups["items"]] == [item["id"]]
    follow_up_id = follow_ups["items"][0]["id"]
    closed = client.patch(
        f"/api/v1/follow-ups/{follow_up_id}",
        json={"status": "closed", "notes": "Called her; fixed.", "owner_id": tenant.editor.id},
        headers=tenant.headers("write"),
    ).json
    assert (
        closed["status"] == "closed"
        and closed["closed_at"]
        and closed["owner_id"] == tenant.editor.id
    )
    assert client.get("/api/v1/follow-ups?status=open", headers=tenant.headers()).json["total"] == 0


def test_follow_up_owner_must_be_a_member(
    client: FlaskClient, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    client.post("/api/v1/responses", json={"score": 0}, headers=a.headers("write"))
    follow_up = client.get("/api/v1/follow-ups", headers=a.headers()).json["items"][0]
    response = client.patch(
        f"/api/v1/follow-ups/{follow_up['id']}",
        json={"owner_id": b.owner.id},
        headers=a.headers("write"),
    )
    assert response.status_code == 422 and "owner_id" in response.json["errors"]


def test_granted_consent_needs_its_wording(client: FlaskClient, tenant: Tenant) -> None:
    response = client.post(
        "/api/v1/responses",
        json={"score": 10, "comment": "Great", "consent": {"granted": True}},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 422 and "consent" in response.json["errors"]
    ok = client.post(
        "/api/v1/responses",
        json={
            "score": 10,
            "comment": "Great",
            "consent": {"granted": True, "text": "You may quote me by name.", "version": "web-3"},
        },
        headers=tenant.headers("write"),
    ).json
    assert ok["consent_state"] == "granted" and ok["consent_version"] == "web-3"
    revoked = client.post(
        f"/api/v1/feedback/{ok['id']}/revoke-consent", headers=tenant.headers("write")
    ).json
    assert revoked["consent_state"] == "revoked"


def test_empty_response_is_refused(client: FlaskClient, tenant: Tenant) -> None:
    response = client.post("/api/v1/responses", json={}, headers=tenant.headers("write"))
    assert response.status_code == 422


def test_erasure_removes_personal_data_everywhere_and_is_recorded(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    survey = _survey(client, tenant)
    client.post(
        f"/api/v1/surveys/{survey['id']}/invitations",
        json={"recipients": [{"email": "Erin@Customer.example", "name": "Erin"}]},
        headers=tenant.headers("write"),
    )
    for comment in ("Erin here, love it", "Second note from Erin"):
        client.post(
            "/api/v1/responses",
            json={
                "score": 9,
                "comment": comment,
                "email": "erin@customer.example",
                "name": "Erin Smith",
            },
            headers=tenant.headers("write"),
        )
    response = client.post(
        "/api/v1/erasures", json={"email": "ERIN@customer.example"}, headers=tenant.headers("write")
    )
    assert response.status_code == 201
    assert response.json["items_erased"] == 2 and response.json["invitations_erased"] == 1
    everything = client.get("/api/v1/feedback?per_page=100", headers=tenant.headers()).get_data(
        as_text=True
    )
    assert "Erin" not in everything and "erin@" not in everything.lower()
    record = db.scalar(select(Erasure))
    assert "erin" not in record.subject_hash


def test_surveys_follow_ups_and_invitations_are_isolated(
    client: FlaskClient, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    b_survey = _survey(client, b)
    client.post("/api/v1/responses", json={"score": 1}, headers=b.headers("write"))
    b_follow_up = client.get("/api/v1/follow-ups", headers=b.headers()).json["items"][0]["id"]
    for path in (
        f"/api/v1/surveys/{b_survey['id']}",
        f"/api/v1/surveys/{b_survey['id']}/invitations",
        f"/api/v1/follow-ups/{b_follow_up}",
    ):
        assert client.get(path, headers=a.headers()).status_code == 404, path
    assert (
        client.patch(
            f"/api/v1/surveys/{b_survey['id']}", json={"name": "x"}, headers=a.headers("write")
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/surveys/{b_survey['id']}/invitations",
            json={"recipients": [{}]},
            headers=a.headers("write"),
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/responses",
            json={"score": 5, "survey_id": b_survey["id"]},
            headers=a.headers("write"),
        ).status_code
        == 404
    )
    assert client.get("/api/v1/surveys", headers=a.headers()).json["total"] == 0
    assert client.get("/api/v1/follow-ups", headers=a.headers()).json["total"] == 0


def test_an_api_answer_sent_again_with_its_external_id_is_stored_once(
    client: FlaskClient, tenant: Tenant
) -> None:
    """A client's retry (same source and external id) gets the stored item back with 200."""
    write = tenant.headers("write")
    body = {"score": 9, "comment": "Support fixed our export in an hour.", "external_id": "crm-7"}
    first = client.post("/api/v1/responses", json=body, headers=write)
    again = client.post("/api/v1/responses", json={**body, "score": 3}, headers=write)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"] and again.json["nps_score"] == 9
    other_source = client.post(
        "/api/v1/responses", json={**body, "source_name": "Other CRM"}, headers=write
    )
    assert other_source.status_code == 201 and other_source.json["id"] != first.json["id"]
    total = client.get("/api/v1/feedback", headers=tenant.headers()).json["total"]
    assert total == 2
