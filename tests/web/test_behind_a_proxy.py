"""Behind a reverse proxy (TESTIMONIALS_PROXY_HOPS), the app sees the visitor, not the proxy."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.surveys.services import create_survey
from tests.conftest import Tenant, csrf_token, login


def attempt_login(client: FlaskClient, visitor: str, email: str) -> int:
    """One failed sign-in from `visitor`, as relayed by a proxy at 10.0.0.2."""
    relayed = {"X-Forwarded-For": visitor, "X-Forwarded-Proto": "https"}
    page = client.get("/login", headers=relayed, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    # Over HTTPS, the CSRF check also wants the browser's Referer from this site.
    relayed["Referer"] = "https://localhost/login"
    form = {"email": email, "password": "wrong password!", "csrf_token": csrf_token(page.text)}
    return client.post(
        "/login", data=form, headers=relayed, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    ).status_code


def test_per_address_limits_count_each_visitor_behind_the_proxy(
    app_factory: Callable[..., Flask],
) -> None:
    client = app_factory(PROXY_HOPS=1, LOGIN_RATE_LIMIT="2 per minute").test_client()
    first = [attempt_login(client, "203.0.113.5", f"u{n}@a.example") for n in range(3)]
    assert first == [400, 400, 429]
    # Another visitor through the same proxy is not held back by the first one.
    assert attempt_login(client, "198.51.100.7", "u9@a.example") == 400


def test_without_proxy_hops_forwarded_addresses_are_not_believed(
    app_factory: Callable[..., Flask],
) -> None:
    client = app_factory(LOGIN_RATE_LIMIT="2 per minute").test_client()
    # A client reaching the app directly could forge the header to dodge the limit.
    forged = [attempt_login(client, f"203.0.113.{n}", f"u{n}@a.example") for n in range(3)]
    assert forged == [400, 400, 429]


def test_links_the_app_hands_out_use_the_scheme_the_visitor_used(
    app_factory: Callable[..., Flask], tenant: Tenant, db: Session
) -> None:
    survey = create_survey(db, tenant.workspace.id, {"name": "Quarterly NPS"})
    db.commit()
    for hops, scheme in ((1, "https"), (0, "http")):
        client = app_factory(PROXY_HOPS=hops).test_client()
        # A session is tied to the visitor's address: the proxy relays the same one throughout.
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.5"
        login(client, tenant.owner.email)
        page = client.get(f"/surveys/{survey.id}", headers={"X-Forwarded-Proto": "https"})
        assert f"{scheme}://localhost/embed/survey.js" in page.text, hops
