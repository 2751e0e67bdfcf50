"""GET /api/v1/reports/nps: hand-checked figures, trend, segments, filters, errors, isolation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial as CuratedTestimonial
from testimonials.curation.models import testimonial_tags
from testimonials.curation.services import Actor, set_tags
from testimonials.curation.tags import create_tag, tags_by_id
from testimonials.harvest.intake import NewFeedback, record_feedback_batch
from testimonials.harvest.models import Channel
from testimonials.privacy.services import erase_respondent
from testimonials.stats import nps_trend
from tests import factories
from tests.api.test_problems import assert_problem
from tests.conftest import Tenant

URL = "/api/v1/reports/nps"
JAN = datetime(2026, 1, 5, 12, tzinfo=UTC)  # a Monday


def make_survey(db: Session, tenant: Tenant, name: str) -> int:
    survey = factories.survey(db, tenant.workspace.id, name, company_name=tenant.workspace.name)
    db.commit()
    return survey.id


def seed(db: Session, tenant: Tenant, scores: list[int], **fields: Any) -> list[int]:
    """Store one answer per score (1 hour apart from `received_at`, default JAN); their ids."""
    start = fields.pop("received_at", JAN)
    items = record_feedback_batch(
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
    return [item.id for item in items]


def make_tag(db: Session, tenant: Tenant, name: str) -> int:
    tag = create_tag(db, tenant.workspace.id, name)
    db.commit()
    return tag.id


def tag_answers(db: Session, tenant: Tenant, item_ids: list[int], *tag_ids: int) -> None:
    """Tag the answers' testimonials the way the inbox does (adding to their tags)."""
    tags = tags_by_id(db, tenant.workspace.id, list(tag_ids))
    testimonials = db.scalars(
        select(CuratedTestimonial).where(CuratedTestimonial.item_id.in_(item_ids))
    )
    for testimonial in testimonials:
        set_tags(db, testimonial, Actor(user_id=tenant.editor.id), [*testimonial.tags, *tags])
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
    assert body["trend"] == []
    assert body["segments"] == {"survey": [], "channel": [], "country": [], "tag": []}
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


@pytest.mark.parametrize(
    ("scores", "nps", "band", "groups", "interval"),
    [
        # Adjusted Wald by hand: add 0.75 promoters, 0.75 detractors, n' = n + 3;
        # centre P' - D', half-width 1.96 * sqrt((P' + D' - (P' - D')^2) / n'), clipped.
        ([9], 100.0, "world class", (1, 0, 0), (-48.5, 98.5)),  # n = 1: 25 ± 73.5
        ([7, 8] * 20, 0.0, "needs improvement", (0, 40, 0), (-5.58, 5.58)),  # all passives
        ([0, 3, 6] * 20, -100.0, "needs improvement", (0, 0, 60), (-100.0, -88.74)),
        ([9, 10] * 25, 100.0, "world class", (50, 0, 0), (86.64, 100.0)),  # all promoters
    ],
)
def test_hand_computed_edge_cases_through_the_database(
    client: FlaskClient,
    db: Session,
    tenant: Tenant,
    scores: list[int],
    nps: float,
    band: str,
    groups: tuple[int, int, int],
    interval: tuple[float, float],
) -> None:
    # The report counts in SQL (summarise_score_counts): the pure edge cases again, end to end.
    seed(db, tenant, scores)
    overall = report(client, tenant)["overall"]
    assert (overall["promoters"], overall["passives"], overall["detractors"]) == groups
    assert (overall["n"], overall["nps"], overall["band"]) == (len(scores), nps, band)
    # Every answer in one group: the textbook margin would claim ±0, so it is undefined.
    assert overall["margin_of_error"] is None
    assert (overall["interval"]["low"], overall["interval"]["high"]) == interval


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


def _tagged_sample(db: Session, tenant: Tenant) -> tuple[int, int]:
    """Pricing: 10, 9, 0 and a 10 also tagged Enterprise; Enterprise: 6, 6; untagged: 8, 2."""
    pricing, enterprise = make_tag(db, tenant, "Pricing"), make_tag(db, tenant, "Enterprise")
    tag_answers(db, tenant, seed(db, tenant, [10, 9, 0], country="GB"), pricing)
    tag_answers(db, tenant, seed(db, tenant, [10], country="FR"), pricing, enterprise)
    tag_answers(db, tenant, seed(db, tenant, [6, 6], country="FR"), enterprise)
    seed(db, tenant, [8, 2])
    # A tagged comment without a score is not an NPS answer anywhere.
    tag_answers(db, tenant, seed(db, tenant, [None]), pricing, enterprise)  # type: ignore[list-item]
    return pricing, enterprise


def test_segments_by_tag_count_an_answer_under_each_tag_and_skip_untagged_ones(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    pricing, enterprise = _tagged_sample(db, tenant)
    body = report(client, tenant)
    # Overall: 10, 9, 0, 10, 6, 6, 8, 2 -> 3 promoters, 4 detractors of 8: -12.5.
    # The twice-tagged answer counts once here, the untagged 8 and 2 count too.
    assert (body["overall"]["n"], body["overall"]["nps"]) == (8, -12.5)
    tags = [
        (
            s["key"],
            s["label"],
            s["summary"]["n"],
            s["summary"]["promoters"],
            s["summary"]["detractors"],
            s["summary"]["nps"],
        )
        for s in body["segments"]["tag"]
    ]
    assert tags == [
        # 10, 9, 0, 10: 3 promoters, 1 detractor of 4 -> +50 (biggest first).
        (pricing, "Pricing", 4, 3, 1, 50.0),
        # 10, 6, 6: 1 promoter, 2 detractors of 3 -> -33.33.
        (enterprise, "Enterprise", 3, 1, 2, -33.33),
    ]
    # 7 tag memberships for 8 answers: the untagged two are in no tag segment.
    assert sum(n for _, _, n, _, _, _ in tags) == 7
    for segment in body["segments"]["tag"]:
        assert segment["summary"]["too_small"] is True and segment["summary"]["interval"]
    # Adjusted Wald for Pricing by hand: n' = 4 + 3, P' = 3.75 / 7, D' = 1.75 / 7, so
    # 28.57 ± 1.96 * sqrt((P' + D' - (P' - D')^2) / 7) * 100 = 28.57 ± 62.16.
    assert body["segments"]["tag"][0]["summary"]["interval"] == {"low": -33.59, "high": 90.73}
    # Every segment is too small to trust, and the warning counts the tag segments too:
    # 1 survey (none) + 1 channel + 3 countries + 2 tags.
    assert "7 segments rest on too few answers" in " ".join(body["warnings"])


def test_the_tag_filter_narrows_the_whole_report_to_that_tags_answers(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    pricing, enterprise = _tagged_sample(db, tenant)
    body = report(client, tenant, f"tag_id={pricing}&granularity=week")
    assert body["filters"]["tag_id"] == pricing
    overall = body["overall"]
    # 10, 9, 0, 10 -> 75% promoters - 25% detractors = +50.
    assert (overall["n"], overall["promoters"], overall["passives"], overall["detractors"]) == (
        4,
        3,
        0,
        1,
    )
    assert overall["nps"] == 50.0 and overall["band"] == "favourable"
    assert sum(t["summary"]["n"] for t in body["trend"]) == 4
    countries = {
        s["key"]: (s["summary"]["n"], s["summary"]["nps"]) for s in body["segments"]["country"]
    }
    assert countries == {"GB": (3, 33.33), "FR": (1, 100.0)}
    # Within Pricing, the answer also tagged Enterprise is Enterprise's only one.
    tags = {s["label"]: (s["summary"]["n"], s["summary"]["nps"]) for s in body["segments"]["tag"]}
    assert tags == {"Pricing": (4, 50.0), "Enterprise": (1, 100.0)}
    enterprise_only = report(client, tenant, f"tag_id={enterprise}")["overall"]
    assert (enterprise_only["n"], enterprise_only["nps"]) == (3, -33.33)
    # Combined with another filter: Pricing answers from France.
    assert report(client, tenant, f"tag_id={pricing}&country=fr")["overall"]["n"] == 1
    # A tag nobody used, and an id that is no tag at all, find nothing.
    unused = make_tag(db, tenant, "Unused")
    assert report(client, tenant, f"tag_id={unused}")["overall"]["n"] == 0
    assert report(client, tenant, "tag_id=999999")["overall"]["n"] == 0


def test_an_erased_respondents_tagged_score_still_counts_under_its_tag(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    pricing = make_tag(db, tenant, "Pricing")
    tag_answers(db, tenant, seed(db, tenant, [9], author_email="gone@example.com"), pricing)
    tag_answers(db, tenant, seed(db, tenant, [3]), pricing)
    erase_respondent(db, tenant.workspace.id, "gone@example.com", b"key", None)
    db.commit()
    # The same rule as the overall figure: the bare score stays, with its curation tags.
    [segment] = report(client, tenant)["segments"]["tag"]
    assert (segment["summary"]["n"], segment["summary"]["nps"]) == (2, 0.0)


def test_another_workspaces_tags_never_appear_or_match(
    client: FlaskClient, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    mine = make_tag(db, a, "Pricing")
    theirs = make_tag(db, b, "Secret launch")
    tag_answers(db, a, seed(db, a, [10, 9]), mine)
    tag_answers(db, b, seed(db, b, [0, 0, 0]), theirs)
    body = report(client, a)
    assert [(s["label"], s["summary"]["n"]) for s in body["segments"]["tag"]] == [("Pricing", 2)]
    assert "Secret launch" not in str(body)
    # B's tag id through A's key finds nothing (and says nothing about it).
    assert report(client, a, f"tag_id={theirs}")["overall"]["n"] == 0
    # Even a link to B's tag on A's testimonial (the services refuse to make one) stays out.
    testimonial_id = db.scalar(
        select(CuratedTestimonial.id)
        .where(CuratedTestimonial.workspace_id == a.workspace.id)
        .limit(1)
    )
    db.execute(testimonial_tags.insert().values(testimonial_id=testimonial_id, tag_id=theirs))
    db.commit()
    body = report(client, a)
    assert "Secret launch" not in str(body) and len(body["segments"]["tag"]) == 1
    assert report(client, a, f"tag_id={theirs}")["overall"]["n"] == 0
    theirs_report = report(client, b)
    assert [(s["label"], s["summary"]["n"]) for s in theirs_report["segments"]["tag"]] == [
        ("Secret launch", 3)
    ]
