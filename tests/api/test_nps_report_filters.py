"""GET /api/v1/reports/nps: filters, segments, refused arguments, keys and the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.models import Channel
from tests.api.nps_helpers import JAN, URL, make_survey, report, seed
from tests.api.test_problems import assert_problem
from tests.conftest import Tenant


def test_filters_by_dates_survey_channel_and_country(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    onboarding = make_survey(db, tenant, "Onboarding")
    seed(db, tenant, [10, 10], survey_id=onboarding, country="gb", channel=Channel.HOSTED_SURVEY)
    seed(db, tenant, [0], channel=Channel.IMPORT, country="DE", received_at=JAN + timedelta(31))

    def n(query: str) -> int:
        return report(client, tenant, query)["overall"]["n"]

    assert n("") == 3
    assert n(f"survey_id={onboarding}") == 2
    assert n("channel=import") == 1 and n("channel=hosted_survey") == 2
    assert n("country=gb") == 2 and n("country=FR") == 0
    assert n("from=2026-02-01") == 1 and n("to=2026-01-05") == 2  # `to` takes the whole day
    assert n("from=2026-01-06&to=2026-02-04") == 0
    assert n("from=&to=&survey_id=&channel=&country=&granularity=") == 3  # an empty GET form
    body = report(client, tenant, "channel=import&country=de")
    assert body["filters"]["channel"] == "import" and body["filters"]["country"] == "DE"


def test_segments_by_survey_channel_and_country(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    pricing = make_survey(db, tenant, "Pricing page")
    seed(db, tenant, [10, 9, 9], survey_id=pricing, country="FR", channel=Channel.EMBEDDED_SURVEY)
    seed(db, tenant, [2], channel=Channel.IMPORT)
    segments = report(client, tenant)["segments"]
    surveys = {
        s["label"]: (s["key"], s["summary"]["n"], s["summary"]["nps"]) for s in segments["survey"]
    }
    assert surveys == {
        "Pricing page": (pricing, 3, 100.0),
        "No survey (API, imports, webhooks)": (None, 1, -100.0),
    }
    channels = {s["key"]: s["summary"]["n"] for s in segments["channel"]}
    assert channels == {"embedded_survey": 3, "import": 1}
    countries = [(s["key"], s["label"]) for s in segments["country"]]
    assert countries == [("FR", "FR"), (None, "Unknown")]  # biggest first
    assert all(s["summary"]["too_small"] for s in segments["survey"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("granularity=day", "granularity"),
        ("from=yesterday", "from"),
        ("from=2026-02-01&to=2026-01-01", "from"),
        ("country=GBR", "country"),
        ("survey_id=abc", "survey_id"),
        ("channel=fax", "channel"),
        ("tag_id=pricing", "tag_id"),
        ("tag_id=0", "tag_id"),
        ("granulatiry=week", "granulatiry"),
    ],
)
def test_invalid_arguments_are_422_problems_naming_the_field(
    client: FlaskClient, tenant: Tenant, query: str, field: str
) -> None:
    body = assert_problem(client.get(f"{URL}?{query}", headers=tenant.headers()), 422)
    assert field in body["errors"]


def test_a_trend_spanning_decades_by_week_is_refused_with_advice(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [9], received_at=datetime(1990, 1, 1, tzinfo=UTC))
    seed(db, tenant, [9])
    body = assert_problem(client.get(f"{URL}?granularity=week", headers=tenant.headers()), 422)
    assert "granularity=month" in body["detail"]
    assert len(report(client, tenant, "granularity=month")["trend"]) == 433


def test_needs_an_api_key(client: FlaskClient) -> None:
    assert_problem(client.get(URL), 401)


def test_a_key_never_counts_another_workspaces_answers(
    client: FlaskClient, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    secret = make_survey(db, b, "Secret launch survey")
    seed(db, a, [10, 9, 8])
    seed(db, b, [0, 0, 0, 0, 1], survey_id=secret, country="US")
    mine = report(client, a)
    assert mine["overall"]["n"] == 3 and mine["overall"]["detractors"] == 0
    assert "Secret" not in str(mine) and "US" not in str(mine["segments"])
    # Filtering by B's survey from A's key finds nothing (and says nothing about it).
    assert report(client, a, f"survey_id={secret}")["overall"]["n"] == 0
    theirs = report(client, b)
    assert theirs["overall"]["n"] == 5 and theirs["overall"]["nps"] == -100


def test_the_endpoint_and_its_method_are_in_the_openapi_document(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    get = spec["paths"]["/api/v1/reports/nps"]["get"]
    assert "adjusted-Wald" in get["description"]
    assert {p["name"] for p in get["parameters"]} >= {
        "from",
        "to",
        "granularity",
        "country",
        "tag_id",
    }
    assert "tag" in spec["components"]["schemas"]["Segments"]["properties"]
