"""Every API error is RFC 9457 problem+json: never an HTML page, never a bare 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Tenant

PROBLEM_MEMBERS = {"type", "title", "status", "detail"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) >= PROBLEM_MEMBERS and body["status"] == status
    assert body["detail"]
    return body


def test_400_malformed_json(client: FlaskClient, tenant: Tenant) -> None:
    response = client.post(
        "/api/v1/api-keys",
        data="{not json",
        content_type="application/json",
        headers=tenant.headers("write"),
    )
    assert_problem(response, 400)


def test_401_and_403(client: FlaskClient, tenant: Tenant) -> None:
    assert_problem(client.get("/api/v1/feedback"), 401)
    assert_problem(
        client.post("/api/v1/api-keys", json={"name": "x"}, headers=tenant.headers()), 403
    )


def test_404_unknown_route_and_unknown_object(client: FlaskClient, tenant: Tenant) -> None:
    assert_problem(client.get("/api/v1/no-such-thing"), 404)
    assert_problem(client.get("/api/v1/feedback/999999", headers=tenant.headers()), 404)
    assert_problem(client.get("/hooks/unknown-source"), 404)


def test_405_lists_allowed_methods(client: FlaskClient, tenant: Tenant) -> None:
    response = client.put("/api/v1/workspace", json={}, headers=tenant.headers("write"))
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_413_body_over_the_configured_limit(
    app_factory: Callable[..., Flask], make_tenant: Callable[[str], Tenant]
) -> None:
    app = app_factory(MAX_CONTENT_LENGTH=1024)
    tenant = make_tenant("Big Bodies")
    response = app.test_client().post(
        "/api/v1/api-keys", json={"name": "x" * 5000}, headers=tenant.headers("write")
    )
    body = assert_problem(response, 413)
    assert "larger than the upload limit of 1 KB" in body["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "ok", "colour": "blue"}, "colour"),  # unknown field
        ({"name": 42}, "name"),  # wrong type
        ({}, "name"),  # missing
        ({"name": "ok", "scope": "admin"}, "scope"),  # not an allowed value
        ({"name": ""}, "name"),  # empty
    ],
)
def test_422_names_the_fields(client: FlaskClient, tenant: Tenant, body: dict, field: str) -> None:
    response = client.post("/api/v1/api-keys", json=body, headers=tenant.headers("write"))
    problem = assert_problem(response, 422)
    assert field in problem["errors"], problem


def test_422_for_bad_query_arguments(client: FlaskClient, tenant: Tenant) -> None:
    for query in ("page=0", "per_page=1000", "page=abc", "group=fans"):
        problem = assert_problem(
            client.get(f"/api/v1/feedback?{query}", headers=tenant.headers()), 422
        )
        assert problem["errors"]


def test_non_object_json_body_is_a_clear_error(client: FlaskClient, tenant: Tenant) -> None:
    for payload in ("[1, 2]", '"text"', "null"):
        response = client.post(
            "/api/v1/api-keys",
            data=payload,
            content_type="application/json",
            headers=tenant.headers("write"),
        )
        assert response.status_code in (400, 422)
        assert response.mimetype == "application/problem+json"


def test_500_is_a_problem_without_internals(
    app_factory: Callable[..., Flask], make_tenant: Callable[[str], Tenant]
) -> None:
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.get("/api/v1/_crash")
    def crash() -> str:
        raise RuntimeError("database password is hunter2")

    problem = assert_problem(app.test_client().get("/api/v1/_crash"), 500)
    assert "hunter2" not in str(problem)


def test_html_pages_get_html_errors_not_json(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
