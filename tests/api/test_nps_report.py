"""GET /api/v1/reports/nps: hand-checked figures, trend, segments, filters, errors, isolation."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.intake import NewFeedback, record_feedback_batch
from testimonials.harvest.models import Channel, Survey
from testimonials.harvest.privacy import erase_respondent
from testimonials.stats import nps_trend
from tests.api.test_problems import assert_problem
from tests.conftest import Tenant

URL = "/api/v1/reports/nps"
JAN = datetime(2026, 1, 5, 12, tzinfo=UTC)  # a Monday


def make_survey(db: Session, tenant: Tenant, name: str) -> int:
    survey = Survey(
        workspace_id=tenant.workspace.id,
        name=name,
        company_name=tenant.workspace.name,
        question="How likely are you to recommend us to a friend?",
        comment_prompt="What is the main reason for your score?",
        consent_text="You may quote my words with my first name.",
        consent_version="v1",
        public_token=secrets.token_urlsafe(32),
    )
    db.add(survey)
    db.commit()
    return survey.id


def seed(db: Session, tenant: Tenant, scores: list[int], **fields: Any) -> None:
    """Store one answer per score (1 hour apart from `received_at`, default JAN)."""
    start = fields.pop("received_at", JAN)
    record_feedback_batch(
        db,
        tenant.workspace.id,
        [
            NewFeedback(
                text=f"Answer {n}",
                channel=fields.get("channel", Channel.API),
                source_name="test",
                nps_score=score,
                received_at=start + timedelta(hours=n),
                **{k: v for k, v in fields.items() if k != "channel"},
            )
            for n, score in enumerate(scores)
        ],
    )
    db.commit()


def report(client: FlaskClient, tenant: Tenant, query: str = "") -> dict[str, Any]:
    response = client.get(f"{URL}?{query}", headers=tenant.headers())
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def test_overall_figures_match_a_hand_computation(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    # 4 promoters, 2 passives, 2 detractors: NPS = 50% - 25% = +25.
    seed(db, tenant, [10, 10, 9, 9, 8, 7, 6, 0])
    seed(db, tenant, [None, None])  # type: ignore[list-item]  # comments without a score
    body = report(client, tenant)
    overall = body["overall"]
    assert (overall["n"], overall["promoters"], overall["passives"], overall["detractors"]) == (
        8,
        4,
        2,
        2,
    )
    assert overall["shares"] == {"promoter": 50.0, "passive": 25.0, "detractor": 25.0}
    assert overall["nps"] == 25.0 and overall["band"] == "favourable"
    # variance = 0.5 + 0.25 - 0.25^2 = 0.6875; 1.96 * sqrt(0.6875 / 8) * 100 = 57.46.
    assert overall["margin_of_error"] == 57.46
    low, high = overall["interval"]["low"], overall["interval"]["high"]
    assert -100 <= low < 25 < high <= 100
    assert overall["too_small"] is True and "Only 8 answers" in overall["warning"]
    assert body["groups"] == [
        {"group": "promoter", "scores": "9-10", "count": 4, "share": 50.0},
        {"group": "passive", "scores": "7-8", "count": 2, "share": 25.0},
        {"group": "detractor", "scores": "0-6", "count": 2, "share": 25.0},
    ]
    assert overall["warning"] in body["warnings"]
    assert "fewer than 30" in body["small_sample_rule"]
    assert "adjusted-Wald" in body["method"] and "submitted_at" in body["date_basis"]


def test_an_empty_workspace_gets_no_nps_and_no_crash(client: FlaskClient, tenant: Tenant) -> None:
    body = report(client, tenant, "granularity=week")
    assert body["overall"]["n"] == 0 and body["overall"]["nps"] is None
    assert body["overall"]["interval"] is None and body["overall"]["margin_of_error"] is None
    assert "No responses yet" in body["warnings"][0]
    assert body["trend"] == [] and body["segments"] == {"survey": [], "channel": [], "country": []}
    assert [g["share"] for g in body["groups"]] == [None, None, None]


def test_one_answer_has_an_undefined_margin_but_an_honest_interval(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [3])
    overall = report(client, tenant)["overall"]
    assert overall["nps"] == -100 and overall["band"] == "needs improvement"
    assert overall["margin_of_error"] is None
    # Adjusted Wald by hand: P' = 0.75, D' = 1.75, n' = 4 -> -25 ± 73.5.
    assert overall["interval"] == {"low": -98.5, "high": 48.5}


def test_erased_respondents_scores_still_count(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [10], author_email="gone@example.com")
    seed(db, tenant, [0])
    erase_respondent(db, tenant.workspace.id, "gone@example.com", b"key", None)
    db.commit()
    assert report(client, tenant)["overall"]["nps"] == 0.0  # +1 and -1, both still counted


def test_trend_dates_answers_by_submission_and_shows_empty_weeks(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [10, 0], received_at=JAN)  # week 2
    # Imported on 2 Feb, but answered on 19 Jan (week 4): it belongs to week 4.
    seed(db, tenant, [9], received_at=JAN + timedelta(days=28), submitted_at=JAN + timedelta(14))
    trend = report(client, tenant, "granularity=week")["trend"]
    assert [(t["period"], t["summary"]["n"]) for t in trend] == [
        ("2026-W02", 2),
        ("2026-W03", 0),
        ("2026-W04", 1),
    ]
    assert trend[0]["start"] == "2026-01-05" and trend[0]["end"] == "2026-01-11"
    assert trend[1]["summary"]["nps"] is None and trend[2]["summary"]["nps"] == 100
    monthly = report(client, tenant)["trend"]
    assert [(t["period"], t["summary"]["n"]) for t in monthly] == [("2026-01", 3)]


def test_database_periods_agree_with_the_pure_rule_at_the_edges(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    plus_five = timezone(timedelta(hours=5))
    moments = [
        datetime(2026, 1, 11, 23, 59, 59, 999999, tzinfo=UTC),  # last instant of a week
        datetime(2026, 1, 12, 0, 0, tzinfo=UTC),  # first instant of the next
        datetime(2026, 2, 1, 3, 0, tzinfo=plus_five),  # 31 Jan 22:00 UTC
        datetime(2025, 12, 31, 23, 0, tzinfo=UTC),  # ISO week 1 of 2026
    ]
    for n, moment in enumerate(moments):
        seed(db, tenant, [[10, 0, 9, 5][n]], received_at=JAN, submitted_at=moment)
    for granularity in ("week", "month"):
        expected = nps_trend(zip(moments, [10, 0, 9, 5], strict=True), granularity)  # type: ignore[arg-type]
        trend = report(client, tenant, f"granularity={granularity}")["trend"]
        assert [(t["period"], t["summary"]["n"]) for t in trend] == [
            (p.period, p.summary.n) for p in expected
        ]


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
    assert {p["name"] for p in get["parameters"]} >= {"from", "to", "granularity", "country"}
