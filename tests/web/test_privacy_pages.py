"""Settings → Privacy: owners erase a person or one answer after confirming; others only look."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from testimonials.curation.models import Testimonial as Curated
from testimonials.harvest.models import FeedbackItem
from testimonials.privacy.models import Erasure
from tests.conftest import Tenant, csrf_token, login

PAGE = "/settings/privacy"
WORDS = "Rescheduling with Dr Okafor took one tap and saved me a 40 minute phone queue."
NAME = "Marguerite Okonkwo-Bell"


def _answer(client: FlaskClient, db: Session, tenant: Tenant, **fields: Any) -> FeedbackItem:
    body = {"score": 10, "comment": WORDS, "name": NAME, **fields}
    body["consent"] = {"granted": True, "text": "You may quote me.", "version": "v1"}
    response = client.post("/api/v1/responses", json=body, headers=tenant.headers("write"))
    assert response.status_code == 201, response.get_data(as_text=True)
    item = db.get(FeedbackItem, response.json["id"])
    assert item is not None
    return item


def _testimonial_id(db: Session, item: FeedbackItem) -> int:
    tid = db.scalar(select(Curated.id).where(Curated.item_id == item.id))
    assert tid is not None
    return tid


def _erasures(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Erasure)) or 0


def _session_cookie(client: FlaskClient) -> str:
    """The session cookie's payload, decoded (it is signed, not encrypted)."""
    cookie = client.get_cookie("session")
    if cookie is None:
        return ""
    payload = cookie.value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if cookie.value.startswith(".") else raw).decode()


def _post(client: FlaskClient, url: str, form_page: str, **data: str) -> TestResponse:
    token = csrf_token(client.get(form_page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_an_owner_erases_a_person_by_email_after_seeing_what_will_go(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    first = _answer(client, db, tenant, email="Marguerite@Patient.example")
    second = _answer(client, db, tenant, email="marguerite@patient.example", comment="Again.")
    login(client, tenant.owner.email)

    confirm = _post(client, PAGE, PAGE, email="marguerite@patient.example")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "permanently erases 2 answers from this address" in html
    assert "This cannot be undone." in html
    assert "name, e-mail address, role, company" in html
    db.refresh(first)
    assert first.erased_at is None and _erasures(db) == 0  # nothing yet

    done = client.post(
        PAGE,
        data={
            "csrf_token": csrf_token(html),
            "email": "marguerite@patient.example",
            "confirmed": "yes",
        },
    )
    assert done.status_code == 302
    # The message waits in the session cookie (signed, readable): without the address.
    cookie = _session_cookie(client)
    assert "Erased 2 answers" in cookie and "marguerite" not in cookie.lower()
    page = client.get(PAGE).get_data(as_text=True)
    assert "Erased 2 answers and 0 invitations from that address." in page
    for item in (first, second):
        db.refresh(item)
        assert item.erased_at is not None and item.text == "[erased]"
    record = db.scalar(select(Erasure))
    assert record is not None and record.kind == "respondent"
    assert record.requested_by_id == tenant.owner.id

    # The history says when, who and how many; the address is nowhere, cookie included.
    assert tenant.owner.email in page and "A person, by e-mail address" in page
    assert "marguerite" not in page.lower()


def test_bad_input_is_explained_and_nothing_found_is_still_recorded(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    for typed in ("", "marguerite at patient.example"):
        response = _post(client, PAGE, PAGE, email=typed)
        assert response.status_code == 422
        assert 'class="field-error"' in response.get_data(as_text=True)
    assert _erasures(db) == 0

    confirm = _post(client, PAGE, PAGE, email="nobody@nowhere.example")
    html = confirm.get_data(as_text=True)
    assert "Nothing from this address is on file." in html and "Record the request" in html
    done = client.post(
        PAGE,
        data={
            "csrf_token": csrf_token(html),
            "email": "nobody@nowhere.example",
            "confirmed": "yes",
        },
        follow_redirects=True,
    )
    assert "Nothing from that address was on file." in done.get_data(as_text=True)
    record = db.scalar(select(Erasure))
    assert record is not None and record.items_erased == 0 and record.subject_hash


def test_an_owner_erases_one_answer_from_the_inbox_and_it_shows_as_erased(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    item = _answer(client, db, tenant)
    other = _answer(client, db, tenant, name="Kim Lee", comment="Kim's own words, kept.")
    tid = _testimonial_id(db, item)
    login(client, tenant.owner.email)

    edit = client.get(f"/inbox/{tid}").get_data(as_text=True)
    link = f"{PAGE}/items/{item.id}/erase?next=/inbox/{tid}"
    assert f'href="{link}"' in edit
    confirm = client.get(link)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and WORDS in html and "This cannot be undone." in html
    assert "Only this answer" not in html  # it had no e-mail address: nothing else to say

    done = client.post(
        f"{PAGE}/items/{item.id}/erase",
        data={"csrf_token": csrf_token(html), "scope": "item", "next": f"/inbox/{tid}"},
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/inbox/{tid}")
    shown = client.get(f"/inbox/{tid}").get_data(as_text=True)
    assert f"Erased answer #{item.id}." in shown
    assert 'data-role="erased"' in shown and "[erased]" in shown
    assert NAME not in shown and WORDS not in shown and "Erase this answer" not in shown

    # Nowhere else either: not in the inbox, the feedback list or the API; never publishable.
    for path in ("/inbox?status=all", "/inbox", "/feedback"):
        page = client.get(path).get_data(as_text=True)
        assert NAME not in page and WORDS not in page, path
    assert "Kim Lee" in client.get("/feedback").get_data(as_text=True)
    for path in ("/api/v1/testimonials?status=all&per_page=100", "/api/v1/feedback?per_page=100"):
        body = client.get(path, headers=tenant.headers()).get_data(as_text=True)
        assert NAME not in body and WORDS not in body, path
    approve = client.post(f"/api/v1/testimonials/{tid}/approve", headers=tenant.headers("write"))
    assert approve.status_code == 409
    history = client.get(PAGE).get_data(as_text=True)
    assert f"One answer (#{item.id})" in history
    db.refresh(other)
    assert other.author_name == "Kim Lee"


def test_an_answer_with_an_address_offers_to_erase_the_person_instead(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    item = _answer(client, db, tenant, email="marguerite@patient.example")
    again = _answer(client, db, tenant, email="marguerite@patient.example", comment="Again.")
    login(client, tenant.owner.email)
    feedback = client.get("/feedback").get_data(as_text=True)
    assert f"{PAGE}/items/{item.id}/erase?next=" in feedback

    html = client.get(f"{PAGE}/items/{item.id}/erase").get_data(as_text=True)
    assert "Only this answer." in html and "1 other answer came from it" in html
    assert "Erase all 2 answers from this person" in html
    assert "patient.example" not in html.lower()

    done = client.post(
        f"{PAGE}/items/{item.id}/erase",
        data={"csrf_token": csrf_token(html), "scope": "person"},
        follow_redirects=True,
    )
    assert "Erased 2 answers and 0 invitations" in done.get_data(as_text=True)
    db.refresh(again)
    assert again.erased_at is not None
    assert db.scalar(select(Erasure.kind)) == "respondent"


def test_erasing_only_the_answer_says_the_others_stay(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    item = _answer(client, db, tenant, email="marguerite@patient.example")
    again = _answer(client, db, tenant, email="marguerite@patient.example", comment="Again.")
    login(client, tenant.owner.email)
    url = f"{PAGE}/items/{item.id}/erase"
    done = _post(client, url, url, scope="item")
    assert done.status_code == 302
    message = client.get(PAGE).get_data(as_text=True)
    assert "1 other answer from the same e-mail address was not erased." in message
    db.refresh(again)
    assert again.erased_at is None


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_see_the_history_but_cannot_erase(
    client: FlaskClient, db: Session, tenant: Tenant, role: str
) -> None:
    item = _answer(client, db, tenant)
    client.post(
        "/api/v1/erasures", json={"email": "gone@patient.example"}, headers=tenant.headers("write")
    )
    login(client, getattr(tenant, role).email)

    page = client.get(PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "API key “write key”" in html
    assert 'name="email"' not in html and "Only owners can erase" in html
    assert "gone@" not in html
    edit = client.get(f"/inbox/{_testimonial_id(db, item)}").get_data(as_text=True)
    assert "Erase this answer" not in edit
    assert "Erase this answer" not in client.get("/feedback").get_data(as_text=True)

    # Forged posts, with a valid CSRF token of their own, are refused.
    token = csrf_token(html)
    forged = client.post(
        PAGE, data={"csrf_token": token, "email": "x@patient.example", "confirmed": "yes"}
    )
    assert forged.status_code == 403
    url = f"{PAGE}/items/{item.id}/erase"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"csrf_token": token, "scope": "item"}).status_code == 403
    db.refresh(item)
    assert item.erased_at is None and _erasures(db) == 1


def test_without_a_csrf_token_nothing_is_erased(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    item = _answer(client, db, tenant)
    login(client, tenant.owner.email)
    response = client.post(f"{PAGE}/items/{item.id}/erase", data={"scope": "item"})
    assert response.status_code == 400
    db.refresh(item)
    assert item.erased_at is None and _erasures(db) == 0


def test_another_workspaces_answer_is_not_found(
    client: FlaskClient, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    mine, theirs = make_tenant("Alpha Co"), make_tenant("Beta Co")
    their_item = _answer(client, db, theirs)
    login(client, mine.owner.email)
    url = f"{PAGE}/items/{their_item.id}/erase"
    assert client.get(url).status_code == 404
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token, "scope": "item"}).status_code == 404
    db.refresh(their_item)
    assert their_item.erased_at is None


def test_customer_text_is_escaped_on_the_confirmation_page(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    item = _answer(client, db, tenant, comment="<script>alert(1)</script> great", name="<b>Eve</b>")
    login(client, tenant.owner.email)
    html = client.get(f"{PAGE}/items/{item.id}/erase").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<b>Eve</b>" not in html
    confirm = _post(client, PAGE, PAGE, email='"><script>x</script>@patient.example')
    assert "<script>x</script>" not in confirm.get_data(as_text=True)
