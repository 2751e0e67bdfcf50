"""The OpenAPI document is valid, generated from the schemas, and browsable."""

from __future__ import annotations

from flask.testing import FlaskClient
from openapi_spec_validator import validate

from tests.conftest import Tenant


def test_openapi_document_is_valid_and_describes_the_api(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/feedback", "/api/v1/api-keys", "/api/v1/workspace"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "ApiKeyCreate" in spec["components"]["schemas"]
    assert "FeedbackItemPage" in spec["components"]["schemas"]


def test_docs_page_points_at_the_document_and_loads_nothing_from_elsewhere(
    client: FlaskClient,
) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    assert "http://" not in html and "https://" not in html  # no CDN
    assert "<script>" not in html  # every script is a file (the CSP allows no inline ones)
    assert client.get("/api/v1/docs/").status_code == 200  # as people type it


def _operations(spec: dict) -> list[tuple[str, str, dict]]:
    methods = {"get", "put", "post", "patch", "delete"}
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in methods
    ]


def _resolve(spec: dict, response: dict) -> dict:
    if "$ref" in response:
        return spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_every_error_answer_is_documented_as_a_problem(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem["properties"])
    checked = 0
    for method, path, operation in _operations(spec):
        responses = operation["responses"]
        # Every bearer-authenticated operation can answer 401; writes 403; ids 404.
        assert "401" in responses, (method, path)
        if method != "get":
            assert "403" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        for status, response in responses.items():
            if status == "default" or status[0] in "45":
                content = _resolve(spec, response)["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
                schema = content["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path)
                checked += 1
    assert checked > 100


def test_business_rule_conflicts_and_refusals_are_documented(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    conflicts = [
        ("post", "/api/v1/tags"),
        ("post", "/api/v1/webhook-sources"),
        ("post", "/api/v1/webhook-sources/{source_id}/rotate-secret"),
        ("post", "/api/v1/surveys/{survey_id}/invitations"),
        ("post", "/api/v1/testimonials/{testimonial_id}/approve"),
    ]
    for method, path in conflicts:
        assert "409" in paths[path][method]["responses"], path
    refused = _resolve(spec, paths["/api/v1/responses"]["post"]["responses"]["422"])
    assert "business rule" in refused["description"]


def test_a_documented_problem_is_what_the_api_answers(client: FlaskClient, tenant: Tenant) -> None:
    spec = client.get("/api/v1/openapi.json").json
    documented = set(spec["components"]["schemas"]["Problem"]["properties"])
    client.post("/api/v1/tags", json={"name": "Pricing"}, headers=tenant.headers("write"))
    again = client.post("/api/v1/tags", json={"name": "Pricing"}, headers=tenant.headers("write"))
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert set(again.json) <= documented
