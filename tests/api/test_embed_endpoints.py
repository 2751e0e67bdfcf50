"""The in-page survey's public endpoints: settings, answers, CORS, caching, limits, privacy."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from testimonials.harvest.models import Channel, FeedbackItem
from testimonials.harvest.surveys.models import Survey
from testimonials.harvest.surveys.services import create_survey
from tests.api.test_problems import assert_problem
from tests.conftest import Tenant

SHOP = "https://shop.example"
ELSEWHERE = "https://evil.example"
VISITOR_IP = "203.0.113.77"
VISITOR_UA = "Mozilla/5.0 (X11; Linux x86_64) SurveyTestBrowser/1.0"


def _survey(db: Session, tenant: Tenant, **settings: Any) -> Survey:
    survey = create_survey(
        db,
        tenant.workspace.id,
        {
            "name": "Checkout NPS",
            "company_name": "Acme Clinics",
            "extra_questions": [
                {"key": "plan", "label": "Which plan?", "type": "choice", "choices": ["Pro"]}
            ],
            **settings,
        },
    )
    db.commit()
    return survey


def _answer(
    client: FlaskClient, survey: Survey, body: Any, origin: str | None = SHOP, **kwargs: Any
) -> Any:
    headers = {"User-Agent": VISITOR_UA}
    if origin:
        headers["Origin"] = origin
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        f"/embed/surveys/{survey.public_token}/responses",
        data=data,
        content_type="text/plain;charset=UTF-8",
        headers=headers,
        environ_base={"REMOTE_ADDR": VISITOR_IP},
        **kwargs,
    )


def _items(db: Session, survey: Survey) -> list[FeedbackItem]:
    db.expire_all()
    return list(db.scalars(select(FeedbackItem).where(FeedbackItem.survey_id == survey.id)))


def test_config_has_the_wording_rules_and_cache_headers(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, trigger="scroll", scroll_percent=60, sample_rate=0.25)
    response = client.get(f"/embed/surveys/{survey.public_token}/config")
    assert response.status_code == 200
    config = response.get_json()
    assert config["question"] == (
        "How likely are you to recommend Acme Clinics to a friend or colleague?"
    )
    assert config["comment_prompt"] == "What is the main reason for your score?"
    assert config["consent"] == {
        "text": "Acme Clinics may quote my answer publicly, with the name, role, company and "
        "photo I give here, on its website and in its marketing.",
        "version": "1",
    }
    assert config["extra_questions"] == [
        {"key": "plan", "label": "Which plan?", "type": "choice", "choices": ["Pro"]}
    ]
    assert config["trigger"] == {"type": "scroll", "delay_seconds": 5, "scroll_percent": 60}
    assert config["sample_rate"] == 0.25 and config["cooldown_days"] == 90
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=60" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get(
        f"/embed/surveys/{survey.public_token}/config", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.data == b""


def test_config_cors_follows_the_allowed_origins(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    anywhere = _survey(db, tenant)
    shop_only = _survey(db, tenant, allowed_origins=[SHOP])
    url = "/embed/surveys/{}/config"

    response = client.get(url.format(anywhere.public_token), headers={"Origin": ELSEWHERE})
    assert response.headers["Access-Control-Allow-Origin"] == ELSEWHERE
    assert "Origin" in response.headers["Vary"]

    response = client.get(url.format(shop_only.public_token), headers={"Origin": SHOP + "/"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SHOP + "/"

    refused = client.get(url.format(shop_only.public_token), headers={"Origin": ELSEWHERE})
    assert_problem(refused, 403)
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_unknown_or_closed_survey_is_404(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    closed = _survey(db, tenant, is_active=False)
    assert_problem(client.get("/embed/surveys/no-such-token/config"), 404)
    assert_problem(client.get(f"/embed/surveys/{closed.public_token}/config"), 404)
    assert_problem(_answer(client, closed, {"score": 9}), 404)


def test_answer_is_stored_as_embedded_with_consent_and_hashed_fingerprints(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, allowed_origins=[SHOP])
    response = _answer(
        client,
        survey,
        {
            "score": 10,
            "comment": "Booking took two minutes and the reminder SMS saved my morning.",
            "answers": {"plan": "Pro"},
            "consent": True,
            "consent_version": "1",
            "name": "Dana Reyes",
            "role": "Office manager",
            "company": "Reyes Dental",
        },
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json() == {"status": "thanks"}
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    assert "Set-Cookie" not in response.headers

    (item,) = _items(db, survey)
    assert item.channel == Channel.EMBEDDED_SURVEY.value
    assert item.workspace_id == tenant.workspace.id
    assert item.nps_score == 10 and item.answers == {"plan": "Pro"}
    assert (item.author_name, item.author_role, item.author_company) == (
        "Dana Reyes",
        "Office manager",
        "Reyes Dental",
    )
    assert item.consent_state == "granted"
    assert item.consent_text.startswith("Acme Clinics may quote my answer publicly")
    assert item.consent_version == "1"
    assert len(item.client_fingerprint) == 64 and len(item.device_fingerprint) == 64
    # Neither the address nor the user agent is kept anywhere on the row.
    for column in inspect(FeedbackItem).columns:
        value = getattr(item, column.key)
        assert VISITOR_IP not in str(value) and "SurveyTestBrowser" not in str(value), column.key


def test_same_visitor_gets_the_same_fingerprint_another_does_not(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    assert _answer(client, survey, {"score": 3, "comment": "Slow."}).status_code == 201
    assert _answer(client, survey, {"score": 4, "comment": "Still slow."}).status_code == 201
    other = client.post(
        f"/embed/surveys/{survey.public_token}/responses",
        data=json.dumps({"score": 9}),
        content_type="text/plain",
        environ_base={"REMOTE_ADDR": "198.51.100.9"},
    )
    assert other.status_code == 201
    first, second, third = sorted(_items(db, survey), key=lambda item: item.id)
    assert first.client_fingerprint == second.client_fingerprint != third.client_fingerprint


def test_declined_permission_stores_no_consent_text(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    response = _answer(client, survey, {"score": 2, "comment": "Too pricey"})
    assert response.status_code == 201
    (item,) = _items(db, survey)
    assert item.consent_state == "declined"
    assert item.consent_text is None and item.consent_version is None


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"comment": "no score"}, {"score"}),
        ({"score": 11}, {"score"}),
        ({"score": 9, "consent": True}, {"name"}),
        ({"score": 9, "answers": {"plan": "Enterprise"}}, {"answer_plan"}),
        ({"score": 9, "comment": "x" * 5001}, {"comment"}),
    ],
)
def test_422_names_each_field_and_the_widget_can_read_it(
    client: FlaskClient, db: Session, tenant: Tenant, body: dict, fields: set[str]
) -> None:
    survey = _survey(db, tenant)
    response = _answer(client, survey, body)
    problem = assert_problem(response, 422)
    assert set(problem["errors"]) == fields
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    assert _items(db, survey) == []


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", b"\xff\xfe"])
def test_malformed_body_is_400(client: FlaskClient, db: Session, tenant: Tenant, body) -> None:
    survey = _survey(db, tenant)
    assert_problem(_answer(client, survey, body), 400)


def test_oversized_body_is_413(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    survey = _survey(db, tenant)
    body = json.dumps({"score": 9, "comment": "x" * 70_000})
    response = _answer(client, survey, body)
    assert_problem(response, 413)
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    assert _items(db, survey) == []


def test_answers_from_a_site_not_on_the_list_are_refused(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, allowed_origins=[SHOP])
    refused = _answer(client, survey, {"score": 10}, origin=ELSEWHERE)
    assert_problem(refused, 403)
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert_problem(_answer(client, survey, {"score": 10}, origin=None), 403)
    assert _items(db, survey) == []


def test_changed_consent_wording_is_not_stored_as_agreed(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    stale = {"score": 9, "consent": True, "consent_version": "0", "name": "Dana"}
    assert_problem(_answer(client, survey, stale), 409)
    assert _items(db, survey) == []


def test_no_cookies_are_set_on_any_embed_response(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    responses = [
        client.get("/embed/survey.js"),
        client.get(f"/embed/surveys/{survey.public_token}/config", headers={"Origin": SHOP}),
        _answer(client, survey, {"score": 8}),
        _answer(client, survey, {"score": 80}),
    ]
    for response in responses:
        assert "Set-Cookie" not in response.headers, response.request.path
    assert client.get_cookie("session") is None


def test_preflight_is_answered_for_allowed_sites_only(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, allowed_origins=[SHOP])
    url = f"/embed/surveys/{survey.public_token}/responses"
    headers = {"Origin": SHOP, "Access-Control-Request-Method": "POST"}
    response = client.options(url, headers=headers)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    refused = client.options(url, headers={**headers, "Origin": ELSEWHERE})
    assert_problem(refused, 403)
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_loader_script_is_cacheable_javascript(client: FlaskClient) -> None:
    response = client.get("/embed/survey.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert "max-age=300" in response.headers["Cache-Control"]
    assert "public" in response.headers["Cache-Control"]
    assert b"attachShadow" in response.data
    assert b"innerHTML" not in response.data  # customer text goes in with textContent only
    cached = client.get("/embed/survey.js", headers={"If-None-Match": response.headers["ETag"]})
    assert cached.status_code == 304


def test_answers_are_rate_limited_per_address(
    app_factory: Callable[..., Flask], make_tenant: Callable[[str], Tenant], db: Session
) -> None:
    app = app_factory(EMBED_RATE_LIMIT="3 per hour")
    tenant = make_tenant("Limited Clinics")
    client = app.test_client()
    survey = _survey(db, tenant)
    statuses = [_answer(client, survey, {"score": 9}).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    limited = _answer(client, survey, {"score": 9})
    assert_problem(limited, 429)
    assert limited.headers["Access-Control-Allow-Origin"] == SHOP
    assert "Retry-After" in limited.headers
    # Another visitor is not held back by the first one.
    other = client.post(
        f"/embed/surveys/{survey.public_token}/responses",
        data=json.dumps({"score": 9}),
        content_type="text/plain",
        environ_base={"REMOTE_ADDR": "198.51.100.10"},
    )
    assert other.status_code == 201
    assert len(_items(db, survey)) == 4


def test_an_answer_lands_only_in_its_surveys_workspace(
    client: FlaskClient, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    survey_a = _survey(db, a)
    assert _answer(client, survey_a, {"score": 10, "comment": "Alpha rocks"}).status_code == 201
    b_items = client.get("/api/v1/feedback", headers=b.headers()).get_json()["items"]
    assert all("Alpha rocks" not in item["text"] for item in b_items)
    a_items = client.get("/api/v1/feedback", headers=a.headers()).get_json()["items"]
    assert any(item["text"] == "Alpha rocks" for item in a_items)
