"""POST /api/v1/erasures: a person by e-mail, or one answer by its id; validated and isolated."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from testimonials.curation.models import AuditEntry
from testimonials.curation.models import Testimonial as Curated
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import FollowUp
from testimonials.privacy.models import Erasure
from tests.conftest import Tenant

API = "/api/v1"
COMMENT = "The booking page lost my slot twice last week and support took 3 days to answer."


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _answer(client: FlaskClient, db: Session, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    """A detractor's answer, curated (excerpt, name, photo) and annotated (follow-up notes)."""
    write = tenant.headers("write")
    body = {"score": 3, "comment": COMMENT, "name": "Dana Ruiz", "role": "Office manager"}
    item = client.post(f"{API}/responses", json={**body, **fields}, headers=write).json
    tid = db.scalar(select(Curated.id).where(Curated.item_id == item["id"]))
    client.patch(
        f"{API}/testimonials/{tid}",
        json={"excerpt": "lost my slot twice", "display_name": "Dana R."},
        headers=write,
    )
    photo = {"photo": (io.BytesIO(_png()), "me.png")}
    client.put(
        f"{API}/testimonials/{tid}/photo",
        data=photo,
        content_type="multipart/form-data",
        headers=write,
    )
    follow_up = client.get(f"{API}/follow-ups?per_page=100", headers=write).json["items"]
    follow_up_id = next(f["id"] for f in follow_up if f["item_id"] == item["id"])
    client.patch(
        f"{API}/follow-ups/{follow_up_id}",
        json={"notes": "Called Dana Ruiz on 0170 555 0101"},
        headers=write,
    )
    return {"item_id": item["id"], "testimonial_id": tid}


def _erase(client: FlaskClient, tenant: Tenant, scope: str = "write", **body: Any) -> Any:
    return client.post(f"{API}/erasures", json=body, headers=tenant.headers(scope))


def _row(db: Session, obj: Any, *ignored: str) -> dict[str, Any]:
    db.refresh(obj)
    return {
        column.key: getattr(obj, column.key)
        for column in inspect(type(obj)).columns
        if column.key not in ignored
    }


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.json


def test_one_answer_is_erased_exactly_as_a_persons_answers_are(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    one = _answer(client, db, tenant)
    person = _answer(client, db, tenant, email="dana@customer.example")
    kept = _answer(client, db, tenant, name="Kim Lee")

    response = _erase(client, tenant, item_id=one["item_id"])
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.json
    assert (body["kind"], body["item_id"], body["items_erased"]) == ("item", one["item_id"], 1)
    assert body["other_items_from_author"] is None and body["note"] is None
    assert _erase(client, tenant, email="dana@customer.example").json["items_erased"] == 1

    # Both paths leave the same thing behind: one list of what is personal.
    volatile = ("id", "external_id", "content_hash", "received_at", "consent_revoked_at")
    volatile += ("erased_at", "updated_at", "created_at", "decided_at", "rank_score", "item_id")
    # The second answer repeats the first, so its scores differ (no words behind them now).
    volatile += ("scored_at", "score_reasons", "specificity", "suspicion")
    erased_one, erased_person = (db.get(FeedbackItem, a["item_id"]) for a in (one, person))
    assert _row(db, erased_one, *volatile) == _row(db, erased_person, *volatile)
    curated = [db.get(Curated, a["testimonial_id"]) for a in (one, person)]
    assert _row(db, curated[0], *volatile) == _row(db, curated[1], *volatile)

    assert erased_one.text == "[erased]" and erased_one.author_name is None
    assert erased_one.consent_state == "revoked" and erased_one.nps_score == 3
    assert curated[0].photo is None and curated[0].excerpt is None
    assert curated[0].display_name is None and curated[0].status == "rejected"
    audit = db.scalars(select(AuditEntry).where(AuditEntry.testimonial_id == curated[0].id))
    assert all(e.before is None and e.after is None for e in audit)
    note = db.scalar(select(FollowUp.notes).where(FollowUp.item_id == one["item_id"]))
    assert note == ""

    # The third answer is untouched, and nothing of Dana is left in the API.
    untouched = db.get(FeedbackItem, kept["item_id"])
    assert untouched.text == COMMENT and untouched.author_name == "Kim Lee"
    listed = client.get(f"{API}/feedback?per_page=100", headers=tenant.headers())
    assert "Dana" not in listed.get_data(as_text=True)
    assert [item["text"] for item in listed.json["items"]].count(COMMENT) == 1


def test_erasing_one_answer_is_recorded_without_personal_data_and_says_who_asked(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    answer = _answer(client, db, tenant)
    _erase(client, tenant, item_id=answer["item_id"])
    record = db.scalar(select(Erasure))
    assert record is not None
    assert (record.kind, record.item_id, record.subject_hash) == ("item", answer["item_id"], None)
    assert record.requested_by_api_key_id == tenant.write_key_id
    assert record.requested_by_id is None


def test_an_answer_with_an_address_says_the_others_from_it_were_not_erased(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    first = _answer(client, db, tenant, email="Dana@Customer.example")
    second = _answer(client, db, tenant, email="dana@customer.example")

    body = _erase(client, tenant, item_id=first["item_id"]).json
    assert body["other_items_from_author"] == 1
    assert "1 other item from that address" in body["note"] and '{"email"' in body["note"]
    assert "dana@" not in str(body).lower()
    assert db.get(FeedbackItem, second["item_id"]).author_name == "Dana Ruiz"

    # Erasing by e-mail then takes the rest; the first is not counted twice.
    assert _erase(client, tenant, email="dana@customer.example").json["items_erased"] == 1


def test_an_answer_already_erased_is_a_conflict_and_not_recorded_again(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    answer = _answer(client, db, tenant)
    assert _erase(client, tenant, item_id=answer["item_id"]).status_code == 201
    problem = _problem(_erase(client, tenant, item_id=answer["item_id"]), 409)
    assert "already erased" in problem["detail"]
    assert db.scalar(select(func.count()).select_from(Erasure)) == 1


def test_an_address_with_nothing_on_file_is_still_recorded(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    body = _erase(client, tenant, email="nobody@nowhere.example").json
    assert (body["kind"], body["items_erased"], body["invitations_erased"]) == ("respondent", 0, 0)
    record = db.scalar(select(Erasure))
    assert record is not None and record.subject_hash and "nobody" not in record.subject_hash
    assert record.requested_by_api_key_id == tenant.write_key_id


def test_exactly_one_of_email_or_item_id_with_per_field_errors(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    answer = _answer(client, db, tenant, email="dana@customer.example")
    for body in (
        {},
        {"email": "dana@customer.example", "item_id": answer["item_id"]},
    ):
        problem = _problem(_erase(client, tenant, **body), 422)
        assert set(problem["errors"]) == {"email", "item_id"}, body
    assert "email" in _problem(_erase(client, tenant, email="dana at customer"), 422)["errors"]
    for bad in ("7", 0, None):
        assert "item_id" in _problem(_erase(client, tenant, item_id=bad), 422)["errors"], bad
    assert _problem(_erase(client, tenant, item_id=10**9), 404)["errors"] == {
        "item_id": ["No such item."]
    }
    assert db.scalar(select(func.count()).select_from(Erasure)) == 0
    assert db.get(FeedbackItem, answer["item_id"]).author_name == "Dana Ruiz"


def test_another_workspaces_answer_is_not_found_and_stays(
    client: FlaskClient, make_tenant: Callable[[str], Tenant], db: Session
) -> None:
    mine, theirs = make_tenant("Alpha Co"), make_tenant("Beta Co")
    their_answer = _answer(client, db, theirs, email="dana@customer.example")
    _problem(_erase(client, mine, item_id=their_answer["item_id"]), 404)
    # By e-mail, only the caller's own workspace is searched.
    assert _erase(client, mine, email="dana@customer.example").json["items_erased"] == 0
    item = db.get(FeedbackItem, their_answer["item_id"])
    assert item.text == COMMENT and item.author_email == "dana@customer.example"


def test_a_read_key_cannot_erase(client: FlaskClient, tenant: Tenant, db: Session) -> None:
    answer = _answer(client, db, tenant)
    _problem(_erase(client, tenant, "read", item_id=answer["item_id"]), 403)
    _problem(_erase(client, tenant, "read", email="dana@customer.example"), 403)
    assert db.get(FeedbackItem, answer["item_id"]).erased_at is None


def test_the_history_lists_erasures_newest_first_without_the_address(
    client: FlaskClient, make_tenant: Callable[[str], Tenant], db: Session
) -> None:
    mine, theirs = make_tenant("Alpha Co"), make_tenant("Beta Co")
    answer = _answer(client, db, mine, email="dana@customer.example")
    _erase(client, mine, item_id=answer["item_id"])
    _erase(client, mine, email="dana@customer.example")
    _erase(client, theirs, email="someone@else.example")
    response = client.get(f"{API}/erasures", headers=mine.headers("read"))
    assert response.status_code == 200
    page = response.json
    assert page["total"] == 2
    assert [(e["kind"], e["item_id"]) for e in page["items"]] == [
        ("respondent", None),
        ("item", answer["item_id"]),
    ]
    assert all(e["requested_by"] == "API key “write key”" for e in page["items"])
    assert "dana" not in response.get_data(as_text=True)
