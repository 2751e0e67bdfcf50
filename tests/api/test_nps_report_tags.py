"""GET /api/v1/reports/nps by tag: segments per tag, the tag filter, and other workspaces' tags."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial as CuratedTestimonial
from testimonials.curation.models import testimonial_tags
from testimonials.privacy.services import erase_respondent
from tests.api.nps_helpers import make_tag, report, seed, tag_answers
from tests.conftest import Tenant


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
