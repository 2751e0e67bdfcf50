"""Listing harvested feedback: pagination with totals, filters, UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest import services as harvest
from testimonials.harvest.models import Channel
from tests.conftest import Tenant


def _seed(db: Session, tenant: Tenant, scores: list[int]) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n, score in enumerate(scores):
        harvest.record_feedback(
            db,
            tenant.workspace.id,
            harvest.NewFeedback(
                text=f"Comment {n}",
                channel=Channel.API if n % 2 else Channel.IMPORT,
                source_name="test",
                nps_score=score,
                received_at=start + timedelta(hours=n),
            ),
        )
    db.commit()


def test_pages_carry_totals_and_newest_comes_first(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _seed(db, tenant, [10, 9, 8, 7, 6, 0, 10])
    first = client.get("/api/v1/feedback?per_page=3", headers=tenant.headers()).json
    assert (first["total"], first["pages"], first["page"], first["per_page"]) == (7, 3, 1, 3)
    assert [i["text"] for i in first["items"]] == ["Comment 6", "Comment 5", "Comment 4"]
    last = client.get("/api/v1/feedback?per_page=3&page=3", headers=tenant.headers()).json
    assert [i["text"] for i in last["items"]] == ["Comment 0"]


def test_filters_by_nps_group_and_channel(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    _seed(db, tenant, [10, 9, 8, 7, 6, 0, 10])
    groups = {
        g: client.get(f"/api/v1/feedback?group={g}", headers=tenant.headers()).json["total"]
        for g in ("promoter", "passive", "detractor")
    }
    assert groups == {"promoter": 3, "passive": 2, "detractor": 2}
    api_only = client.get("/api/v1/feedback?channel=api", headers=tenant.headers()).json
    assert {i["channel"] for i in api_only["items"]} == {"api"} and api_only["total"] == 3


def test_timestamps_are_iso_8601_utc(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    _seed(db, tenant, [10])
    item = client.get("/api/v1/feedback", headers=tenant.headers()).json["items"][0]
    assert item["received_at"] == "2026-01-01T00:00:00+00:00"
    assert datetime.fromisoformat(item["received_at"]).utcoffset() == timedelta(0)


def test_an_answer_without_a_language_gets_the_one_its_words_show_and_none_when_they_show_none(
    client: FlaskClient, tenant: Tenant
) -> None:
    def language_of(comment: str, **fields: str) -> str | None:
        response = client.post(
            "/api/v1/responses",
            json={"score": 9, "comment": comment, **fields},
            headers=tenant.headers("write"),
        )
        assert response.status_code == 201, response.json
        item = client.get(f"/api/v1/feedback/{response.json['id']}", headers=tenant.headers())
        return item.json["language"]

    assert language_of("The booking page saved us two hours a week.") == "en"
    assert language_of("ระบบจองใช้งานง่ายมาก ลูกค้าจองออนไลน์ได้ตลอดวัน") == "th"
    # Nothing to read a language from: scored as English, but not labelled English, so an
    # English-only widget does not show it as English.
    assert language_of("10/10 👍👍") is None
    assert language_of("Habari, huduma nzuri sana") is None  # Swahili: no word list yet
    assert language_of("Great app", language="de") == "de"  # what the sender says wins
