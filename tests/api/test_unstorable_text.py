"""Text no database can store (NUL, unpaired surrogates) is a 422 on every channel, not a 500.

PostgreSQL refuses NUL in text columns and no database can encode a lone surrogate as
UTF-8; both can arrive as JSON escapes, and NUL also as %00 in a form or query string.
"""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from tests.api.test_embed_endpoints import SHOP
from tests.api.test_embed_endpoints import _answer as embed_answer
from tests.api.test_embed_endpoints import _survey as embed_survey
from tests.api.test_problems import assert_problem
from tests.api.webhooks.helpers import _create_source, _event, _send
from tests.conftest import Tenant, csrf_token, login

NUL = "\u0000"
LONE_SURROGATE = "\ud83d"


def _stored(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(FeedbackItem)) or 0


@pytest.mark.parametrize("bad", [NUL, LONE_SURROGATE], ids=["nul", "lone-surrogate"])
def test_api_answer_names_the_field_and_stores_nothing(
    client: FlaskClient, db: Session, tenant: Tenant, bad: str
) -> None:
    response = client.post(
        "/api/v1/responses",
        data=json.dumps({"score": 9, "comment": f"fine{bad}text", "name": "Ann"}),
        content_type="application/json",
        headers=tenant.headers("write"),
    )
    body = assert_problem(response, 422)
    assert list(body["errors"]) == ["comment"]
    assert _stored(db) == 0


def test_nested_fields_are_named_by_their_path(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    source = _create_source(client, tenant)
    event = _event(comment="ok", answers={"plan": f"Pro{NUL}"})
    body = assert_problem(_send(client, source, event), 422)
    assert list(body["errors"]) == ["response.answers.plan"]
    assert _stored(db) == 0
    # The same delivery without the bad character is accepted afterwards.
    assert _send(client, source, _event(comment="ok")).status_code == 200


def test_embedded_survey_answer(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    survey = embed_survey(db, tenant, allowed_origins=[SHOP])
    response = embed_answer(client, survey, {"score": 10, "comment": f"a{NUL}b"})
    assert list(assert_problem(response, 422)["errors"]) == ["comment"]
    assert _stored(db) == 0


def test_query_string_search(client: FlaskClient, tenant: Tenant) -> None:
    response = client.get("/api/v1/testimonials?q=a%00b", headers=tenant.headers())
    assert list(assert_problem(response, 422)["errors"]) == ["q"]


def test_dashboard_form_gets_a_readable_page(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.owner.email)
    page = client.get("/inbox?q=a%00b")
    assert page.status_code == 422 and page.mimetype == "text/html"
    assert "cannot be stored" in page.get_data(as_text=True)
    token = csrf_token(client.get("/tags").get_data(as_text=True))
    response = client.post("/tags", data={"csrf_token": token, "name": f"x{NUL}"})
    assert response.status_code == 422 and "cannot be stored" in response.get_data(as_text=True)
