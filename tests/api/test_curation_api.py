"""The curation API: everything a marketer does in the inbox, done with an API key."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy.orm import Session

from testimonials.curation import services as curation
from testimonials.curation.models import Testimonial as CuratedTestimonial
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem
from testimonials.harvest.photos import MAX_PHOTO_BYTES
from tests import factories
from tests.conftest import Tenant

API = "/api/v1"


def add(
    db: Session,
    tenant: Tenant,
    text: str = "Booking took 2 minutes instead of 20; Dana at the front desk was great.",
    *,
    consent: ConsentState = ConsentState.GRANTED,
    suspicion: float | None = 0.1,
    specificity: float | None = 0.5,
    **fields: Any,
) -> int:
    """Harvest one item and return its testimonial's id (made here if intake did not)."""
    # Scores are set by hand so each test controls exactly what the guards see.
    testimonial = factories.scored_testimonial(
        db,
        tenant.workspace.id,
        text,
        consent=consent,
        suspicion=suspicion,
        specificity=specificity,
        **fields,
    )
    db.commit()
    return testimonial.id


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.json["items"]]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.json


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(out, format="PNG")
    return out.getvalue()


def future(days: int = 3) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


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


# --- Deciding -----------------------------------------------------------------------------


def test_approve_with_consent_publishes_and_is_audited(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    response = client.post(
        f"{API}/testimonials/{tid}/approve", json={}, headers=tenant.headers("write")
    )
    assert response.status_code == 200
    assert response.json["status"] == "approved" and response.json["decided_at"]
    assert ids(client.get(f"{API}/testimonials?status=approved", headers=tenant.headers())) == [tid]
    assert ids(client.get(f"{API}/testimonials", headers=tenant.headers())) == []
    [entry] = client.get(f"{API}/audit", headers=tenant.headers()).json["items"]
    assert (entry["action"], entry["who"], entry["actor_type"]) == (
        "approve",
        "write key",
        "api_key",
    )
    assert (entry["before"]["status"], entry["after"]["status"]) == ("pending", "approved")


@pytest.mark.parametrize(
    "consent", [ConsentState.NOT_ASKED, ConsentState.DECLINED, ConsentState.REVOKED]
)
def test_approve_without_consent_is_409_and_changes_nothing(
    consent: ConsentState, client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant, consent=consent)
    problem = assert_problem(
        client.post(f"{API}/testimonials/{tid}/approve", json={}, headers=tenant.headers("write")),
        409,
    )
    assert "No permission to publish" in problem["detail"]
    assert consent.value.replace("_", " ") in problem["detail"]
    after = client.get(f"{API}/testimonials/{tid}", headers=tenant.headers()).json
    assert after["status"] == "pending" and after["decided_at"] is None
    assert client.get(f"{API}/audit", headers=tenant.headers()).json["total"] == 0


def test_suspicious_item_needs_an_override_reason_to_be_approved(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant, suspicion=0.75)
    url = f"{API}/testimonials/{tid}/approve"
    problem = assert_problem(client.post(url, json={}, headers=tenant.headers("write")), 422)
    assert "override_reason" in problem["errors"]
    assert (
        client.get(f"{API}/testimonials/{tid}", headers=tenant.headers()).json["status"]
        == "pending"
    )
    blank = client.post(url, json={"override_reason": "   "}, headers=tenant.headers("write"))
    assert "override_reason" in assert_problem(blank, 422)["errors"]

    reason = "Called the customer; the review is genuine."
    approved = client.post(url, json={"override_reason": reason}, headers=tenant.headers("write"))
    assert approved.status_code == 200
    assert (approved.json["status"], approved.json["override_reason"]) == ("approved", reason)
    [entry] = client.get(f"{API}/audit?testimonial_id={tid}", headers=tenant.headers()).json[
        "items"
    ]
    assert (entry["action"], entry["reason"]) == ("approve_override", reason)


def test_reject_keeps_the_reason(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    tid = add(db, tenant)
    response = client.post(
        f"{API}/testimonials/{tid}/reject",
        json={"reason": "Mentions a competitor"},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 200
    assert (response.json["status"], response.json["rejection_reason"]) == (
        "rejected",
        "Mentions a competitor",
    )
    too_long = client.post(
        f"{API}/testimonials/{tid}/reject",
        json={"reason": "x" * 501},
        headers=tenant.headers("write"),
    )
    assert "reason" in assert_problem(too_long, 422)["errors"]


def test_snooze_hides_until_the_date_then_it_is_pending_again(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    url = f"{API}/testimonials/{tid}/snooze"
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert (
        "until"
        in assert_problem(
            client.post(url, json={"until": past}, headers=tenant.headers("write")), 422
        )["errors"]
    )
    naive = datetime.now().replace(microsecond=0).isoformat()
    assert (
        "until"
        in assert_problem(
            client.post(url, json={"until": naive}, headers=tenant.headers("write")), 422
        )["errors"]
    )

    response = client.post(url, json={"until": future()}, headers=tenant.headers("write"))
    assert response.status_code == 200 and response.json["status"] == "snoozed"
    assert ids(client.get(f"{API}/testimonials", headers=tenant.headers())) == []
    assert ids(client.get(f"{API}/testimonials?status=snoozed", headers=tenant.headers())) == [tid]

    # Time passes: the snooze date is now behind us.
    testimonial = db.get(CuratedTestimonial, tid)
    db.refresh(testimonial)
    testimonial.snoozed_until = datetime.now(UTC) - timedelta(minutes=1)
    db.commit()
    assert ids(client.get(f"{API}/testimonials", headers=tenant.headers())) == [tid]
    assert ids(client.get(f"{API}/testimonials?status=snoozed", headers=tenant.headers())) == []
    assert (
        client.get(f"{API}/testimonials/{tid}", headers=tenant.headers()).json["status"]
        == "pending"
    )


# --- Bulk and undo ------------------------------------------------------------------------


def test_bulk_approve_does_what_it_may_and_says_why_it_skipped_the_rest(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    good = [add(db, tenant, f"Good one {n}") for n in range(3)]
    no_consent = add(db, tenant, "Not asked", consent=ConsentState.NOT_ASKED)
    suspicious = add(db, tenant, "Fishy", suspicion=0.95)
    response = client.post(
        f"{API}/testimonials/bulk",
        json={"ids": [*good, no_consent, suspicious, 999_999], "action": "approve"},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 200
    body = response.json
    assert body["done"] == good and body["batch_id"]
    assert set(body["skipped"]) == {str(no_consent), str(suspicious), "999999"}
    assert "No permission to publish" in body["skipped"][str(no_consent)]
    assert "needs a reason" in body["skipped"][str(suspicious)]
    assert "No testimonial 999999" in body["skipped"]["999999"]
    approved = client.get(f"{API}/testimonials?status=approved", headers=tenant.headers())
    assert set(ids(approved)) == set(good)


def test_bulk_reject_snooze_and_tag(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    a, b, c = (add(db, tenant, f"Item {n}") for n in range(3))
    write = tenant.headers("write")
    rejected = client.post(
        f"{API}/testimonials/bulk",
        json={"ids": [a], "action": "reject", "reason": "Off-topic"},
        headers=write,
    )
    assert rejected.json["done"] == [a]
    assert (
        client.get(f"{API}/testimonials/{a}", headers=write).json["rejection_reason"] == "Off-topic"
    )
    missing_until = client.post(
        f"{API}/testimonials/bulk", json={"ids": [b], "action": "snooze"}, headers=write
    )
    assert "until" in assert_problem(missing_until, 422)["errors"]
    snoozed = client.post(
        f"{API}/testimonials/bulk",
        json={"ids": [b], "action": "snooze", "until": future()},
        headers=write,
    )
    assert snoozed.json["done"] == [b]
    tag_id = client.post(f"{API}/tags", json={"name": "Homepage"}, headers=write).json["id"]
    tagged = client.post(
        f"{API}/testimonials/bulk",
        json={"ids": [b, c], "action": "tag", "tag_ids": [tag_id]},
        headers=write,
    )
    assert tagged.json["done"] == [b, c]
    assert [
        t["name"] for t in client.get(f"{API}/testimonials/{c}", headers=write).json["tags"]
    ] == ["Homepage"]
    unknown = client.post(
        f"{API}/testimonials/bulk", json={"ids": [c], "action": "publish"}, headers=write
    )
    assert "action" in assert_problem(unknown, 422)["errors"]
    empty = client.post(
        f"{API}/testimonials/bulk", json={"ids": [], "action": "reject"}, headers=write
    )
    assert "ids" in assert_problem(empty, 422)["errors"]


def test_undo_reverts_the_last_action_then_a_whole_bulk_batch(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    write = tenant.headers("write")
    batch = [add(db, tenant, f"Batch item {n}") for n in range(3)]
    single = add(db, tenant, "Single item")
    client.post(f"{API}/testimonials/bulk", json={"ids": batch, "action": "approve"}, headers=write)
    client.post(f"{API}/testimonials/{single}/reject", json={"reason": "meh"}, headers=write)

    undone = client.post(f"{API}/testimonials/undo", headers=write)
    assert undone.status_code == 200
    assert [t["id"] for t in undone.json["items"]] == [single]
    after = client.get(f"{API}/testimonials/{single}", headers=write).json
    assert (after["status"], after["rejection_reason"]) == ("pending", None)
    assert set(ids(client.get(f"{API}/testimonials?status=approved", headers=write))) == set(batch)

    undone = client.post(f"{API}/testimonials/undo", headers=write)
    assert sorted(t["id"] for t in undone.json["items"]) == sorted(batch)
    assert {t["status"] for t in undone.json["items"]} == {"pending"}
    assert ids(client.get(f"{API}/testimonials?status=approved", headers=write)) == []
    audit = client.get(f"{API}/audit", headers=write).json["items"]
    assert [e["action"] for e in audit[:3]] == ["undo"] * 3

    problem = assert_problem(client.post(f"{API}/testimonials/undo", headers=write), 404)
    assert problem["detail"] == "Nothing to undo."


# --- Editing ------------------------------------------------------------------------------


def test_editing_the_excerpt_never_touches_the_original_words(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    original = "  Café booking — 3× faster!\r\n\r\nThanks, Zoë 😀  <b>bold</b>\t"
    tid = add(db, tenant, original, author_name="Zoë Kim")
    write = tenant.headers("write")
    response = client.patch(
        f"{API}/testimonials/{tid}",
        json={
            "excerpt": "  Café booking — 3× faster!  ",
            "display_name": "Zoë K.",
            "display_role": "CTO",
        },
        headers=write,
    )
    assert response.status_code == 200
    body = response.json
    assert body["excerpt"] == body["custom_excerpt"] == "Café booking — 3× faster!"
    assert body["text"] == original
    assert body["author"]["name"] == "Zoë K." and body["author"]["role"] == "CTO"
    item_id = body["provenance"]["item_id"]
    db.expire_all()
    assert db.get(FeedbackItem, item_id).text.encode() == original.encode()

    rewrite = client.patch(f"{API}/testimonials/{tid}", json={"text": "Rewritten!"}, headers=write)
    assert "text" in assert_problem(rewrite, 422)["errors"]
    assert client.get(f"{API}/testimonials/{tid}", headers=write).json["text"] == original
    assert assert_problem(
        client.patch(f"{API}/testimonials/{tid}", json={"excerpt": "   "}, headers=write), 422
    )["errors"] == {"excerpt": ["Empty."]}
    assert (
        "display_name"
        in assert_problem(
            client.patch(
                f"{API}/testimonials/{tid}", json={"display_name": "x" * 201}, headers=write
            ),
            422,
        )["errors"]
    )

    reset = client.patch(f"{API}/testimonials/{tid}", json={"excerpt": None}, headers=write).json
    assert reset["custom_excerpt"] is None and reset["excerpt"] != "Café booking — 3× faster!"
    [entry, *_] = client.get(f"{API}/audit?testimonial_id={tid}", headers=write).json["items"]
    assert entry["action"] == "edit" and entry["before"]["excerpt"] == "Café booking — 3× faster!"


def test_read_key_can_look_but_not_triage(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    tid = add(db, tenant)
    read = tenant.headers("read")
    attempts = [
        ("post", f"/testimonials/{tid}/approve", {}),
        ("post", f"/testimonials/{tid}/reject", {}),
        ("post", f"/testimonials/{tid}/snooze", {"until": future()}),
        ("patch", f"/testimonials/{tid}", {"excerpt": "Mine now"}),
        ("post", "/testimonials/bulk", {"ids": [tid], "action": "reject"}),
        ("post", "/testimonials/undo", None),
        ("delete", f"/testimonials/{tid}/photo", None),
        ("post", "/tags", {"name": "Sneaky"}),
    ]
    for method, path, body in attempts:
        response = getattr(client, method)(f"{API}{path}", json=body, headers=read)
        assert_problem(response, 403)
    assert client.get(f"{API}/testimonials/{tid}", headers=read).json["status"] == "pending"
    assert client.get(f"{API}/audit", headers=read).json["total"] == 0
    assert client.get(f"{API}/testimonials", headers={}).status_code == 401


# --- Photos -------------------------------------------------------------------------------


def test_photo_upload_is_served_as_clean_jpeg_with_etag(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    url = f"{API}/testimonials/{tid}/photo"
    assert_problem(client.get(url, headers=tenant.headers()), 404)
    upload = client.put(
        url,
        data={"photo": (io.BytesIO(png_bytes()), "me.png")},
        content_type="multipart/form-data",
        headers=tenant.headers("write"),
    )
    assert upload.status_code == 200, upload.get_data(as_text=True)
    assert upload.json["has_photo"] is True

    served = client.get(url, headers=tenant.headers())
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "private" in served.headers["Cache-Control"]
    assert Image.open(io.BytesIO(served.data)).size == (256, 256)
    etag = served.headers["ETag"]
    again = client.get(url, headers={**tenant.headers(), "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""

    replaced = client.put(
        url,
        data={"photo": (io.BytesIO(png_bytes((10, 10, 200))), "me.png")},
        content_type="multipart/form-data",
        headers=tenant.headers("write"),
    )
    assert replaced.status_code == 200
    assert client.get(url, headers={**tenant.headers(), "If-None-Match": etag}).status_code == 200

    assert client.delete(url, headers=tenant.headers("write")).status_code == 204
    assert_problem(client.get(url, headers=tenant.headers()), 404)
    assert (
        client.get(f"{API}/testimonials/{tid}", headers=tenant.headers()).json["has_photo"] is False
    )
    actions = [
        e["action"] for e in client.get(f"{API}/audit", headers=tenant.headers()).json["items"]
    ]
    assert actions == ["photo_removed", "photo", "photo"]


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        (b"just some text, honestly\n" * 20, 422, "not a JPEG, PNG, WebP or GIF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_PHOTO_BYTES + 10), 413, "limit is 5 MB"),
    ],
)
def test_bad_photo_uploads_are_refused_with_a_clear_problem(
    payload: bytes, status: int, words: str, client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    response = client.put(
        f"{API}/testimonials/{tid}/photo",
        data={"photo": (io.BytesIO(payload), "photo.png")},
        content_type="multipart/form-data",
        headers=tenant.headers("write"),
    )
    problem = assert_problem(response, status)
    assert words in problem["detail"] and "photo" in problem["errors"]
    assert (
        client.get(f"{API}/testimonials/{tid}", headers=tenant.headers()).json["has_photo"] is False
    )


def test_photo_upload_without_a_file_names_the_field(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    response = client.put(
        f"{API}/testimonials/{tid}/photo",
        data={"picture": (io.BytesIO(png_bytes()), "me.png")},
        content_type="multipart/form-data",
        headers=tenant.headers("write"),
    )
    assert "photo" in assert_problem(response, 422)["errors"]


# --- Tags and audit -----------------------------------------------------------------------


def test_tags_are_created_listed_and_deleted(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    write = tenant.headers("write")
    collection = client.post(
        f"{API}/tags", json={"name": "Wall of love", "is_collection": True}, headers=write
    )
    assert collection.status_code == 201
    assert (collection.json["slug"], collection.json["is_collection"]) == ("wall-of-love", True)
    plain = client.post(f"{API}/tags", json={"name": "Enterprise"}, headers=write).json
    assert_problem(client.post(f"{API}/tags", json={"name": "enterprise"}, headers=write), 409)
    assert (
        "name"
        in assert_problem(client.post(f"{API}/tags", json={"name": ""}, headers=write), 422)[
            "errors"
        ]
    )
    listing = client.get(f"{API}/tags", headers=tenant.headers()).json
    assert [t["name"] for t in listing["items"]] == ["Wall of love", "Enterprise"]

    tid = add(db, tenant)
    client.patch(f"{API}/testimonials/{tid}", json={"tag_ids": [plain["id"]]}, headers=write)
    assert client.delete(f"{API}/tags/{plain['id']}", headers=write).status_code == 204
    assert client.get(f"{API}/testimonials/{tid}", headers=write).json["tags"] == []
    assert_problem(client.get(f"{API}/tags/{plain['id']}", headers=write), 404)


def test_audit_names_users_by_email_and_keys_by_name_newest_first(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    # A decision made in the dashboard, then one through the API.
    testimonial = curation.get_testimonial(db, tenant.workspace.id, tid)
    curation.reject(db, testimonial, curation.Actor(user_id=tenant.editor.id), "Too vague")
    db.commit()
    client.post(f"{API}/testimonials/{tid}/approve", json={}, headers=tenant.headers("write"))
    page = client.get(f"{API}/audit?per_page=1", headers=tenant.headers()).json
    assert (page["total"], page["pages"]) == (2, 2)
    newest = page["items"][0]
    assert (newest["action"], newest["who"]) == ("approve", "write key")
    older = client.get(f"{API}/audit?per_page=1&page=2", headers=tenant.headers()).json["items"][0]
    assert (older["action"], older["who"], older["actor_type"]) == (
        "reject",
        tenant.editor.email,
        "user",
    )
    assert (older["reason"], older["after"]["rejection_reason"]) == ("Too vague", "Too vague")
    assert older["testimonial_id"] == tid and older["created_at"].endswith("+00:00")


# --- Isolation ----------------------------------------------------------------------------


@pytest.fixture
def two_workspaces(make_tenant: Callable[[str], Tenant]) -> tuple[Tenant, Tenant]:
    return make_tenant("Alpha Co"), make_tenant("Beta Co")


def test_a_key_never_sees_or_touches_another_workspaces_testimonials(
    client: FlaskClient, db: Session, two_workspaces: tuple[Tenant, Tenant]
) -> None:
    a, b = two_workspaces
    mine = add(db, a, "Alpha praise")
    theirs = add(db, b, "Secret praise from Beta")
    for scope in ("read", "write"):
        assert_problem(client.get(f"{API}/testimonials/{theirs}", headers=a.headers(scope)), 404)
        assert_problem(
            client.get(f"{API}/testimonials/{theirs}/photo", headers=a.headers(scope)), 404
        )
        assert_problem(
            client.get(f"{API}/audit?testimonial_id={theirs}", headers=a.headers(scope)), 404
        )
    write = a.headers("write")
    for action, body in (("approve", {}), ("reject", {}), ("snooze", {"until": future()})):
        assert_problem(
            client.post(f"{API}/testimonials/{theirs}/{action}", json=body, headers=write), 404
        )
    assert_problem(
        client.patch(f"{API}/testimonials/{theirs}", json={"excerpt": "x"}, headers=write), 404
    )
    assert_problem(client.delete(f"{API}/testimonials/{theirs}/photo", headers=write), 404)
    listing = client.get(f"{API}/testimonials?status=all", headers=a.headers()).get_data(True)
    assert "Secret" not in listing
    assert ids(client.get(f"{API}/testimonials?status=all", headers=a.headers())) == [mine]

    bulk = client.post(
        f"{API}/testimonials/bulk", json={"ids": [theirs, mine], "action": "reject"}, headers=write
    ).json
    assert bulk["done"] == [mine] and "No testimonial" in bulk["skipped"][str(theirs)]
    assert (
        client.get(f"{API}/testimonials/{theirs}", headers=b.headers()).json["status"] == "pending"
    )
    # B's own undo finds nothing of A's to revert.
    assert_problem(client.post(f"{API}/testimonials/undo", headers=b.headers("write")), 404)


def test_a_key_never_sees_or_uses_another_workspaces_tags(
    client: FlaskClient, db: Session, two_workspaces: tuple[Tenant, Tenant]
) -> None:
    a, b = two_workspaces
    theirs = client.post(
        f"{API}/tags", json={"name": "Secret tag"}, headers=b.headers("write")
    ).json["id"]
    mine = add(db, a)
    for scope in ("read", "write"):
        assert_problem(client.get(f"{API}/tags/{theirs}", headers=a.headers(scope)), 404)
    assert_problem(client.delete(f"{API}/tags/{theirs}", headers=a.headers("write")), 404)
    assert client.get(f"{API}/tags", headers=a.headers()).json["items"] == []
    patch = client.patch(
        f"{API}/testimonials/{mine}",
        json={"tag_ids": [theirs], "excerpt": "Short"},
        headers=a.headers("write"),
    )
    assert "tag_ids" in assert_problem(patch, 422)["errors"]
    # Refused as a whole: the excerpt in the same request did not change either.
    assert (
        client.get(f"{API}/testimonials/{mine}", headers=a.headers()).json["custom_excerpt"] is None
    )
    bulk = client.post(
        f"{API}/testimonials/bulk",
        json={"ids": [mine], "action": "tag", "tag_ids": [theirs]},
        headers=a.headers("write"),
    )
    assert "tag_ids" in assert_problem(bulk, 422)["errors"]
    assert ids(client.get(f"{API}/testimonials?tag_id={theirs}", headers=a.headers())) == []
    assert client.get(f"{API}/tags/{theirs}", headers=b.headers()).status_code == 200


def test_audit_log_lists_only_the_keys_own_workspace(
    client: FlaskClient, db: Session, two_workspaces: tuple[Tenant, Tenant]
) -> None:
    a, b = two_workspaces
    mine, theirs = add(db, a), add(db, b, "Secret praise")
    client.post(
        f"{API}/testimonials/{theirs}/reject",
        json={"reason": "Secret reason"},
        headers=b.headers("write"),
    )
    client.post(f"{API}/testimonials/{mine}/reject", json={}, headers=a.headers("write"))
    audit = client.get(f"{API}/audit", headers=a.headers())
    assert [e["testimonial_id"] for e in audit.json["items"]] == [mine]
    assert "Secret" not in audit.get_data(as_text=True)


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
