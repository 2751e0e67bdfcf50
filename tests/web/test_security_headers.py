"""Security headers on every class of response: dashboard, hosted survey, API, embeds, static.

What a browser enforces from them: no script the page did not load from this site, no
framing of the dashboard anywhere, the hosted survey framed only by its own websites, no
MIME sniffing, no URL leaking through Referer, and HTTPS only (HSTS) in production.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.security_headers import (
    EMBEDDABLE,
    HSTS,
    MACHINE,
    allow_framing_by,
    blueprint_header_policy,
    header_policy,
    policy_for_request,
)
from tests.api.test_embed_endpoints import SHOP
from tests.api.test_embed_endpoints import _survey as make_survey
from tests.conftest import Tenant, login

COMMON = {"X-Content-Type-Options": "nosniff"}


def csp(response: Any) -> dict[str, str]:
    """The Content-Security-Policy header as {directive: sources}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no CSP on {response.request.path}"
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in directives}


def assert_common(response: Any) -> None:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (response.request.path, name)
    assert response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer")
    assert "Strict-Transport-Security" not in response.headers  # development: plain HTTP


def assert_dashboard_policy(response: Any) -> None:
    assert_common(response)
    policy = csp(response)
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def assert_machine_policy(response: Any) -> None:
    assert_common(response)
    policy = csp(response)
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_dashboard_pages_signed_in_and_out(client: FlaskClient, tenant: Tenant) -> None:
    assert_dashboard_policy(client.get("/login"))
    login(client, tenant.owner.email)
    for path in ("/inbox", "/feedback", "/surveys", "/settings/members", "/reports/nps"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_dashboard_policy(response)
    redirect = client.get("/")
    assert_dashboard_policy(redirect)


def test_dashboard_error_pages(client: FlaskClient, tenant: Tenant) -> None:
    assert_dashboard_policy(client.get("/no-such-page"))
    login(client, tenant.viewer.email)
    forbidden = client.post("/settings/api-keys/1/revoke")
    assert forbidden.status_code in (400, 403)
    assert_dashboard_policy(forbidden)


def test_a_crash_still_carries_the_headers(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    def crash() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/crash", view_func=crash)
    app.add_url_rule("/api/v1/crash", "api_crash", view_func=crash)
    client = app.test_client()
    page = client.get("/crash")
    assert page.status_code == 500
    assert_dashboard_policy(page)
    problem = client.get("/api/v1/crash")
    assert problem.status_code == 500 and problem.mimetype == "application/problem+json"
    assert_machine_policy(problem)


def test_api_answers_and_problems(client: FlaskClient, tenant: Tenant) -> None:
    assert_machine_policy(client.get("/api/v1/workspace", headers=tenant.headers()))
    assert_machine_policy(client.get("/api/v1/workspace"))  # 401 problem
    assert_machine_policy(client.get("/api/v1/openapi.json"))
    export = client.get("/api/v1/feedback/export.csv", headers=tenant.headers())
    assert export.status_code == 200
    assert_machine_policy(export)


def test_webhook_answers(client: FlaskClient) -> None:
    response = client.post("/hooks/not-a-token", json={})
    assert response.status_code == 404
    assert_machine_policy(response)


def test_embed_script_and_settings(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    script = client.get("/embed/survey.js")
    assert script.status_code == 200 and script.mimetype == "application/javascript"
    assert_machine_policy(script)
    survey = make_survey(db, tenant, allowed_origins=[SHOP])
    settings = client.get(f"/embed/surveys/{survey.public_token}/config", headers={"Origin": SHOP})
    assert settings.status_code == 200, settings.get_data(as_text=True)
    assert_machine_policy(settings)
    assert settings.headers["Access-Control-Allow-Origin"] == SHOP  # the embed's own CORS


def test_static_files(client: FlaskClient) -> None:
    for name in ("app.css", "app.js", "inbox.js"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert_machine_policy(response)


def test_api_docs_page_runs_its_own_scripts_only(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert_dashboard_policy(page)
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and asset.mimetype in (
        "application/javascript",
        "text/javascript",
    )
    assert client.get("/api/v1/docs/assets/../../../setup.cfg").status_code == 404


def test_hosted_survey_is_framed_only_by_the_surveys_websites(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = make_survey(db, tenant, allowed_origins=[SHOP, "https://www.shop.example/"])
    page = client.get(f"/s/{survey.public_token}")
    assert page.status_code == 200
    assert_common(page)
    policy = csp(page)
    assert policy["frame-ancestors"] == "'self' https://shop.example https://www.shop.example"
    assert policy["script-src"] == "'self'"
    assert "X-Frame-Options" not in page.headers  # it cannot name other sites; CSP decides
    assert page.headers["Referrer-Policy"] == "no-referrer"  # the URL holds the token


def test_hosted_survey_without_websites_is_framed_by_nobody_else(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = make_survey(db, tenant)
    page = client.get(f"/s/{survey.public_token}")
    assert csp(page)["frame-ancestors"] == "'self'"
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    closed = client.get("/s/no-such-survey")
    assert closed.status_code == 404
    assert csp(closed)["frame-ancestors"] == "'none'"
    assert closed.headers["Referrer-Policy"] == "no-referrer"


def test_a_framing_origin_cannot_smuggle_a_directive(app: Flask) -> None:
    with app.test_request_context("/s/x"):
        allow_framing_by(["https://ok.example", "https://x.example; script-src *", "*"])
        assert policy_for_request(app).framed_by == ("'self'", "https://ok.example")


def test_production_adds_hsts_everywhere(app_factory: Callable[..., Flask]) -> None:
    client = app_factory(ENV="production").test_client()
    for path in ("/login", "/api/v1/openapi.json", "/static/app.css", "/embed/survey.js"):
        response = client.get(path, base_url="https://testimonials.example")
        assert response.headers.get("Strict-Transport-Security") == HSTS, path


@pytest.fixture
def app_with_widgets(app_factory: Callable[..., Flask]) -> Flask:
    """An app with a public widget blueprint, as the coming widget endpoints will declare."""
    widgets = Blueprint("embeddable_probe", __name__, url_prefix="/probe-embed")
    blueprint_header_policy(widgets, EMBEDDABLE)

    @widgets.get("/<name>")
    def widget(name: str) -> str:
        return f"<p>{name}</p>"

    @widgets.get("/<name>/data.json")
    @header_policy(MACHINE)
    def widget_data(name: str) -> dict[str, str]:
        return {"name": name}

    app = app_factory()
    app.register_blueprint(widgets)
    return app


def test_a_blueprint_can_opt_into_framing_by_any_site_and_cors(app_with_widgets: Flask) -> None:
    client = app_with_widgets.test_client()
    widget = client.get("/probe-embed/wall")
    assert csp(widget)["frame-ancestors"] == "*"
    assert csp(widget)["script-src"] == "'self'"
    assert "X-Frame-Options" not in widget.headers
    assert widget.headers["Access-Control-Allow-Origin"] == "*"
    assert widget.headers["X-Content-Type-Options"] == "nosniff"
    # One route of it can still choose otherwise.
    data = client.get("/probe-embed/wall/data.json")
    assert csp(data)["frame-ancestors"] == "'none'"
    assert "Access-Control-Allow-Origin" not in data.headers
