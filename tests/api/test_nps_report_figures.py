"""GET /api/v1/reports/nps: hand-checked figures, edge cases, and the trend's periods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.privacy.services import erase_respondent
from testimonials.stats import nps_trend
from tests.api.nps_helpers import JAN, report, seed
from tests.conftest import Tenant


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
    # Adjusted Wald by hand: P' = 0.75, D' = 1.75, n' = 4 -> -25 ± 73.5, widened to reach
    # the -100 observed (an interval that excludes the one thing seen would be absurd).
    assert overall["interval"] == {"low": -100.0, "high": 48.5}


@pytest.mark.parametrize(
    ("scores", "nps", "band", "groups", "interval"),
    [
        # Adjusted Wald by hand: add 0.75 promoters, 0.75 detractors, n' = n + 3;
        # centre P' - D', half-width 1.96 * sqrt((P' + D' - (P' - D')^2) / n'), clipped.
        ([9], 100.0, "world class", (1, 0, 0), (-48.5, 100.0)),  # n = 1: 25 ± 73.5, to +100
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
