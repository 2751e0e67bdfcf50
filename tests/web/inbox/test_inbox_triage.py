"""Triage from the inbox page: plain forms, CSRF, consent and suspicion guards, bulk and undo."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import AuditEntry
from testimonials.curation.models import Testimonial as Curated
from testimonials.curation.tags import create_tag
from testimonials.db import utcnow
from testimonials.harvest.models import ConsentState
from tests.conftest import Tenant
from tests.web.inbox.helpers import JSON, add_testimonial, card_ids, page_text, token


def test_approve_reject_snooze_through_plain_forms(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    a, b, c = (add_testimonial(db, tenant, f"Great product {n}") for n in range(3))
    csrf = token(editor)
    response = editor.post(f"/inbox/{a.id}/approve", data={"csrf_token": csrf, "next": "/inbox"})
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"
    editor.post(f"/inbox/{b.id}/reject", data={"csrf_token": csrf, "reason": "Off topic"})
    editor.post(f"/inbox/{c.id}/snooze", data={"csrf_token": csrf, "snooze": "week"})
    for t in (a, b, c):
        db.refresh(t)
    assert (a.status, b.status, c.status) == ("approved", "rejected", "snoozed")
    assert b.rejection_reason == "Off topic"
    assert timedelta(days=6) < c.snoozed_until - utcnow() <= timedelta(days=7)
    assert "Approved #" in page_text(editor, "/inbox")  # the flashed message
    # A snooze until a chosen date, and one in the past refused with a message.
    editor.post(
        f"/inbox/{a.id}/snooze", data={"csrf_token": csrf, "snooze": "date", "until": "2099-01-02"}
    )
    db.refresh(a)
    assert a.snoozed_until.isoformat().startswith("2099-01-02T00:00")
    editor.post(
        f"/inbox/{b.id}/snooze", data={"csrf_token": csrf, "snooze": "date", "until": "2001-01-01"}
    )
    db.refresh(b)
    assert b.status == "rejected"
    assert "Snooze until a future time." in page_text(editor, "/inbox")


def test_a_reason_longer_than_its_column_is_refused_with_a_message_not_cut(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    t = add_testimonial(db, tenant, "Great product")
    csrf = token(editor)
    reason = "Off topic. " * 50  # 550 characters
    editor.post(f"/inbox/{t.id}/reject", data={"csrf_token": csrf, "reason": reason})
    db.refresh(t)
    assert (t.status, t.rejection_reason) == ("pending", None)
    assert "Keep the reason to 500 characters (this one has 549)." in page_text(editor, "/inbox")
    # The same through the selection bar: refused once for the batch, nothing changed.
    response = editor.post(
        "/inbox/bulk",
        data={"csrf_token": csrf, "action": "reject", "ids": [str(t.id)], "reason": reason},
        headers=JSON,
    )
    assert response.status_code == 422 and response.get_json()["errors"] == {
        "reason": ["Longer than 500 characters."]
    }
    editor.post(f"/inbox/{t.id}/reject", data={"csrf_token": csrf, "reason": reason[:500]})
    db.refresh(t)
    assert (t.status, t.rejection_reason) == ("rejected", reason[:500].strip())


def test_posts_without_csrf_token_are_refused(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    t = add_testimonial(db, tenant, "Great product")
    assert editor.post(f"/inbox/{t.id}/approve").status_code == 400
    response = editor.post(f"/inbox/{t.id}/approve", headers=JSON)
    assert response.status_code == 400 and "reload" in response.get_json()["error"]
    db.refresh(t)
    assert t.status == "pending"


def test_csrf_header_is_accepted_for_fetch(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    t = add_testimonial(db, tenant, "Great product")
    response = editor.post(f"/inbox/{t.id}/approve", headers={**JSON, "X-CSRFToken": token(editor)})
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["testimonials"][0] == {
        "id": t.id,
        "status": "approved",
        "excerpt": "Great product",
        "rejection_reason": None,
        "snoozed_until": None,
        "tags": [],
    }


def test_consent_guard_explains_and_the_server_refuses(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    t = add_testimonial(db, tenant, "Loved it", consent=ConsentState.NOT_ASKED)
    html = page_text(editor, "/inbox")
    assert re.search(
        rf'<button type="submit" class="primary" disabled aria-describedby="why-{t.id}">', html
    )
    assert "Can’t approve: no permission to publish (consent: not asked)" in html
    csrf = token(editor)
    response = editor.post(
        f"/inbox/{t.id}/approve", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "No permission to publish" in response.get_data(as_text=True)
    response = editor.post(f"/inbox/{t.id}/approve", data={"csrf_token": csrf}, headers=JSON)
    assert response.status_code == 409
    assert "author has not agreed to be quoted" in response.get_json()["error"]
    db.refresh(t)
    assert t.status == "pending"
    assert db.scalar(select(AuditEntry).where(AuditEntry.testimonial_id == t.id)) is None


def test_suspicious_item_needs_an_override_reason(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    t = add_testimonial(db, tenant, "AMAZING!!! use code SAVE50", suspicion=0.75)
    html = page_text(editor, "/inbox")
    assert "Suspicious (0.75): why is it genuine?" in html and 'name="override_reason"' in html
    csrf = token(editor)
    response = editor.post(f"/inbox/{t.id}/approve", data={"csrf_token": csrf}, headers=JSON)
    assert response.status_code == 422
    body = response.get_json()
    assert "needs a reason" in body["error"] and "override_reason" in body["errors"]
    db.refresh(t)
    assert t.status == "pending"
    editor.post(
        f"/inbox/{t.id}/approve",
        data={"csrf_token": csrf, "override_reason": "Known customer, called them"},
    )
    db.refresh(t)
    assert t.status == "approved" and t.override_reason == "Known customer, called them"


def test_bulk_approve_reports_skips_and_undo_reverts_the_batch(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    ok1, ok2 = add_testimonial(db, tenant, "Good one"), add_testimonial(db, tenant, "Good two")
    refused = add_testimonial(db, tenant, "No consent", consent=ConsentState.DECLINED)
    csrf = token(editor)
    response = editor.post(
        "/inbox/bulk",
        data={"csrf_token": csrf, "action": "approve", "ids": [ok1.id, ok2.id, refused.id]},
        headers=JSON,
    )
    body = response.get_json()
    assert body["message"].startswith("2 approved, 1 skipped: No permission to publish")
    assert f"(#{refused.id})" in body["message"]
    assert body["skipped"] == {str(refused.id): body["skipped"][str(refused.id)]}
    assert {s["id"] for s in body["testimonials"]} == {ok1.id, ok2.id}
    editor.post("/inbox/undo", data={"csrf_token": csrf})
    for t in (ok1, ok2, refused):
        db.refresh(t)
        assert t.status == "pending"
    tag = create_tag(db, tenant.workspace.id, "homepage")
    db.commit()
    editor.post(
        "/inbox/bulk",
        data={"csrf_token": csrf, "action": "tag", "tag_id": tag.id, "ids": [ok1.id, ok2.id]},
    )
    db.expire_all()
    assert [t.name for t in db.get(Curated, ok1.id).tags] == ["homepage"]


def test_flagged_words_are_marked_in_the_inbox_and_cannot_be_approved(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    t = add_testimonial(db, tenant, "Booking took 2 minutes.", author_name="Sokha Chan")
    t.excerpt, t.honesty_problem = "Best tool ever", "Excerpt: “Best tool ever” is not theirs."
    db.commit()
    inbox = page_text(editor, "/inbox")
    assert "not the customer's words — not published" in inbox
    assert "1 testimonial needs its wording fixed" in inbox
    flagged = page_text(editor, "/inbox?status=all&needs_fix=yes")
    assert card_ids(flagged) == [t.id] and "needs its wording fixed" not in flagged
    assert "Showing only testimonials whose wording must be fixed" in flagged
    assert "Not published until fixed." in page_text(editor, f"/inbox/{t.id}")
    response = editor.post(
        f"/inbox/{t.id}/approve", data={"csrf_token": token(editor)}, headers=JSON
    )
    assert response.status_code == 409 and "wording" in response.json["error"]
    db.expire_all()
    assert db.get(Curated, t.id).status == "pending"
