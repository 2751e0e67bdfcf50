"""Share images and share pages through the API: formats, ETags, caching, consent, isolation."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.curation import services as curation
from testimonials.curation.models import Testimonial as Curated
from testimonials.db import utcnow
from testimonials.harvest.models import ConsentState
from testimonials.harvest.photos import process_photo
from testimonials.privacy import services as privacy_services
from testimonials.widgets.share.models import ShareImage
from tests.api.curation_helpers import API, add, assert_problem, png_bytes
from tests.conftest import Tenant


def shared(
    db: Session, tenant: Tenant, text: str = "Booking took 2 minutes.", **fields: Any
) -> int:
    """An approved, consented testimonial: what may be shared."""
    fields.setdefault("author_name", "Dana Whitfield")
    tid = add(db, tenant, text, **fields)
    testimonial = db.get_one(Curated, tid)
    curation.approve(db, testimonial, curation.Actor(user_id=tenant.editor.id))
    db.commit()
    return tid


def image_url(tid: int, share_format: str | None = None) -> str:
    query = f"?format={share_format}" if share_format else ""
    return f"{API}/testimonials/{tid}/share-image{query}"


def cached_rows(db: Session, tid: int) -> int:
    return db.scalar(
        select(func.count()).select_from(ShareImage).where(ShareImage.testimonial_id == tid)
    )


def test_card_and_square_are_pngs_of_the_right_size(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    for share_format, size in (
        (None, (1200, 630)),
        ("card", (1200, 630)),
        ("square", (1080, 1080)),
    ):
        response = client.get(image_url(tid, share_format), headers=tenant.headers())
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert Image.open(io.BytesIO(response.data)).size == size
        assert response.headers["Cache-Control"] == "private, no-cache"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_format_is_a_clear_problem(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    problem = assert_problem(client.get(image_url(tid, "poster"), headers=tenant.headers()), 422)
    assert problem["errors"] == {"format": ["Must be one of: card, square."]}


def test_the_etag_answers_304_until_something_drawn_changes(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    first = client.get(image_url(tid), headers=tenant.headers())
    etag = first.headers["ETag"]
    again = client.get(image_url(tid), headers={**tenant.headers(), "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    # The square has its own version.
    square = client.get(
        image_url(tid, "square"), headers={**tenant.headers(), "If-None-Match": etag}
    )
    assert square.status_code == 200

    edited = client.patch(
        f"{API}/testimonials/{tid}",
        json={"display_name": "Dana W."},
        headers=tenant.headers("write"),
    )
    assert edited.status_code == 200, edited.get_data(as_text=True)
    after_edit = client.get(image_url(tid), headers={**tenant.headers(), "If-None-Match": etag})
    assert after_edit.status_code == 200 and after_edit.headers["ETag"] != etag
    assert after_edit.data != first.data


def test_the_photo_and_the_brand_colour_change_the_image(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    before = client.get(image_url(tid), headers=tenant.headers())
    photo = client.put(
        f"{API}/testimonials/{tid}/photo",
        data={"photo": (io.BytesIO(png_bytes()), "me.png")},
        headers=tenant.headers("write"),
    )
    assert photo.status_code == 200
    with_photo = client.get(image_url(tid), headers=tenant.headers())
    assert with_photo.headers["ETag"] != before.headers["ETag"]

    colour = client.put(
        f"{API}/workspace/brand-color",
        json={"brand_color": "#E11D48"},
        headers=tenant.headers("write"),
    )
    assert colour.status_code == 200 and colour.json == {"brand_color": "#e11d48"}
    assert client.get(f"{API}/workspace/brand-color", headers=tenant.headers()).json == {
        "brand_color": "#e11d48"
    }
    recoloured = client.get(image_url(tid), headers=tenant.headers())
    assert recoloured.headers["ETag"] != with_photo.headers["ETag"]
    assert Image.open(io.BytesIO(recoloured.data)).convert("RGB").getpixel((600, 5)) == (
        225,
        29,
        72,
    )


def test_a_bad_brand_colour_is_refused_with_the_field_named(
    client: FlaskClient, tenant: Tenant
) -> None:
    for bad in ("red", "#12345", "#gggggg", "javascript:alert(1)"):
        problem = assert_problem(
            client.put(
                f"{API}/workspace/brand-color",
                json={"brand_color": bad},
                headers=tenant.headers("write"),
            ),
            422,
        )
        assert "brand_color" in problem["errors"]
    cleared = client.put(
        f"{API}/workspace/brand-color", json={"brand_color": None}, headers=tenant.headers("write")
    )
    assert cleared.json == {"brand_color": None}
    read_only = client.put(
        f"{API}/workspace/brand-color", json={"brand_color": "#000000"}, headers=tenant.headers()
    )
    assert read_only.status_code == 403


def test_images_are_drawn_once_then_served_from_the_cache(
    client: FlaskClient, db: Session, tenant: Tenant, monkeypatch: Any
) -> None:
    from testimonials.widgets.share import services

    tid = shared(db, tenant)
    drawn: list[str] = []
    real = services.render_share_image

    def counting(content: Any, share_format: Any) -> bytes:
        drawn.append(share_format.value)
        return real(content, share_format)

    monkeypatch.setattr(services, "render_share_image", counting)
    first = client.get(image_url(tid), headers=tenant.headers())
    second = client.get(image_url(tid), headers=tenant.headers())
    assert first.data == second.data
    assert drawn == ["card"]
    assert cached_rows(db, tid) == 1


def test_only_approved_consented_unsuspicious_testimonials_can_be_shared(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    pending = add(db, tenant)
    problem = assert_problem(client.get(image_url(pending), headers=tenant.headers()), 409)
    assert "approved" in problem["detail"]

    suspicious = add(db, tenant, "Best ever!!!", suspicion=0.9)
    curation.approve(
        db, db.get_one(Curated, suspicious), curation.Actor(user_id=tenant.editor.id), "ok"
    )
    db.commit()
    problem = assert_problem(client.get(image_url(suspicious), headers=tenant.headers()), 409)
    assert "suspicious" in problem["detail"]

    tid = shared(db, tenant)
    assert client.get(image_url(tid), headers=tenant.headers()).status_code == 200
    item_id = db.get_one(Curated, tid).item_id
    privacy_services.revoke_consent(db, tenant.workspace.id, item_id)
    db.commit()
    problem = assert_problem(client.get(image_url(tid), headers=tenant.headers()), 409)
    assert "agreed" in problem["detail"]


def test_another_workspace_cannot_see_or_share_our_testimonials(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant: Any
) -> None:
    tid = shared(db, tenant)
    other = make_tenant("Globex")
    assert_problem(client.get(image_url(tid), headers=other.headers()), 404)
    assert_problem(
        client.put(f"{API}/testimonials/{tid}/share-page", headers=other.headers("write")), 404
    )
    assert_problem(client.get(f"{API}/testimonials/{tid}/share-page", headers=other.headers()), 404)
    # Their brand colour is theirs alone.
    client.put(
        f"{API}/workspace/brand-color",
        json={"brand_color": "#000000"},
        headers=other.headers("write"),
    )
    assert client.get(f"{API}/workspace/brand-color", headers=tenant.headers()).json == {
        "brand_color": None
    }


def test_the_share_page_opens_idempotently_and_closes_for_good(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    url = f"{API}/testimonials/{tid}/share-page"
    assert_problem(client.get(url, headers=tenant.headers()), 404)
    assert client.put(url, headers=tenant.headers()).status_code == 403  # read key
    opened = client.put(url, headers=tenant.headers("write"))
    assert opened.status_code == 200
    token = opened.json["token"]
    assert opened.json["url"].endswith(f"/t/{token}")
    assert opened.json["card_url"].endswith(f"/t/{token}/card.png")
    assert opened.json["square_url"].endswith(f"/t/{token}/square.png")
    assert client.put(url, headers=tenant.headers("write")).json["token"] == token
    assert client.get(url, headers=tenant.headers()).json["token"] == token
    assert client.get(f"/t/{token}").status_code == 200

    assert client.delete(url, headers=tenant.headers("write")).status_code == 204
    assert client.get(f"/t/{token}").status_code == 404
    reopened = client.put(url, headers=tenant.headers("write")).json["token"]
    assert reopened != token and client.get(f"/t/{token}").status_code == 404


def test_a_page_cannot_be_opened_for_what_may_not_be_shared(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    pending = add(db, tenant)
    problem = assert_problem(
        client.put(f"{API}/testimonials/{pending}/share-page", headers=tenant.headers("write")), 409
    )
    assert "approved" in problem["detail"]
    declined = add(db, tenant, consent=ConsentState.DECLINED)
    assert_problem(
        client.put(f"{API}/testimonials/{declined}/share-page", headers=tenant.headers("write")),
        409,
    )


def test_cached_images_are_dropped_when_the_testimonial_changes_or_its_author_withdraws(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    # The senders are curation and harvest; these are the signals as they send them.
    first, second, third = (shared(db, tenant, f"Quote {n}") for n in range(3))
    for tid in (first, second, third):
        client.get(image_url(tid), headers=tenant.headers())
        assert cached_rows(db, tid) == 1
    workspace_id = tenant.workspace.id
    signals.testimonials_changed.send(workspace_id, session=db, testimonial_ids=[first])
    assert cached_rows(db, first) == 0 and cached_rows(db, second) == 1
    second_item = db.get_one(Curated, second).item_id
    signals.consent_revoked.send(workspace_id, session=db, item_ids=[second_item])
    assert cached_rows(db, second) == 0
    third_item = db.get_one(Curated, third).item_id
    signals.feedback_erased.send(workspace_id, session=db, item_ids=[third_item], now=utcnow())
    assert cached_rows(db, third) == 0


def test_a_photo_processed_for_the_inbox_is_what_the_card_shows(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    testimonial = db.get_one(Curated, tid)
    photo = process_photo(png_bytes((20, 200, 20)))
    curation.set_photo(
        db, testimonial, curation.Actor(user_id=tenant.editor.id), photo.jpeg, photo.etag
    )
    db.commit()
    card = Image.open(io.BytesIO(client.get(image_url(tid), headers=tenant.headers()).data))
    r, g, b = card.convert("RGB").getpixel((80 + 52, 483 + 52))
    assert g > 150 and r < 80 and b < 80
