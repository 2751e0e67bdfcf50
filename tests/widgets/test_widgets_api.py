"""The widgets API: define widgets, with clear problems for bad settings, per workspace."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import Tenant
from tests.widgets.helpers import API, make_widget, publish


def test_create_widget_with_defaults_and_embed_codes(client: FlaskClient, tenant: Tenant) -> None:
    widget = make_widget(client, tenant, kind="carousel")
    assert widget["kind"] == "carousel"
    assert widget["caption"] == "Selected by {company}"
    assert widget["theme"] == {
        "mode": "light",
        "accent": "#2457d6",
        "radius": 12,
        "density": "comfortable",
        "font": "inherit",
    }
    assert widget["selection"]["max_items"] == 12
    key = widget["public_key"]
    assert f'data-testimonials-widget="{key}"' in widget["embed"]["script"]
    assert "/widgets/loader.js" in widget["embed"]["script"]
    assert f"/w/{key}/slot.css" in widget["embed"]["script"]
    assert "<iframe" in widget["embed"]["iframe"]
    listed = client.get(f"{API}/widgets", headers=tenant.headers()).get_json()
    assert [w["id"] for w in listed["items"]] == [widget["id"]]


def test_bad_settings_are_problems_naming_the_field(client: FlaskClient, tenant: Tenant) -> None:
    headers = tenant.headers("write")
    bad = [
        ({"name": "x", "kind": "tickertape"}, "kind"),
        ({"name": "x", "kind": "wall", "theme": {"accent": "red;}body{x"}}, "theme"),
        ({"name": "x", "kind": "wall", "selection": {"min_rating": 4}}, "selection"),
        ({"name": "x", "kind": "wall", "selection": {"max_items": 500}}, "selection"),
        (
            {
                "name": "x",
                "kind": "wall",
                "structured_data": {"type": "Organization", "name": "Us"},
            },
            "structured_data",
        ),
        (
            {"name": "x", "kind": "wall", "allowed_origins": ["https://a.example/path"]},
            "allowed_origins",
        ),
    ]
    for body, field in bad:
        response = client.post(f"{API}/widgets", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
        assert field in response.get_json()["errors"], response.get_json()


def test_custom_css_cannot_reach_outside_the_widget(client: FlaskClient, tenant: Tenant) -> None:
    headers = tenant.headers("write")
    for css in (
        "@import 'x.css';",
        ".a{background:url(https://evil.example/x)}",
        "} body{display:none",
        ".a{color:red",
    ):
        body = {"name": "x", "kind": "wall", "custom_css": css}
        response = client.post(f"{API}/widgets", json=body, headers=headers)
        assert response.status_code == 422, css
        assert "custom_css" in response.get_json()["errors"]
    ok = make_widget(client, tenant, custom_css=".tw-card{border-width:2px}")
    assert ok["custom_css"] == ".tw-card{border-width:2px}"


def test_tags_and_pins_must_be_the_workspaces_own(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant: Callable[[str], Tenant]
) -> None:
    other = make_tenant("Other Co")
    theirs = publish(db, other)
    response = client.post(
        f"{API}/widgets",
        json={"name": "x", "kind": "wall", "selection": {"pinned_ids": [theirs]}},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 422
    assert "pinned_ids" in response.get_json()["errors"]["selection"]
    response = client.post(
        f"{API}/widgets",
        json={"name": "x", "kind": "wall", "selection": {"tag_ids": [999999]}},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 422


def test_update_and_delete_and_other_workspaces_see_nothing(
    client: FlaskClient, tenant: Tenant, make_tenant: Callable[[str], Tenant]
) -> None:
    widget = make_widget(client, tenant)
    url = f"{API}/widgets/{widget['id']}"
    changed = client.patch(
        url, json={"name": "Pricing", "theme": {"mode": "dark"}}, headers=tenant.headers("write")
    )
    assert changed.status_code == 200
    assert changed.get_json()["name"] == "Pricing"
    assert changed.get_json()["theme"]["mode"] == "dark"
    assert changed.get_json()["kind"] == "wall"
    other = make_tenant("Other Co")
    assert client.get(url, headers=other.headers()).status_code == 404
    assert client.delete(url, headers=other.headers("write")).status_code == 404
    assert client.patch(url, json={"name": "x"}, headers=tenant.headers()).status_code == 403
    assert client.delete(url, headers=tenant.headers("write")).status_code == 204
    assert client.get(url, headers=tenant.headers()).status_code == 404
    assert client.get(f"/w/{widget['public_key']}/fragment").status_code == 404
