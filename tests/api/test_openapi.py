"""The OpenAPI document is valid, generated from the schemas, and browsable."""

from __future__ import annotations

from flask.testing import FlaskClient
from openapi_spec_validator import validate


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


def test_docs_page_points_at_the_document(client: FlaskClient) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "openapi.json" in response.get_data(as_text=True)
