"""The curation inbox pages: filters, triage forms, guard rails, roles, edit, audit, tags."""

from __future__ import annotations

import io
import itertools
import re
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from testimonials.curation import services
from testimonials.curation.models import AuditEntry, Tag
from testimonials.curation.models import Testimonial as Curated
from testimonials.curation.tags import create_tag
from testimonials.db import utcnow
from testimonials.harvest.intake import NewFeedback, record_feedback
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem
from tests.conftest import Tenant, csrf_token, login

_ids = itertools.count(1)
JSON = {"Accept": "application/json"}


def add_testimonial(
    db: Session,
    tenant: Tenant,
    text: str,
    *,
    rank: float = 0.5,
    consent: ConsentState = ConsentState.GRANTED,
    suspicion: float = 0.1,
    excerpt: str | None = None,
    channel: Channel = Channel.API,
    source: str = "CRM sync",
    **fields: Any,
) -> Curated:
    """A scored item and its inbox entry (whether or not intake already opened one)."""
    item = record_feedback(
        db,
        tenant.workspace.id,
        NewFeedback(
            text=text,
            channel=channel,
            source_name=source,
            external_id=f"t-{next(_ids)}",
            consent_state=consent,
            consent_version="3" if consent is ConsentState.GRANTED else None,
            **fields,
        ),
    )
    item.specificity, item.suspicion = 0.7, suspicion
    item.suggested_excerpt = excerpt
    item.score_reasons = [
        {"code": "number", "message": "mentions a number or a time span", "kind": "specificity"}
    ]
    item.scored_at = utcnow()
    testimonial = db.scalar(select(Curated).where(Curated.item_id == item.id))
    if testimonial is None:
        testimonial = services.create_testimonials(db, [item])[0]
    testimonial.rank_score = rank
    db.commit()
    return testimonial


def page_text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def token(client: FlaskClient, url: str = "/inbox") -> str:
    return csrf_token(client.get(url).get_data(as_text=True))


def card_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="card inbox-card[^"]*" id="t-(\d+)"', html)]


@pytest.fixture
def editor(client: FlaskClient, tenant: Tenant) -> FlaskClient:
    login(client, tenant.editor.email)
    return client


def test_inbox_ranks_best_first_and_highlights_the_excerpt_escaped(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    low = add_testimonial(db, tenant, "Fine.", rank=0.1)
    high = add_testimonial(
        db,
        tenant,
        "We cut <b>onboarding</b> from 3 weeks to 4 days. Support is great.",
        rank=0.9,
        excerpt="from 3 weeks to 4 days",
        author_name="Ana <i>Ruiz</i>",
        verified=True,
    )
    html = page_text(editor, "/inbox")
    assert card_ids(html) == [high.id, low.id]
    assert "2 testimonials" in html
    assert (
        'We cut &lt;b&gt;onboarding&lt;/b&gt; <mark class="excerpt" title="The public excerpt">'
        "from 3 weeks to 4 days</mark>. Support is great." in html
    )
    assert "Ana &lt;i&gt;Ruiz&lt;/i&gt;" in html and "<i>Ruiz" not in html
    assert "consent: granted · v3" in html and "verified" in html
    assert "mentions a number or a time span" in html
    assert "0.70" in html and "specificity out of 1" in html


def test_filters_narrow_the_inbox(editor: FlaskClient, db: Session, tenant: Tenant) -> None:
    promoter = add_testimonial(db, tenant, "Saved us 10 hours a week", nps_score=10, language="en")
    detractor = add_testimonial(db, tenant, "Exports are slow", nps_score=3, language="de")
    rated = add_testimonial(
        db, tenant, "Five stars for support", rating=5, channel=Channel.IMPORT, source="G2"
    )
    flagged = add_testimonial(db, tenant, "BEST PRODUCT EVER buy now", suspicion=0.8)
    old = add_testimonial(db, tenant, "An old one", received_at=utcnow() - timedelta(days=90))
    tag = create_tag(db, tenant.workspace.id, "pricing page")
    services.set_tags(db, detractor, services.Actor(user_id=tenant.editor.id), [tag])
    db.commit()
    cases = {
        "group=promoter": {promoter.id},
        "group=detractor": {detractor.id},
        "rating=5": {rated.id},
        "channel=import": {rated.id},
        "source=G2": {rated.id},
        "language=de": {detractor.id},
        f"tag={tag.id}": {detractor.id},
        "flagged=yes": {flagged.id},
        "q=HOURS+week": {promoter.id},
        f"to={(utcnow() - timedelta(days=30)).date()}": {old.id},
    }
    for query, expected in cases.items():
        assert set(card_ids(page_text(editor, f"/inbox?{query}"))) == expected, query
    everything = set(card_ids(page_text(editor, "/inbox?flagged=no")))
    assert flagged.id not in everything and len(everything) == 4
    services.reject(db, old, services.Actor(user_id=tenant.editor.id))
    db.commit()
    assert card_ids(page_text(editor, "/inbox?status=rejected")) == [old.id]
    assert old.id not in card_ids(page_text(editor, "/inbox"))
    assert old.id in card_ids(page_text(editor, "/inbox?status=all"))
    # Nonsense filter values show everything instead of an error page.
    assert len(card_ids(page_text(editor, "/inbox?rating=9&channel=fax&from=soon"))) == 4


def test_pagination_25_per_page_with_totals(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    made = [add_testimonial(db, tenant, f"Comment number {n}", rank=n / 100) for n in range(30)]
    first = page_text(editor, "/inbox")
    second = page_text(editor, "/inbox?page=2")
    assert "30 testimonials" in first and "page 1 of 2" in first
    assert len(card_ids(first)) == 25 and len(card_ids(second)) == 5
    assert set(card_ids(first)) | set(card_ids(second)) == {t.id for t in made}
    assert 'href="/inbox?page=2"' in first


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


def test_viewer_sees_everything_read_only_and_gets_403(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    t = add_testimonial(db, tenant, "Great support team")
    login(client, tenant.viewer.email)
    html = page_text(client, "/inbox")
    assert "Great support team" in html
    assert ">Approve</button>" not in html and "bulk-form" not in html and "select-box" not in html
    assert "act-reject" not in html and "Undo last action" not in html
    edit = page_text(client, f"/inbox/{t.id}")
    assert "Great support team" in edit and "<textarea" not in edit
    csrf = csrf_token(edit)
    for path, data in [
        (f"/inbox/{t.id}/approve", {}),
        (f"/inbox/{t.id}/reject", {}),
        (f"/inbox/{t.id}/snooze", {"snooze": "day"}),
        (f"/inbox/{t.id}", {"excerpt": "Great"}),
        (f"/inbox/{t.id}/tags", {"new_tag": "x"}),
        ("/inbox/bulk", {"ids": str(t.id), "action": "approve"}),
        ("/inbox/undo", {}),
        ("/tags", {"name": "x"}),
    ]:
        assert client.post(path, data={"csrf_token": csrf, **data}).status_code == 403, path
    response = client.post(f"/inbox/{t.id}/approve", data={"csrf_token": csrf}, headers=JSON)
    assert response.status_code == 403 and "editor role" in response.get_json()["error"]
    db.refresh(t)
    assert t.status == "pending"


def test_editing_the_excerpt_keeps_the_original(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    original = "We cut onboarding from 3 weeks to 4 days. Teh support is great."
    t = add_testimonial(
        db,
        tenant,
        original,
        excerpt="We cut onboarding from 3 weeks to 4 days.",
        author_name="Ana Rivera",
    )
    html = page_text(editor, f"/inbox/{t.id}")
    assert "Original text" in html and "immutable" in html
    assert ">We cut onboarding from 3 weeks to 4 days.</textarea>" in html
    response = editor.post(
        f"/inbox/{t.id}",
        data={
            "csrf_token": csrf_token(html),
            "excerpt": "  The support is great.  ",
            "display_name": "Ana R.",
            "display_role": "",
            "display_company": "Acme",
        },
    )
    assert response.status_code == 302
    db.expire_all()
    t = db.get(Curated, t.id)
    assert t.excerpt == "The support is great." and t.display_name == "Ana R."
    assert t.item.text == original
    html = page_text(editor, f"/inbox/{t.id}")
    assert original in html and ">The support is great.</textarea>" in html
    # Not a substring of the original any more: the inbox shows it beside the text.
    inbox = page_text(editor, "/inbox")
    assert "Edited excerpt:" in inbox and "The support is great." in inbox
    too_long = editor.post(
        f"/inbox/{t.id}", data={"csrf_token": csrf_token(html), "excerpt": "x" * 700}
    )
    assert too_long.status_code == 422 and "600" in too_long.get_data(as_text=True)


def test_audit_page_and_item_history_list_who_what_and_change(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    t = add_testimonial(db, tenant, "Great product")
    csrf = token(editor)
    editor.post(f"/inbox/{t.id}/reject", data={"csrf_token": csrf, "reason": "Too vague"})
    editor.post("/inbox/undo", data={"csrf_token": csrf})
    db.refresh(t)
    assert t.status == "pending"
    html = page_text(editor, "/audit")
    assert "2 changes" in html
    rows = re.findall(r'<tr class="audit-entry[^"]*">(.*?)</tr>', html, re.S)
    assert "undo" in rows[0] and "Too vague" in rows[1] and "undone" in rows[1]
    assert tenant.editor.email in rows[1]
    assert re.search(
        r'status</span>: <span class="before">pending</span> → <span class="after">rejected',
        rows[1],
    )
    history = page_text(editor, f"/inbox/{t.id}")
    assert "Too vague" in history and "History" in history


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


def test_other_workspaces_testimonials_are_invisible(
    editor: FlaskClient, db: Session, tenant: Tenant, make_tenant: Any
) -> None:
    other = make_tenant("Other Co")
    theirs = add_testimonial(db, other, "Their secret praise")
    mine = add_testimonial(db, tenant, "Our praise")
    csrf = token(editor)
    assert card_ids(page_text(editor, "/inbox?status=all")) == [mine.id]
    assert editor.get(f"/inbox/{theirs.id}").status_code == 404
    assert editor.get(f"/inbox/{theirs.id}/photo.jpg").status_code == 404
    for action in ("approve", "reject", "snooze"):
        assert (
            editor.post(f"/inbox/{theirs.id}/{action}", data={"csrf_token": csrf}).status_code
            == 404
        )
    response = editor.post(
        "/inbox/bulk",
        data={"csrf_token": csrf, "action": "approve", "ids": theirs.id},
        headers=JSON,
    )
    assert response.get_json()["message"].startswith("0 approved, 1 skipped: No testimonial")
    their_tag = create_tag(db, other.workspace.id, "theirs")
    db.commit()
    assert (
        editor.post(
            f"/inbox/{mine.id}/tags", data={"csrf_token": csrf, "tag_id": their_tag.id}
        ).status_code
        == 302
    )
    db.refresh(mine)
    assert mine.tags == []
    assert "theirs" not in page_text(editor, "/tags")
    assert "Their secret praise" not in page_text(editor, "/audit")
    db.refresh(theirs)
    assert theirs.status == "pending"


def test_tags_page_editors_create_owners_delete(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    t = add_testimonial(db, tenant, "Great product")
    login(client, tenant.editor.email)
    csrf = token(client, "/tags")
    client.post("/tags", data={"csrf_token": csrf, "name": "Pricing page", "is_collection": "y"})
    tag = db.scalar(select(Tag).where(Tag.workspace_id == tenant.workspace.id))
    assert tag.name == "Pricing page" and tag.is_collection
    duplicate = client.post("/tags", data={"csrf_token": csrf, "name": "pricing  page"})
    assert duplicate.status_code == 422 and "already a tag" in duplicate.get_data(as_text=True)
    client.post(
        f"/inbox/{t.id}/tags", data={"csrf_token": csrf, "tag_id": tag.id, "new_tag": "Enterprise"}
    )
    db.expire_all()
    assert sorted(x.name for x in db.get(Curated, t.id).tags) == ["Enterprise", "Pricing page"]
    html = page_text(client, "/tags")
    assert re.search(
        r"Pricing page</span></a></td>\s*<td>collection</td>\s*<td class=\"num\">1</td>", html
    )
    assert "Delete" not in html
    assert client.post(f"/tags/{tag.id}/delete", data={"csrf_token": csrf}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf})
    login(client, tenant.owner.email)
    csrf = token(client, "/tags")
    assert client.post(f"/tags/{tag.id}/delete", data={"csrf_token": csrf}).status_code == 302
    assert db.scalar(select(Tag).where(Tag.id == tag.id)) is None


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_photo_upload_served_with_etag(editor: FlaskClient, db: Session, tenant: Tenant) -> None:
    t = add_testimonial(db, tenant, "Great product")
    csrf = token(editor, f"/inbox/{t.id}")
    response = editor.post(
        f"/inbox/{t.id}/photo",
        data={"csrf_token": csrf, "photo": (io.BytesIO(_png()), "me.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    served = editor.get(f"/inbox/{t.id}/photo.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(served.data)).size == (256, 256)
    again = editor.get(
        f"/inbox/{t.id}/photo.jpg", headers={"If-None-Match": served.headers["ETag"]}
    )
    assert again.status_code == 304
    bad = editor.post(
        f"/inbox/{t.id}/photo",
        data={"csrf_token": csrf, "photo": (io.BytesIO(b"not an image"), "x.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "not a JPEG, PNG, WebP or GIF image" in bad.get_data(as_text=True)
    editor.post(f"/inbox/{t.id}/photo/delete", data={"csrf_token": csrf})
    assert editor.get(f"/inbox/{t.id}/photo.jpg").status_code == 404


def test_inbox_query_count_does_not_grow_with_items(
    editor: FlaskClient, db: Session, tenant: Tenant, connection: Connection
) -> None:
    tag = create_tag(db, tenant.workspace.id, "homepage")

    def statements_for_inbox() -> int:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(connection, "before_cursor_execute", listener)
        try:
            page_text(editor, "/inbox")
        finally:
            event.remove(connection, "before_cursor_execute", listener)
        return len(seen)

    for n in range(3):
        services.set_tags(db, add_testimonial(db, tenant, f"Item {n}"), services.Actor(), [tag])
    few = statements_for_inbox()
    for n in range(20):
        services.set_tags(db, add_testimonial(db, tenant, f"More {n}"), services.Actor(), [tag])
    db.commit()
    # 12 before server-side sessions (one lookup per request) and the needs-fix count.
    assert statements_for_inbox() == few <= 14
    assert db.scalar(select(FeedbackItem.id).limit(1)) is not None


def test_the_edit_page_refuses_words_the_customer_never_wrote_and_keeps_what_was_typed(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    original = "Booking took 2 minutes. I would not recommend the old tool. The suport is quick."
    t = add_testimonial(db, tenant, original, author_name="Sokha Chan")
    html = page_text(editor, f"/inbox/{t.id}")
    assert "Only the customer's own words" in html
    typed = "Best booking tool ever, 10/10 <script>"
    response = editor.post(
        f"/inbox/{t.id}",
        data={"csrf_token": csrf_token(html), "excerpt": typed, "display_name": "Dara Kim"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "is not what the customer wrote" in page and "not the author&#39;s name" in page
    assert "Best booking tool ever, 10/10 &lt;script&gt;</textarea>" in page  # kept, escaped
    assert 'value="Dara Kim"' in page
    db.expire_all()
    assert db.get(Curated, t.id).excerpt is None

    response = editor.post(
        f"/inbox/{t.id}",
        data={"csrf_token": csrf_token(html), "excerpt": "I would … recommend the old tool"},
    )
    assert response.status_code == 422 and "“not”" in response.get_data(as_text=True)

    editor.post(
        f"/inbox/{t.id}",
        data={
            "csrf_token": csrf_token(html),
            "excerpt": "Booking took 2 minutes. … The support is quick.",
            "display_name": "Sokha C.",
        },
    )
    page = page_text(editor, f"/inbox/{t.id}")
    assert "Typo fixes in the saved excerpt" in page and "<del>suport</del>" in page


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
