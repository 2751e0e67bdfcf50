"""Public widget endpoints: what pages get, the honesty rules, caching and revocation."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from testimonials.curation import services as curation
from testimonials.curation.models import Testimonial as Curated
from testimonials.db import database_for
from testimonials.harvest.models import ConsentState
from testimonials.harvest.photos import process_photo
from testimonials.privacy.services import erase_items
from tests.api.curation_helpers import png_bytes
from tests.conftest import Tenant
from tests.widgets.helpers import make_widget, publish

MODES = ("fragment", "slot.json", "data.json", "")


def bodies(client: FlaskClient, key: str) -> dict[str, str]:
    """Every delivery mode's body for a widget."""
    out = {}
    for mode in MODES:
        response = client.get(f"/w/{key}/{mode}".rstrip("/"))
        assert response.status_code == 200, (mode, response.get_data(as_text=True))
        out[mode or "frame"] = response.get_data(as_text=True)
    return out


def test_only_approved_consented_unsuspicious_items_appear(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Shown: approved with consent, 3 weeks faster onboarding.")
    publish(db, tenant, "Pending: never approved.", approve=False)
    publish(db, tenant, "No consent was given here.", approve=False, consent=ConsentState.NOT_ASKED)
    publish(db, tenant, "Suspicious but approved anyway.", suspicion=0.9, override="I know them")
    key = make_widget(client, tenant)["public_key"]
    for mode, body in bodies(client, key).items():
        assert "Shown: approved with consent" in body, mode
        for hidden in ("Pending", "No consent", "Suspicious"):
            assert hidden not in body, (mode, hidden)
    fragment = client.get(f"/w/{key}/fragment").get_data(as_text=True)
    assert "Selected by Acme Clinics" in fragment


def test_revoking_consent_removes_the_item_from_every_mode_on_the_next_request(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    kept = publish(db, tenant, "Kept: support answered in 4 minutes on a Sunday.")
    gone = publish(db, tenant, "Withdrawn: the new dashboard saved me 2 hours a week.")
    key = make_widget(client, tenant)["public_key"]
    assert all("Withdrawn" in b for b in bodies(client, key).values())  # now cached
    item_id = db.get(Curated, gone).item_id
    response = client.post(
        f"/api/v1/feedback/{item_id}/revoke-consent", headers=tenant.headers("write")
    )
    assert response.status_code == 200
    after = bodies(client, key)
    assert all("Withdrawn" not in b for b in after.values()), after
    assert all("Kept" in b for b in after.values())
    assert kept


def test_unapproving_editing_and_erasing_show_on_the_next_request(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    first = publish(db, tenant, "Original words about the 24/7 phone line.", author_name="Dana Kim")
    key = make_widget(client, tenant)["public_key"]
    assert "Original words" in client.get(f"/w/{key}/data.json").get_data(as_text=True)
    testimonial = db.get(Curated, first)
    actor = curation.Actor(user_id=tenant.owner.id)
    curation.edit(db, testimonial, actor, {"excerpt": "Original words", "display_name": "Dana K."})
    db.commit()
    data = client.get(f"/w/{key}/data.json").get_json()
    assert data["testimonials"][0]["quote"] == "Original words"
    assert data["testimonials"][0]["name"] == "Dana K."
    curation.reject(db, testimonial, actor, "changed our mind")
    db.commit()
    assert client.get(f"/w/{key}/data.json").get_json()["testimonials"] == []
    assert client.get(f"/w/{key}/slot.json").get_json()["html"] == ""
    second = publish(db, tenant, "Erase me: the clinic in Vientiane was spotless.")
    assert "Erase me" in client.get(f"/w/{key}/fragment").get_data(as_text=True)
    erase_items(db, [db.get(Curated, second).item])
    db.commit()
    assert "Erase me" not in client.get(f"/w/{key}/fragment").get_data(as_text=True)


def test_a_warm_request_runs_no_query_and_revalidates_with_etag(
    app: Flask, client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant)
    key = make_widget(client, tenant)["public_key"]
    first = client.get(f"/w/{key}/slot.json")
    statements: list[str] = []
    engine = database_for(app).engine

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        again = client.get(f"/w/{key}/slot.json", headers={"If-None-Match": first.headers["ETag"]})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert again.status_code == 304
    assert statements == []
    cache_control = first.headers["Cache-Control"]
    assert "public" in cache_control and "stale-while-revalidate=" in cache_control
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in first.headers


def test_wall_shows_pinned_first_then_best_and_respects_the_selection(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    low = publish(db, tenant, "Pinned though ranked low: parking was easy.", specificity=0.1)
    publish(
        db, tenant, "Best ranked: 3 visits, each under 10 minutes.", specificity=0.9, language="en"
    )
    publish(db, tenant, "In Lao, ranked high.", specificity=0.8, language="lo")
    widget = make_widget(
        client, tenant, selection={"pinned_ids": [low], "languages": ["en"], "max_items": 2}
    )
    data = client.get(f"/w/{widget['public_key']}/data.json").get_json()
    quotes = [t["quote"] for t in data["testimonials"]]
    assert quotes[0].startswith("Pinned")
    assert len(quotes) == 2 and "In Lao" not in " ".join(quotes)


def test_rating_badge_counts_every_genuine_rating_not_only_approved_ones(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Great: 5 stars.", rating=5)
    publish(db, tenant, "Not approved, 1 star, still counts.", rating=1, approve=False)
    publish(
        db,
        tenant,
        "No consent to quote, 3 stars, counts.",
        rating=3,
        approve=False,
        consent=ConsentState.DECLINED,
    )
    publish(db, tenant, "Fake-looking 5 stars.", rating=5, approve=False, suspicion=0.95)
    widget = make_widget(client, tenant, kind="rating")
    fragment = client.get(f"/w/{widget['public_key']}/fragment").get_data(as_text=True)
    assert "3.0" in fragment and "out of 5" in fragment
    assert "all 3 genuine ratings" in fragment
    basis = client.get("/api/v1/widgets/rating-basis", headers=tenant.headers()).get_json()
    assert basis["count"] == 3 and basis["average"] == "3.0"
    assert list(basis["exclusions"].values()) == [1]
    assert "suspected fake" in next(iter(basis["exclusions"]))


def test_incentivised_testimonials_carry_their_disclosure(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = publish(db, tenant, "I got a free month for this review, and the app is solid.")
    item = db.get(Curated, tid).item
    item.score_reasons = [
        {"code": "incentivised", "message": "x", "weight": 0.6, "kind": "suspicion"}
    ]
    db.commit()
    key = make_widget(client, tenant)["public_key"]
    for mode, body in bodies(client, key).items():
        assert "Received an incentive for this review" in body, mode


def test_allowed_origins_refuse_other_sites_but_not_server_side_includes(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant)
    key = make_widget(client, tenant, allowed_origins=["https://shop.example"])["public_key"]
    ok = client.get(f"/w/{key}/slot.json", headers={"Origin": "https://shop.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "Origin" in ok.headers["Vary"]
    refused = client.get(f"/w/{key}/slot.json", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert client.get(f"/w/{key}/fragment").status_code == 200
    frame = client.get(f"/w/{key}")
    assert "frame-ancestors https://shop.example" in frame.headers["Content-Security-Policy"]


def test_frame_may_be_framed_anywhere_by_default(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant)
    key = make_widget(client, tenant)["public_key"]
    frame = client.get(f"/w/{key}")
    assert "frame-ancestors *" in frame.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in frame.headers


def test_oembed_gives_the_iframe_for_a_widget_url(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant)
    key = make_widget(client, tenant, name="Home <wall>")["public_key"]
    response = client.get("/oembed", query_string={"url": f"http://localhost/w/{key}"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["type"] == "rich" and body["version"] == "1.0"
    assert f'src="http://localhost/w/{key}"' in body["html"]
    assert body["height"] > 0
    assert client.get("/oembed", query_string={"url": "http://localhost/w/nope"}).status_code == 404
    assert (
        client.get(
            "/oembed", query_string={"url": "https://elsewhere.example/w/" + key}
        ).status_code
        == 404
    )
    assert (
        client.get(
            "/oembed", query_string={"url": f"http://localhost/w/{key}", "format": "xml"}
        ).status_code
        == 501
    )


def test_unknown_widget_is_a_clear_404(client: FlaskClient) -> None:
    response = client.get("/w/doesnotexist/slot.json")
    assert response.status_code == 404
    assert "embed code" in response.get_data(as_text=True)


def test_heights_reserved_equal_the_widget_heights(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    for n in range(5):
        publish(db, tenant, f"Quote number {n}: the team replied in {n + 2} minutes.")
    key = make_widget(client, tenant)["public_key"]
    slot = client.get(f"/w/{key}/slot.json").get_json()
    slot_css = client.get(f"/w/{key}/slot.css").get_data(as_text=True)
    widget_css = client.get(f"/w/{key}/widget.css").get_data(as_text=True)
    for height in slot["heights"].values():
        assert f"height:{height}px" in slot_css
        assert f"height:{height}px" in widget_css
    # five cards: 5 rows on a phone, 3 on a tablet, 2 on a desktop
    assert slot["heights"]["phone"] > slot["heights"]["tablet"] > slot["heights"]["desktop"]
    assert json.loads(json.dumps(slot))  # plain JSON
    assert re.search(r"@media \(min-width:1024px\)", slot_css)


def test_a_cold_render_runs_a_handful_of_queries(
    app: Flask, client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    for n in range(12):
        publish(db, tenant, f"Quote {n}: the clinic called back in {n + 3} minutes.", rating=5)
    pinned = publish(db, tenant, "Pinned quote about the 2-minute booking.")
    key = make_widget(
        client,
        tenant,
        selection={"pinned_ids": [pinned]},
        structured_data={"type": "Product", "name": "Scheduler"},
    )["public_key"]
    statements: list[str] = []
    engine = database_for(app).engine

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(f"/w/{key}/fragment").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # widget, workspace name, pinned, selection, rating (no query per card)
    assert len(statements) <= 5, statements


def test_insider_testimonials_carry_the_disclosure_a_curator_sets(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = publish(db, tenant, "Best scheduling tool I have used in 10 years.")
    key = make_widget(client, tenant)["public_key"]
    assert "Works for" not in client.get(f"/w/{key}/fragment").get_data(as_text=True)
    url = f"/api/v1/testimonials/{tid}"
    bad = client.patch(url, json={"disclosure": "cousin"}, headers=tenant.headers("write"))
    assert bad.status_code == 422
    response = client.patch(url, json={"disclosure": "employee"}, headers=tenant.headers("write"))
    assert response.status_code == 200
    assert response.get_json()["disclosure"] == "employee"
    for mode, body in bodies(client, key).items():
        assert "Works for Acme Clinics" in body, mode
    client.patch(url, json={"disclosure": None}, headers=tenant.headers("write"))
    assert "Works for" not in client.get(f"/w/{key}/fragment").get_data(as_text=True)


def test_warm_answers_from_the_fast_path_equal_the_first_answer(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant)
    key = make_widget(client, tenant)["public_key"]
    for tail in ("slot.json", "fragment", "data.json", "widget.css", "slot.css"):
        first = client.get(f"/w/{key}/{tail}")  # rendered by Flask's view
        again = client.get(f"/w/{key}/{tail}")  # answered from the cache, before Flask
        assert again.data == first.data, tail
        for header in (
            "Content-Type",
            "ETag",
            "Cache-Control",
            "Access-Control-Allow-Origin",
            "X-Content-Type-Options",
            "Cross-Origin-Resource-Policy",
        ):
            assert again.headers.get(header) == first.headers.get(header), (tail, header)
        assert "Set-Cookie" not in again.headers
        assert "max-age=5" in again.headers["Cache-Control"]
        not_modified = client.get(
            f"/w/{key}/{tail}", headers={"If-None-Match": first.headers["ETag"]}
        )
        assert not_modified.status_code == 304 and not_modified.data == b""


def test_json_leaves_hidden_fields_out_and_the_caption_cannot_be_removed(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Setup took one afternoon.", author_role="CTO", author_company="Lumen")
    widget = make_widget(
        client,
        tenant,
        caption="Hand-picked by {company}",
        fields={"role": False, "company": False, "rating": False, "photo": False},
    )
    data = client.get(f"/w/{widget['public_key']}/data.json").get_json()
    [card] = data["testimonials"]
    assert card["role"] is None and card["company"] is None and card["rating"] is None
    assert data["widget"]["caption"] == "Hand-picked by Acme Clinics"
    fragment = client.get(f"/w/{widget['public_key']}/fragment").get_data(as_text=True)
    assert "CTO" not in fragment and "Lumen" not in fragment
    removed = client.patch(
        f"/api/v1/widgets/{widget['id']}", json={"caption": ""}, headers=tenant.headers("write")
    )
    assert removed.status_code == 422 and "caption" in removed.get_json()["errors"]


def test_ratings_of_erased_answers_still_count(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Five stars from me.", rating=5)
    erased = publish(db, tenant, "Two stars, then I asked to be forgotten.", rating=2)
    erase_items(db, [db.get(Curated, erased).item])
    db.commit()
    key = make_widget(client, tenant, kind="rating")["public_key"]
    fragment = client.get(f"/w/{key}/fragment").get_data(as_text=True)
    assert "3.5" in fragment and "all 2 genuine ratings" in fragment


def test_photos_are_served_only_while_a_widget_shows_them(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = publish(db, tenant, "The photo shows me at the clinic's opening.")
    testimonial = db.get(Curated, tid)
    photo = process_photo(png_bytes())
    curation.set_photo(
        db, testimonial, curation.Actor(user_id=tenant.owner.id), photo.jpeg, photo.etag
    )
    db.commit()
    key = make_widget(client, tenant)["public_key"]
    url = client.get(f"/w/{key}/data.json").get_json()["testimonials"][0]["photo_url"]
    assert url and f"/w/{key}/photos/{tid}.jpg" in url
    assert f'src="{url}"' in client.get(f"/w/{key}/fragment").get_data(as_text=True)
    image = client.get(url)
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    curation.reject(db, testimonial, curation.Actor(user_id=tenant.owner.id))
    db.commit()
    assert client.get(url).status_code == 404
