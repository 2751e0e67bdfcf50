"""Numbers no database key can hold are refused as input, never sent to the database.

A 20-digit id overflows SQLite's and PostgreSQL's integers (a crash); found by running
schemathesis against the OpenAPI document. Ids in URLs name nothing (404); in queries and
bodies they are validation errors (422) naming the field.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from testimonials.schemas import MAX_ID
from tests.api.test_problems import assert_problem
from tests.conftest import Tenant, login

HUGE = 10**20


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/members/{HUGE}",
        f"/api/v1/tags/{HUGE}",
        f"/api/v1/imports/{MAX_ID + 1}",
        f"/api/v1/testimonials/{HUGE}",
        f"/api/v1/feedback/{HUGE}",
    ],
)
def test_a_huge_id_in_the_url_is_not_found(client: FlaskClient, tenant: Tenant, path: str) -> None:
    assert_problem(client.get(path, headers=tenant.headers()), 404)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/v1/tags?page={HUGE}", "page"),
        (f"/api/v1/imports?page={HUGE}", "page"),
        (f"/api/v1/testimonials?tag_id={HUGE}", "tag_id"),
        (f"/api/v1/reports/nps?survey_id={HUGE}", "survey_id"),
        (f"/api/v1/audit?testimonial_id={HUGE}", "testimonial_id"),
    ],
)
def test_a_huge_number_in_a_query_names_the_field(
    client: FlaskClient, tenant: Tenant, path: str, field: str
) -> None:
    body = assert_problem(client.get(path, headers=tenant.headers()), 422)
    assert field in body["errors"]


def test_a_huge_id_in_a_body_names_the_field(client: FlaskClient, tenant: Tenant) -> None:
    write = tenant.headers("write")
    bulk = client.post(
        "/api/v1/testimonials/bulk", json={"action": "approve", "ids": [1, HUGE]}, headers=write
    )
    assert "ids" in assert_problem(bulk, 422)["errors"]
    answer = client.post("/api/v1/responses", json={"score": 9, "survey_id": HUGE}, headers=write)
    assert "survey_id" in assert_problem(answer, 422)["errors"]


def test_the_largest_id_is_still_a_plain_not_found(client: FlaskClient, tenant: Tenant) -> None:
    assert_problem(client.get(f"/api/v1/tags/{MAX_ID}", headers=tenant.headers()), 404)


def test_a_huge_id_on_a_dashboard_page_is_a_readable_404(
    client: FlaskClient, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    page = client.get(f"/inbox/{HUGE}")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_a_huge_page_number_on_a_dashboard_page_is_an_empty_page(
    client: FlaskClient, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    for path in ("/inbox", "/feedback", "/audit", "/imports", "/settings/privacy"):
        assert client.get(f"{path}?page={HUGE}").status_code == 200, path
