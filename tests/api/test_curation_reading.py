"""The curation API, reading: the inbox's items, pages, filters, search, and OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.models import Channel
from tests.api.curation_helpers import API, add, assert_problem, ids
from tests.conftest import Tenant

# --- Reading ------------------------------------------------------------------------------


def test_inbox_item_shows_original_text_excerpts_scores_provenance_and_consent(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(
        db,
        tenant,
        author_name="Dana Q.",
        author_email="dana.private@example.com",
        author_company="Northwind",
        nps_score=10,
        language="en",
        verified=True,
        received_at=datetime(2026, 2, 3, 4, 5, tzinfo=UTC),
    )
    response = client.get(f"{API}/testimonials", headers=tenant.headers())
    assert response.status_code == 200
    [item] = response.json["items"]
    assert item["id"] == tid and item["status"] == "pending"
    assert item["text"].startswith("Booking took 2 minutes")
    assert item["excerpt"] and item["custom_excerpt"] is None
    assert item["provenance"] == {
        "item_id": item["provenance"]["item_id"],
        "channel": "api",
        "source_name": "test",
        "received_at": "2026-02-03T04:05:00+00:00",
        "submitted_at": None,
        "verified": True,
        "verified_by": None,
    }
    assert item["consent"] == {
        "state": "granted",
        "version": "v1",
        "at": "2026-01-01T00:00:00+00:00",
    }
    assert item["author"] == {"name": "Dana Q.", "role": None, "company": "Northwind"}
    assert (item["nps_score"], item["nps_group"], item["flagged"]) == (10, "promoter", False)
    assert item["has_photo"] is False and item["tags"] == []
    # The author's e-mail is private: never in any API answer about testimonials.
    for path in (f"{API}/testimonials", f"{API}/testimonials/{tid}"):
        assert "dana.private" not in client.get(path, headers=tenant.headers()).get_data(True)


def test_pages_carry_totals_and_best_candidates_come_first(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    made = [add(db, tenant, f"Comment number {n}", specificity=n / 10) for n in range(7)]
    first = client.get(f"{API}/testimonials?per_page=3", headers=tenant.headers()).json
    assert (first["total"], first["pages"], first["page"], first["per_page"]) == (7, 3, 1, 3)
    assert [i["id"] for i in first["items"]] == made[::-1][:3]
    last = client.get(f"{API}/testimonials?per_page=3&page=3", headers=tenant.headers())
    assert ids(last) == [made[0]]
    newest = client.get(f"{API}/testimonials?sort=oldest&per_page=2", headers=tenant.headers())
    assert ids(newest) == made[:2]


def test_filters_narrow_the_inbox(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    day = datetime(2026, 3, 1, 12, tzinfo=UTC)
    promoter = add(db, tenant, "Promoter words", nps_score=9, received_at=day)
    detractor = add(db, tenant, "Detractor words", nps_score=3, received_at=day + timedelta(1))
    imported = add(
        db,
        tenant,
        "Imported review",
        channel=Channel.IMPORT,
        source_name="Trustpilot",
        rating=4,
        language="de",
        received_at=day + timedelta(2),
    )
    flagged = add(db, tenant, "Too good to be true", suspicion=0.9, received_at=day + timedelta(5))

    def listed(query: str) -> set[int]:
        return set(ids(client.get(f"{API}/testimonials?{query}", headers=tenant.headers())))

    assert listed("channel=import") == {imported}
    assert listed("source=Trustpilot") == {imported}
    assert listed("group=promoter") == {promoter}
    assert listed("group=detractor") == {detractor}
    assert listed("rating=4") == {imported}
    assert listed("language=de") == {imported}
    assert listed("flagged=true") == {flagged}
    assert listed("flagged=false") == {promoter, detractor, imported}
    # Both ends of the range are whole days, inclusive.
    assert listed("from=2026-03-02&to=2026-03-03") == {detractor, imported}
    assert listed("from=2026-03-04") == {flagged}
    assert listed("q=DETRACTOR") == {detractor}


def test_search_treats_percent_and_underscore_literally(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    percent = add(db, tenant, "We saved 50% on fees")
    add(db, tenant, "We saved 500 on fees")
    underscore = add(db, tenant, "The snake_case API is lovely")
    add(db, tenant, "The snakeXcase API is lovely")

    def found(q: str) -> list[int]:
        return ids(
            client.get(f"{API}/testimonials", query_string={"q": q}, headers=tenant.headers())
        )

    assert found("50%") == [percent]
    assert found("snake_case") == [underscore]


def test_filter_by_status_and_tag(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    first, second = add(db, tenant, "First one"), add(db, tenant, "Second one")
    tag = client.post(f"{API}/tags", json={"name": "Pricing page"}, headers=tenant.headers("write"))
    tag_id = tag.json["id"]
    client.patch(
        f"{API}/testimonials/{first}", json={"tag_ids": [tag_id]}, headers=tenant.headers("write")
    )
    client.post(f"{API}/testimonials/{second}/reject", json={}, headers=tenant.headers("write"))
    assert ids(client.get(f"{API}/testimonials?tag_id={tag_id}", headers=tenant.headers())) == [
        first
    ]
    assert ids(client.get(f"{API}/testimonials?status=rejected", headers=tenant.headers())) == [
        second
    ]
    everything = client.get(f"{API}/testimonials?status=all", headers=tenant.headers())
    assert set(ids(everything)) == {first, second}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=maybe", "status"),
        ("channel=fax", "channel"),
        ("group=fans", "group"),
        ("rating=9", "rating"),
        ("from=yesterday", "from"),
        ("from=2026-03-05&to=2026-03-01", "from"),
        ("flagged=perhaps", "flagged"),
        ("sort=random", "sort"),
        ("per_page=1000", "per_page"),
    ],
)
def test_bad_filter_values_are_422_problems_naming_the_parameter(
    query: str, field: str, client: FlaskClient, tenant: Tenant
) -> None:
    problem = assert_problem(
        client.get(f"{API}/testimonials?{query}", headers=tenant.headers()), 422
    )
    assert field in problem["errors"]


def test_openapi_document_describes_the_curation_api(client: FlaskClient) -> None:
    from openapi_spec_validator import validate

    spec = client.get(f"{API}/openapi.json").json
    validate(spec)
    assert {
        "/api/v1/testimonials",
        "/api/v1/testimonials/{testimonial_id}",
        "/api/v1/testimonials/{testimonial_id}/approve",
        "/api/v1/testimonials/bulk",
        "/api/v1/testimonials/undo",
        "/api/v1/testimonials/{testimonial_id}/photo",
        "/api/v1/tags",
        "/api/v1/audit",
    } <= set(spec["paths"])
    photo_put = spec["paths"]["/api/v1/testimonials/{testimonial_id}/photo"]["put"]
    assert "multipart/form-data" in photo_put["requestBody"]["content"]
    assert "author_email" not in str(spec["components"]["schemas"]["Testimonial"])
