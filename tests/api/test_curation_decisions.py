"""The curation API, deciding: approve, reject, snooze, bulk, undo, edits, and who may."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial as CuratedTestimonial
from testimonials.harvest.models import ConsentState, FeedbackItem
from tests.api.curation_helpers import API, add, assert_problem, future, ids
from tests.conftest import Tenant

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
