"""Inbox pages: roles, edits that keep the customer's words, audit, tags, photos, workspaces."""

from __future__ import annotations

import io
import re
from typing import Any

from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Tag
from testimonials.curation.models import Testimonial as Curated
from testimonials.curation.tags import create_tag
from tests.conftest import Tenant, csrf_token, login
from tests.web.inbox.helpers import JSON, add_testimonial, card_ids, page_text, token


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
