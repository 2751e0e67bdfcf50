"""Dashboard sign-in: sessions, CSRF, rate limiting, roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Tenant, csrf_token, login


def test_dashboard_requires_sign_in(client: FlaskClient) -> None:
    response = client.get("/feedback")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_sign_in_sets_a_safe_session_cookie_and_shows_the_workspace(
    client: FlaskClient, tenant: Tenant
) -> None:
    response = login(client, tenant.owner.email)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/feedback").get_data(as_text=True)
    assert tenant.workspace.name in page
    assert tenant.owner.email in page


def test_wrong_password_is_refused_with_a_readable_message(
    client: FlaskClient, tenant: Tenant
) -> None:
    response = login(client, tenant.owner.email, "wrong password!")
    assert response.status_code == 400
    assert "do not match an account" in response.get_data(as_text=True)
    assert client.get("/feedback").status_code == 302


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client: FlaskClient) -> None:
    response = login(client, "nobody@nowhere.example")
    assert response.status_code == 400
    assert "do not match an account" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client: FlaskClient, tenant: Tenant) -> None:
    response = client.post("/login", data={"email": tenant.owner.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/feedback").status_code == 302


def test_logout_needs_post_with_csrf(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.owner.email)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no token: still signed in
    assert client.get("/feedback").status_code == 200
    token = csrf_token(client.get("/feedback").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/feedback").status_code == 302


def test_answers_that_never_use_the_session_do_not_vary_by_cookie(
    client: FlaskClient, tenant: Tenant
) -> None:
    # A cache (a CDN before the API or the widgets) may share them between callers.
    answer = client.get("/api/v1/testimonials", headers=tenant.headers())
    assert answer.status_code == 200
    assert "Cookie" not in answer.headers.get("Vary", "")
    assert "Cookie" not in client.get("/healthz").headers.get("Vary", "")
    # Pages do depend on who is signed in.
    assert "Cookie" in client.get("/login").headers["Vary"]


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "/%5Cevil.example/", "/%5C%5Cevil.example/", "https://evil.example/"],
    ids=["scheme-relative", "backslash", "double-backslash", "absolute"],
)
def test_open_redirects_after_login_are_refused(
    client: FlaskClient, tenant: Tenant, target: str
) -> None:
    page = client.get(f"/login?next={target}")
    response = client.post(
        f"/login?next={target}",
        data={
            "email": tenant.owner.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_login_attempts_are_rate_limited(
    app_factory: Callable[..., Flask], make_tenant: Callable[[str], Tenant]
) -> None:
    app = app_factory(LOGIN_RATE_LIMIT="3 per minute")
    tenant = make_tenant("Limited Ltd")
    client = app.test_client()
    statuses = [login(client, tenant.owner.email, "wrong password!").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    # Even the right password waits until the window passes.
    assert login(client, tenant.owner.email).status_code == 429


def test_changing_the_password_ends_existing_sessions(
    client: FlaskClient, tenant: Tenant, db
) -> None:
    from testimonials.accounts import services

    login(client, tenant.owner.email)
    assert client.get("/feedback").status_code == 200
    services.set_password(db, tenant.owner, "a brand new password")
    db.commit()
    assert client.get("/feedback").status_code == 302


def test_viewer_cannot_create_api_keys_or_members(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.viewer.email)
    page = client.get("/settings/api-keys")
    assert page.status_code == 200
    assert "Create a key" not in page.get_data(as_text=True)
    token = csrf_token(page.get_data(as_text=True))
    response = client.post(
        "/settings/api-keys", data={"name": "sneaky", "scope": "write", "csrf_token": token}
    )
    assert response.status_code == 403
    response = client.post(
        "/settings/members",
        data={
            "email": "x@y.example",
            "password": "long enough pw",
            "role": "owner",
            "csrf_token": token,
        },
    )
    assert response.status_code == 403


def test_owner_creates_a_key_shown_once_then_revokes_it(
    client: FlaskClient, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    token = csrf_token(client.get("/settings/api-keys").get_data(as_text=True))
    page = client.post(
        "/settings/api-keys", data={"name": "Zapier", "scope": "read", "csrf_token": token}
    ).get_data(as_text=True)
    assert "will not be shown again" in page
    secret = page.split('id="new-api-key">')[1].split("<")[0]
    assert (
        client.get("/api/v1/workspace", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    listing = client.get("/settings/api-keys").get_data(as_text=True)
    assert secret not in listing

    from testimonials.db import get_session

    with client.application.app_context():
        from sqlalchemy import select

        from testimonials.accounts.models import ApiKey

        key_id = get_session().scalar(select(ApiKey.id).where(ApiKey.name == "Zapier"))
    response = client.post(f"/settings/api-keys/{key_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    assert (
        client.get("/api/v1/workspace", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_owner_adds_a_member_and_bad_input_is_explained(
    client: FlaskClient, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    token = csrf_token(client.get("/settings/members").get_data(as_text=True))
    bad = client.post(
        "/settings/members",
        data={"email": "not-an-email", "password": "short", "role": "editor", "csrf_token": token},
    )
    assert bad.status_code == 200
    text = bad.get_data(as_text=True)
    assert "not an e-mail address" in text and "at least 10 characters" in text.lower()
    good = client.post(
        "/settings/members",
        data={
            "email": "new@acme.example",
            "password": "long enough pw",
            "role": "editor",
            "display_name": "New Person",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "new@acme.example" in good.get_data(as_text=True)
    duplicate = client.post(
        "/settings/members",
        data={
            "email": "new@acme.example",
            "password": "long enough pw",
            "role": "editor",
            "csrf_token": token,
        },
    )
    assert "already exists" in duplicate.get_data(as_text=True)


def test_signed_in_user_only_sees_their_own_workspace(
    client: FlaskClient, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    login(client, a.owner.email)
    page = client.get("/settings/members").get_data(as_text=True)
    assert a.owner.email in page and b.owner.email not in page
    token = csrf_token(page)
    response = client.post("/workspace", data={"workspace_id": b.workspace.id, "csrf_token": token})
    assert response.status_code == 404
    assert b.owner.email not in client.get("/settings/members").get_data(as_text=True)
