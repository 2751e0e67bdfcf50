"""Dashboard pages for widgets: list, create with the form, preview, embed codes, delete."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import Tenant, csrf_token, login
from tests.widgets.helpers import make_widget, publish

FORM = {
    "name": "Pricing wall",
    "kind": "carousel",
    "caption": "Selected by {company}",
    "languages": "en km",
    "min_specificity": "0",
    "pinned_ids": "",
    "max_items": "6",
    "mode": "dark",
    "accent": "#aa3300",
    "radius": "8",
    "density": "compact",
    "font": "inherit",
    "show_photo": "on",
    "show_rating": "on",
    "custom_css": "",
    "structured_type": "",
    "allowed_origins": "",
}


def _form(client: FlaskClient, url: str, **changes: str) -> dict[str, str]:
    token = csrf_token(client.get(url).get_data(as_text=True))
    return {**FORM, "csrf_token": token, **changes}


def test_editor_creates_a_widget_and_sees_its_embed_codes(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Our no-shows fell by a third in two months.", language="en")
    login(client, tenant.editor.email)
    response = client.post("/widgets/new", data=_form(client, "/widgets/new"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pricing wall" in page and "Embed codes" in page
    assert "&lt;testimonials-widget" in page  # the script embed code, escaped in a textarea
    assert "/widgets/loader.js" in page and "/slot.css" in page and "<iframe" in page
    listing = client.get("/widgets").get_data(as_text=True)
    assert "Pricing wall" in listing


def test_bad_form_input_is_explained_not_a_500(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.editor.email)
    data = _form(client, "/widgets/new", accent="red", max_items="0", custom_css="@import 'x';")
    response = client.post("/widgets/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A colour like #2457d6." in page
    assert "max items" in page
    data = _form(client, "/widgets/new", custom_css="@import 'x';")
    response = client.post("/widgets/new", data=data)
    assert response.status_code == 422
    assert "Custom CSS may not use" in response.get_data(as_text=True)


def test_preview_renders_unsaved_settings_with_todays_testimonials(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Front desk <b>staff</b> were kind and quick.", language="en")
    widget = make_widget(client, tenant)
    login(client, tenant.viewer.email)
    token = csrf_token(client.get(f"/widgets/{widget['id']}").get_data(as_text=True))
    data = {**FORM, "kind": "wall", "csrf_token": token}
    response = client.post("/widgets/preview", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Front desk &lt;b&gt;staff&lt;/b&gt;" in html
    assert "Selected by Acme Clinics" in html
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    bad = client.post("/widgets/preview", data={**data, "accent": "nope"})
    assert "A colour like" in bad.get_data(as_text=True)


def test_viewers_see_but_cannot_change_and_editors_delete(
    client: FlaskClient, tenant: Tenant
) -> None:
    widget = make_widget(client, tenant)
    login(client, tenant.viewer.email)
    url = f"/widgets/{widget['id']}"
    assert client.get(url).status_code == 200
    response = client.post(url, data=_form(client, url, name="Changed"))
    assert response.status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client.get(url).get_data(as_text=True))})
    login(client, tenant.editor.email)
    response = client.post(url, data=_form(client, url, name="Changed"))
    assert response.status_code == 302
    assert "Changed" in client.get(url).get_data(as_text=True)
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(f"{url}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    assert client.get(f"/w/{widget['public_key']}/slot.json").status_code == 404


def test_rating_widget_page_shows_what_the_rating_counts_and_leaves_out(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Good.", rating=4)
    publish(db, tenant, "Looks fake, five stars!!!", rating=5, approve=False, suspicion=0.9)
    widget = make_widget(client, tenant, kind="rating")
    login(client, tenant.viewer.email)
    page = client.get(f"/widgets/{widget['id']}").get_data(as_text=True)
    assert "What the rating counts" in page
    assert "from all 1 genuine rating of" in page
    assert "suspected fake or spam" in page


def test_a_curator_marks_an_insider_on_the_testimonial_page(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = publish(db, tenant, "I run support here and I love our product.")
    key = make_widget(client, tenant)["public_key"]
    login(client, tenant.editor.email)
    page = client.get(f"/inbox/{tid}").get_data(as_text=True)
    assert "Disclosure shown with the quote" in page
    data = {
        "csrf_token": csrf_token(page),
        "excerpt": "I run support here and I love our product.",
        "display_name": "",
        "display_role": "",
        "display_company": "",
        "disclosure": "employee",
    }
    assert client.post(f"/inbox/{tid}", data=data).status_code == 302
    assert "Works for Acme Clinics" in client.get(f"/w/{key}/fragment").get_data(as_text=True)
    bad = client.post(f"/inbox/{tid}", data={**data, "disclosure": "cousin"})
    assert bad.status_code == 422
