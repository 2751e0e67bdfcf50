"""Sign-in sessions live on the server: signing out (or ending a session) stops a copied cookie.

The probe that found it: a session cookie copied before "Sign out" still opened /inbox.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import BadSignature
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.accounts import services, sessions
from testimonials.accounts.member_pages import device_label
from testimonials.accounts.models import SignInSession
from tests.conftest import Tenant, csrf_token, login

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def browser(app: Flask, user_agent: str = FIREFOX, address: str = "203.0.113.9") -> FlaskClient:
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": user_agent, "REMOTE_ADDR": address})
    return client


def copy_of(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another client carrying the very same cookie (what an attacker who copied it has)."""
    thief = browser(app, client.environ_base["HTTP_USER_AGENT"], client.environ_base["REMOTE_ADDR"])
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def records(db: Session, user_id: int) -> list[SignInSession]:
    db.expire_all()
    return list(db.scalars(select(SignInSession).where(SignInSession.user_id == user_id)))


def post_action(client: FlaskClient, path: str, **data: str) -> object:
    token = csrf_token(client.get("/settings/members").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def test_a_cookie_copied_before_sign_out_stops_working(app: Flask, tenant: Tenant) -> None:
    client = browser(app)
    login(client, tenant.editor.email)
    thief = copy_of(client, app)
    assert thief.get("/inbox").status_code == 200  # the copy works while the session lives

    token = csrf_token(client.get("/inbox").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302

    response = thief.get("/inbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/inbox").status_code == 302


def test_each_sign_in_is_a_record_with_browser_and_truncated_address(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    client = browser(app, FIREFOX, "203.0.113.9")
    login(client, tenant.editor.email)
    (record,) = records(db, tenant.editor.id)
    assert record.user_agent == FIREFOX
    assert record.ip_network == "203.0.113.0/24"  # never the full address
    assert record.created_at == record.last_seen_at
    cookie = client.get_cookie("session")
    assert cookie is not None
    # Only a hash of the token is stored: the table alone signs nobody in.
    assert record.token_hash not in cookie.value


def test_the_members_page_lists_my_sessions_and_ends_another(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    laptop = browser(app, FIREFOX, "203.0.113.9")
    phone = browser(app, SAFARI_IPHONE, "2001:db8:1234:5678::1")
    login(laptop, tenant.viewer.email)
    login(phone, tenant.viewer.email)
    page = laptop.get("/settings/members").get_data(as_text=True)
    assert "Firefox on Windows <strong>(this browser)</strong>" in page
    assert "Safari on iOS" in page and "2001:db8:1234::/48" in page

    phone_session = next(r for r in records(db, tenant.viewer.id) if "iPhone" in r.user_agent)
    ended = post_action(laptop, f"/settings/sessions/{phone_session.id}/end")
    assert ended.status_code == 302
    assert phone.get("/inbox").status_code == 302  # the phone is signed out
    assert laptop.get("/inbox").status_code == 200  # this browser is not
    assert [r.user_agent for r in records(db, tenant.viewer.id)] == [FIREFOX]


def test_nobody_ends_someone_elses_session_by_id(app: Flask, db: Session, tenant: Tenant) -> None:
    owner, editor = browser(app), browser(app)
    login(owner, tenant.owner.email)
    login(editor, tenant.editor.email)
    (editor_session,) = records(db, tenant.editor.id)
    post_action(owner, f"/settings/sessions/{editor_session.id}/end")
    assert "already ended" in owner.get("/settings/members").get_data(as_text=True)
    assert editor.get("/inbox").status_code == 200


def test_sign_out_everywhere_else_keeps_this_browser(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    here, there, elsewhere = browser(app), browser(app, SAFARI_IPHONE), browser(app)
    for client in (here, there, elsewhere):
        login(client, tenant.editor.email)
    post_action(here, "/settings/sessions/end-others")
    assert here.get("/inbox").status_code == 200
    assert there.get("/inbox").status_code == 302 and elsewhere.get("/inbox").status_code == 302
    assert len(records(db, tenant.editor.id)) == 1


def test_ending_this_browsers_own_session_signs_out(app: Flask, tenant: Tenant) -> None:
    client = browser(app)
    login(client, tenant.editor.email)
    page = client.get("/settings/members").get_data(as_text=True)
    assert ">Sign out</button>" in page
    session_id = page.split('id="session-', 1)[1].split('"', 1)[0]
    response = post_action(client, f"/settings/sessions/{session_id}/end")
    assert response.headers["Location"].endswith("/login")
    assert client.get("/inbox").status_code == 302


def test_owners_sign_a_member_out_everywhere(app: Flask, db: Session, tenant: Tenant) -> None:
    owner, editor = browser(app), browser(app)
    login(owner, tenant.owner.email)
    login(editor, tenant.editor.email)
    membership = services.membership_in(db, tenant.editor.id, tenant.workspace.id)
    assert membership is not None
    page = owner.get("/settings/members").get_data(as_text=True)
    assert "1 session<" in page
    post_action(owner, f"/settings/members/{membership.id}/end-sessions")
    assert editor.get("/inbox").status_code == 302
    # A viewer may not.
    viewer = browser(app)
    login(viewer, tenant.viewer.email)
    assert post_action(viewer, f"/settings/members/{membership.id}/end-sessions").status_code == 403


def test_an_idle_session_ends_by_itself(app: Flask, db: Session, tenant: Tenant) -> None:
    client = browser(app)
    login(client, tenant.editor.email)
    (record,) = records(db, tenant.editor.id)
    record.last_seen_at -= sessions.IDLE_LIMIT + timedelta(minutes=1)
    db.commit()
    assert client.get("/inbox").status_code == 302
    assert records(db, tenant.editor.id) == []


def test_last_seen_moves_on_at_most_every_few_minutes(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    client = browser(app)
    login(client, tenant.editor.email)
    (record,) = records(db, tenant.editor.id)
    first_seen = record.last_seen_at
    assert client.get("/inbox").status_code == 200
    assert records(db, tenant.editor.id)[0].last_seen_at == first_seen  # no write per request
    record = records(db, tenant.editor.id)[0]
    record.last_seen_at -= timedelta(minutes=10)
    db.commit()
    assert client.get("/inbox").status_code == 200
    assert records(db, tenant.editor.id)[0].last_seen_at > first_seen


def test_changing_the_password_ends_every_session(app: Flask, db: Session, tenant: Tenant) -> None:
    client = browser(app)
    login(client, tenant.owner.email)
    thief = copy_of(client, app)
    services.set_password(db, tenant.owner, "a brand new password")
    db.commit()
    assert client.get("/inbox").status_code == 302 and thief.get("/inbox").status_code == 302
    assert records(db, tenant.owner.id) == []


def test_sessions_before_the_upgrade_have_no_record_and_sign_in_again(
    app_factory: Callable[..., Flask], db: Session, tenant: Tenant
) -> None:
    client = browser(app_factory())
    login(client, tenant.editor.email)
    db.execute(SignInSession.__table__.delete())
    db.commit()
    assert client.get("/inbox").status_code == 302
    assert db.scalar(select(func.count()).select_from(SignInSession)) == 0


def test_network_of_truncates_addresses() -> None:
    assert sessions.network_of("198.51.100.77") == "198.51.100.0/24"
    assert sessions.network_of("2001:db8:abcd:12::9") == "2001:db8:abcd::/48"
    assert sessions.network_of("not an address") == ""
    assert sessions.network_of(None) == ""


def test_device_labels_in_peoples_words() -> None:
    assert device_label(FIREFOX) == "Firefox on Windows"
    assert device_label(SAFARI_IPHONE) == "Safari on iOS"
    edge = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0"
    assert device_label(edge) == "Edge on Windows"
    assert device_label("") == "Unknown browser"


def test_a_new_secret_key_is_used_at_once_and_the_old_one_only_as_a_fallback(
    app_factory: Callable[..., Flask],
) -> None:
    """The cookie serializer is built once per key set (web.CookieSessions), never kept
    past a change of keys."""
    app = app_factory()
    with app.test_request_context():
        interface = app.session_interface
        old = interface.get_signing_serializer(app)
        assert interface.get_signing_serializer(app) is old
        cookie = old.dumps({"workspace_id": 7})
        app.secret_key = "a new secret"
        assert old.loads(cookie) == {"workspace_id": 7}
        new = interface.get_signing_serializer(app)
        assert new is not old and new.loads(new.dumps({"a": 1})) == {"a": 1}
        try:
            new.loads(cookie)
        except BadSignature:
            pass
        else:
            raise AssertionError("a cookie signed with the replaced key still opened")
        app.config["SECRET_KEY_FALLBACKS"] = [old.secret_keys[-1]]
        assert interface.get_signing_serializer(app).loads(cookie) == {"workspace_id": 7}
