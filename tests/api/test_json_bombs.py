"""JSON bombs get a 4xx problem on every JSON entry point, never a 500, and store nothing.

The probe that found them: a 2,000-deep array (about 8 KB) crashed the decoder with a
RecursionError on the API, the in-page survey, signed webhooks and JSON imports.
"""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.webhooks.signatures import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature_for,
)
from testimonials.json_limits import MAX_DEPTH, MAX_KEYS
from tests.api.test_embed_endpoints import SHOP
from tests.api.test_embed_endpoints import _answer as embed_answer
from tests.api.test_embed_endpoints import _survey as embed_survey
from tests.api.test_imports import upload
from tests.api.test_problems import assert_problem
from tests.api.typeform_webhooks import helpers as typeform
from tests.api.webhooks.helpers import _create_source, _send
from tests.conftest import Tenant, csrf_token, login

DEEP_ARRAY = "[" * 2000 + "]" * 2000
BOMBS = {
    "deep-array": DEEP_ARRAY,
    "deep-inside-a-field": '{"score": 9, "comment": ' + DEEP_ARRAY + "}",
    "unbalanced": "[" * 100_000,
    "huge-number": '{"score": 1' + "0" * 5000 + "}",
    "overflowing-number": '{"score": 1e999}',
    "many-keys": json.dumps({f"k{i}": 1 for i in range(MAX_KEYS + 1)}),
}
bomb_cases = pytest.mark.parametrize("bomb", list(BOMBS.values()), ids=list(BOMBS))


def _stored(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(FeedbackItem)) or 0


def assert_refused(response: Any) -> dict:
    """A 400/413/422 problem whose detail says which limit the body broke."""
    assert response.status_code in (400, 413, 422), response.get_data(as_text=True)[:300]
    body = assert_problem(response, response.status_code)
    assert any(word in body["detail"] for word in ("levels", "number", "keys")), body
    return body


@bomb_cases
def test_api_answers(client: FlaskClient, db: Session, tenant: Tenant, bomb: str) -> None:
    response = client.post(
        "/api/v1/responses",
        data=bomb,
        content_type="application/json",
        headers=tenant.headers("write"),
    )
    assert_refused(response)
    assert _stored(db) == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/v1/tags"), ("POST", "/api/v1/api-keys"), ("PATCH", "/api/v1/testimonials/1")],
)
def test_every_api_body_is_guarded(
    client: FlaskClient, tenant: Tenant, method: str, path: str
) -> None:
    response = client.open(
        path,
        method=method,
        data=DEEP_ARRAY,
        content_type="application/json",
        headers=tenant.headers("write"),
    )
    body = assert_refused(response)
    assert body["status"] == 422 and f"{MAX_DEPTH} levels" in body["detail"]


def test_json_media_types_with_suffixes_are_guarded(client: FlaskClient, tenant: Tenant) -> None:
    response = client.post(
        "/api/v1/tags",
        data=DEEP_ARRAY,
        content_type="application/merge-patch+json",
        headers=tenant.headers("write"),
    )
    assert_refused(response)


def test_depth_at_the_limit_is_an_ordinary_validation_error(
    client: FlaskClient, tenant: Tenant
) -> None:
    deep_but_allowed = '{"name": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    response = client.post(
        "/api/v1/tags",
        data=deep_but_allowed,
        content_type="application/json",
        headers=tenant.headers("write"),
    )
    assert "name" in assert_problem(response, 422)["errors"]


@bomb_cases
def test_in_page_survey_answers(
    client: FlaskClient, db: Session, tenant: Tenant, bomb: str
) -> None:
    survey = embed_survey(db, tenant, allowed_origins=[SHOP])
    assert_refused(embed_answer(client, survey, bomb))
    assert _stored(db) == 0


@bomb_cases
def test_signed_webhooks(client: FlaskClient, db: Session, tenant: Tenant, bomb: str) -> None:
    source = _create_source(client, tenant)
    assert_refused(_send(client, source, body=bomb.encode()))
    assert _stored(db) == 0


def test_signed_webhooks_sent_without_a_json_media_type(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    source = _create_source(client, tenant)
    response = _send(client, source, body=DEEP_ARRAY.encode())
    assert_refused(response)
    # A sender that labels its body as bytes still reaches the same guard in the receiver.
    sent_at = str(int(time.time()))
    headers = {
        TIMESTAMP_HEADER: sent_at,
        SIGNATURE_HEADER: signature_for(source.secret, sent_at, DEEP_ARRAY.encode()),
        "Content-Type": "application/octet-stream",
    }
    assert_refused(_send(client, source, body=DEEP_ARRAY.encode(), headers=headers))
    assert _stored(db) == 0


@bomb_cases
def test_typeform_webhooks(client: FlaskClient, db: Session, tenant: Tenant, bomb: str) -> None:
    source = typeform._create(client, tenant)
    assert_refused(typeform._send(client, source, body=bomb.encode()))
    assert _stored(db) == 0


@bomb_cases
def test_json_imports_are_refused_whole(client: FlaskClient, tenant: Tenant, bomb: str) -> None:
    document = bomb if bomb.startswith("[") else f"[{bomb}]"
    response = upload(client, tenant, document.encode(), "reviews.json")
    assert_refused(response)
    assert client.get("/api/v1/imports", headers=tenant.headers()).json["total"] == 0


def test_json_lines_imports_report_the_bomb_row_and_keep_the_rest(
    client: FlaskClient, tenant: Tenant
) -> None:
    lines = [
        json.dumps({"id": "r1", "text": "Booking took two taps", "rating": 5}),
        '{"id": "r2", "text": ' + DEEP_ARRAY + "}",
        json.dumps({"id": "r3", "text": "Reminders saved my Monday", "rating": 5}),
        '{"id": "r4", "text": "x", "rating": 1e999}',
    ]
    run = upload(client, tenant, "\n".join(lines).encode(), "reviews.jsonl").json
    assert run["file_format"] == "jsonl" and run["rows_added"] == 2
    errors = {error["row"]: error for error in run["errors"]}
    assert set(errors) == {2, 4}
    assert f"{MAX_DEPTH} levels" in json.dumps(errors[2])
    assert "number" in json.dumps(errors[4])


def test_a_json_lines_file_opening_with_a_bomb_is_still_read(
    client: FlaskClient, tenant: Tenant
) -> None:
    first = '{"text": ' + DEEP_ARRAY + "}"
    body = first + "\n" + json.dumps({"id": "r1", "text": "Quick and kind", "rating": 5})
    response = upload(client, tenant, body.encode(), "reviews.txt.jsonl")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.json["rows_added"] == 1


def test_import_mapping_field_is_guarded(client: FlaskClient, tenant: Tenant) -> None:
    response = upload(client, tenant, b"Opinion\nGood\n", mapping=DEEP_ARRAY)
    assert "mapping" in assert_problem(response, 422)["errors"]


def test_dashboard_import_of_a_bomb_explains_itself(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.editor.email)
    token = csrf_token(client.get("/imports").get_data(as_text=True))
    response = client.post(
        "/imports",
        data={
            "csrf_token": token,
            "source_name": "Trustpilot",
            "file": (io.BytesIO(DEEP_ARRAY.encode()), "reviews.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code in (400, 422) and response.mimetype == "text/html"
    assert f"{MAX_DEPTH} levels" in response.get_data(as_text=True)
