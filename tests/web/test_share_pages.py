"""The public share page (/t/<token>) and the dashboard's share view and download link."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy.orm import Session

from testimonials.curation import services as curation
from testimonials.curation.models import Testimonial as Curated
from testimonials.privacy import services as privacy
from testimonials.privacy import services as privacy_services
from testimonials.widgets.share import services as share
from tests.api.test_share_images import shared
from tests.conftest import Tenant, csrf_token, login

INJECTIONS = [
    '<script>alert("quote")</script>',
    '"><img src=x onerror=alert(1)>',
    "</blockquote><svg onload=alert(1)>",
    "javascript:alert(1)",
    "\u202eevil override\u202c and <b>bold</b>",
    "' onmouseover='alert(1)",
]


def open_page(db: Session, tid: int) -> str:
    token = share.open_share_page(db, db.get_one(Curated, tid)).token
    db.commit()
    return token


def meta(page: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page)
    assert match, f"no {key} meta tag"
    return html.unescape(match.group(1))


def test_the_public_page_shows_the_quote_with_open_graph_and_twitter_cards(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(
        db,
        tenant,
        "ក្រុមការងាររបស់យើងសន្សំពេលវេលាបានច្រើន។",
        author_role="Head of Sales",
        author_company="Phnom Penh Coffee",
        language="km",
    )
    token = open_page(db, tid)
    response = client.get(f"/t/{token}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, no-cache"
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert 'lang="km"' in page and "ក្រុមការងាររបស់យើងសន្សំពេលវេលាបានច្រើន។" in page
    assert "Dana Whitfield" in page and "Head of Sales · Phnom Penh Coffee" in page
    image = meta(page, "og:image")
    assert image.startswith("http://localhost/t/") and f"/t/{token}/card.png?v=" in image
    assert meta(page, "twitter:image") == image
    assert meta(page, "twitter:card") == "summary_large_image"
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    assert meta(page, "og:url") == f"http://localhost/t/{token}"
    assert "Dana Whitfield" in meta(page, "og:title")
    assert meta(page, "og:description").startswith("ក្រុមការងារ")
    # The image the crawlers fetch is public, revalidated, and the card.
    card = client.get(image.removeprefix("http://localhost"))
    assert card.status_code == 200 and card.mimetype == "image/png"
    assert card.headers["Cache-Control"] == "public, no-cache"
    assert Image.open(io.BytesIO(card.data)).size == (1200, 630)
    square = client.get(f"/t/{token}/square.png")
    assert Image.open(io.BytesIO(square.data)).size == (1080, 1080)
    assert client.get(f"/t/{token}/poster.png").status_code == 400
    again = client.get(f"/t/{token}/card.png", headers={"If-None-Match": card.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("injection", INJECTIONS)
def test_customer_text_is_escaped_everywhere_on_the_public_page(
    client: FlaskClient, db: Session, tenant: Tenant, injection: str
) -> None:
    tid = shared(
        db,
        tenant,
        f"Great tool {injection}",
        author_name=f"Dana {injection}",
        author_role=injection,
        author_company=injection,
    )
    token = open_page(db, tid)
    page = client.get(f"/t/{token}").get_data(as_text=True)
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>bold</b>", "onmouseover='"):
        assert raw not in page
    quote = re.search(
        r'<blockquote lang="und" dir="auto" data-role="quote">([^<]*)</blockquote>', page
    )
    assert quote and html.unescape(quote.group(1)) == f"Great tool {injection}"
    name = re.search(r'<strong data-role="name">([^<]*)</strong>', page)
    assert name and html.unescape(name.group(1)) == f"Dana {injection}"
    # Inside attributes, quotes are escaped too: the meta tags stay one attribute each.
    assert meta(page, "og:description").startswith("Great tool ")
    assert injection in meta(page, "og:title")


@pytest.mark.parametrize("withdraw", ["revoke", "unapprove", "erase", "close"])
def test_the_page_and_its_images_are_gone_once_the_testimonial_may_not_be_shown(
    client: FlaskClient, db: Session, tenant: Tenant, withdraw: str
) -> None:
    tid = shared(db, tenant)
    token = open_page(db, tid)
    assert client.get(f"/t/{token}").status_code == 200
    assert client.get(f"/t/{token}/card.png").status_code == 200
    testimonial = db.get_one(Curated, tid)
    actor = curation.Actor(user_id=tenant.editor.id)
    if withdraw == "revoke":
        privacy_services.revoke_consent(db, tenant.workspace.id, testimonial.item_id)
    elif withdraw == "unapprove":
        curation.reject(db, testimonial, actor, "changed our mind")
    elif withdraw == "erase":
        privacy.erase_item(db, tenant.workspace.id, testimonial.item_id, tenant.owner.id)
    else:
        share.close_share_page(db, testimonial)
    db.commit()
    for path in (f"/t/{token}", f"/t/{token}/card.png", f"/t/{token}/square.png"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Dana" not in response.get_data(as_text=True)


def test_an_unknown_link_is_not_found(client: FlaskClient) -> None:
    assert client.get("/t/not-a-real-token").status_code == 404
    assert client.get("/t/not-a-real-token/card.png").status_code == 404


def test_the_edit_page_offers_the_image_download(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    login(client, tenant.viewer.email)
    page = client.get(f"/inbox/{tid}").get_data(as_text=True)
    match = re.search(
        r'<a href="([^"]+)" download data-role="download-image">Download image</a>', page
    )
    assert match
    download = client.get(html.unescape(match.group(1)))
    assert download.status_code == 200 and download.mimetype == "image/png"
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="testimonial-{tid}-card.png"'
    )
    assert download.headers["Cache-Control"] == "private, no-cache"
    assert Image.open(io.BytesIO(download.data)).size == (1200, 630)
    square = client.get(f"/inbox/{tid}/share-image.png?format=square&download=1")
    assert Image.open(io.BytesIO(square.data)).size == (1080, 1080)


def test_an_editor_opens_and_closes_the_share_page_from_the_dashboard(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    login(client, tenant.editor.email)
    page = client.get(f"/inbox/{tid}/share").get_data(as_text=True)
    assert "Social card, 1200×630" in page and "Open a share page" in page
    opened = client.post(
        f"/inbox/{tid}/share",
        data={"csrf_token": csrf_token(page), "action": "open"},
        follow_redirects=True,
    )
    text = opened.get_data(as_text=True)
    assert "anyone with the link can see it" in text
    link = re.search(r'data-role="share-link">([^<]+)<', text)
    assert link and client.get(link.group(1).removeprefix("http://localhost")).status_code == 200
    closed = client.post(
        f"/inbox/{tid}/share",
        data={"csrf_token": csrf_token(text), "action": "close"},
        follow_redirects=True,
    )
    assert "no longer works" in closed.get_data(as_text=True)
    assert client.get(link.group(1).removeprefix("http://localhost")).status_code == 404


def test_a_viewer_sees_the_images_but_cannot_open_a_page(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    login(client, tenant.viewer.email)
    page = client.get(f"/inbox/{tid}/share").get_data(as_text=True)
    assert "Download image" in page and "Open a share page" not in page
    refused = client.post(f"/inbox/{tid}/share", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 403


def test_what_may_not_be_shared_says_why_on_the_dashboard(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    from tests.api.curation_helpers import add

    pending = add(db, tenant)
    login(client, tenant.editor.email)
    edit = client.get(f"/inbox/{pending}").get_data(as_text=True)
    assert 'data-role="download-image"' not in edit
    assert "Images and share page: Only approved testimonials can be shared." in edit
    page = client.get(f"/inbox/{pending}/share").get_data(as_text=True)
    assert "Only approved testimonials can be shared." in page
    assert "Download image" not in page
    download = client.get(f"/inbox/{pending}/share-image.png")
    assert download.status_code == 409
    assert "Only approved testimonials" in download.get_data(as_text=True)


def test_an_owner_sets_the_brand_colour_and_bad_colours_are_explained(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    login(client, tenant.owner.email)
    page = client.get(f"/inbox/{tid}/share").get_data(as_text=True)
    saved = client.post(
        "/settings/brand-color",
        data={
            "csrf_token": csrf_token(page),
            "brand_color": "#0f766e",
            "next": f"/inbox/{tid}/share",
        },
        follow_redirects=True,
    )
    assert "Brand colour saved" in saved.get_data(as_text=True)
    card = client.get(f"/inbox/{tid}/share-image.png")
    assert Image.open(io.BytesIO(card.data)).convert("RGB").getpixel((600, 5)) == (15, 118, 110)
    bad = client.post(
        "/settings/brand-color",
        data={
            "csrf_token": csrf_token(page),
            "brand_color": "teal",
            "next": "https://evil.example/",
        },
        follow_redirects=True,
    )
    assert "six hexadecimal digits" in bad.get_data(as_text=True)


def test_editors_cannot_change_the_brand_colour(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = shared(db, tenant)
    login(client, tenant.editor.email)
    page = client.get(f"/inbox/{tid}/share").get_data(as_text=True)
    assert "owners can change it" in page
    refused = client.post(
        "/settings/brand-color", data={"csrf_token": csrf_token(page), "brand_color": "#000000"}
    )
    assert refused.status_code == 403


def test_another_workspaces_testimonial_is_not_found_on_the_dashboard(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant: Any
) -> None:
    tid = shared(db, tenant)
    other = make_tenant("Globex")
    login(client, other.owner.email)
    assert client.get(f"/inbox/{tid}/share").status_code == 404
    assert client.get(f"/inbox/{tid}/share-image.png").status_code == 404
