"""A newcomer finds their way: the setup checklist, the favicon, a readable import report."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role
from testimonials.harvest.getting_started import SetupStep, add_setup_step, setup_steps
from testimonials.harvest.surveys.services import create_survey
from testimonials.harvest.webhooks import services as webhooks
from tests.conftest import PASSWORD, Tenant, login
from tests.web.test_imports_pages import FILE, post_upload


def steps_shown(html: str) -> dict[str, bool]:
    """Each step's key and whether the page shows it ticked."""
    import re

    return {
        key: "done" in classes
        for classes, key in re.findall(r'<li class="setup-step([^"]*)" data-step="([^"]+)"', html)
    }


def test_an_empty_workspace_opens_on_the_checklist_and_ticks_steps_as_they_are_done(
    client: FlaskClient, db: Session
) -> None:
    workspace = accounts.create_workspace(db, "Phnom Penh Dental")
    owner = accounts.create_user(db, "owner@ppd.example", PASSWORD, workspace, Role.OWNER)
    db.commit()
    login(client, owner.email)

    home = client.get("/")
    assert home.status_code == 200
    html = home.get_data(as_text=True)
    assert "Set up Phnom Penh Dental" in html and "0 of 4 done" in html
    assert steps_shown(html) == {
        "survey": False,
        "import": False,
        "webhook": False,
        "teammate": False,
    }
    for link in ('href="/surveys"', 'href="/imports"', 'href="/settings/webhooks"'):
        assert link in html
    assert 'href="/settings/members"' in html

    create_survey(db, workspace.id, {"name": "Quarterly NPS", "company_name": "PPD"})
    webhooks.create_source(db, workspace.id, "Typeform", "secret-key")
    accounts.create_user(db, "dara@ppd.example", PASSWORD, workspace, Role.EDITOR)
    db.commit()
    html = client.get("/getting-started").get_data(as_text=True)
    assert "3 of 4 done" in html
    assert steps_shown(html) == {"survey": True, "import": False, "webhook": True, "teammate": True}
    # The empty inbox points back to the checklist while setup is unfinished.
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "Set up your workspace (3 of 4 done)" in inbox

    # Importing reviews ticks the last step; with feedback in, the front door is the inbox.
    assert post_upload(client, FILE.encode()).status_code == 302
    html = client.get("/getting-started").get_data(as_text=True)
    assert "4 of 4 done" in html and all(steps_shown(html).values())
    assert client.get("/").headers["Location"].endswith("/inbox")


def test_a_step_the_role_cannot_do_says_who_can(client: FlaskClient, db: Session) -> None:
    workspace = accounts.create_workspace(db, "Vientiane Tours")
    accounts.create_user(db, "owner@vt.example", PASSWORD, workspace, Role.OWNER)
    viewer = accounts.create_user(db, "viewer@vt.example", PASSWORD, workspace, Role.VIEWER)
    db.commit()
    login(client, viewer.email)
    html = client.get("/getting-started").get_data(as_text=True)
    assert html.count("An owner of this workspace can do this.") == 1  # webhooks (teammate done)
    assert "An editor of this workspace can do this." in html


def test_another_feature_adds_its_step_to_the_checklist(
    app: Flask, client: FlaskClient, tenant: Tenant
) -> None:
    before = setup_steps(app)
    try:
        add_setup_step(
            app,
            SetupStep(
                "widget",
                "Create a widget",
                "Show approved testimonials on your site.",
                "curation_pages.inbox",
                lambda session, workspace_id: False,
                order=50,
            ),
        )
        login(client, tenant.owner.email)
        html = client.get("/getting-started").get_data(as_text=True)
        assert list(steps_shown(html)) == ["survey", "import", "webhook", "teammate", "widget"]
        assert "Create a widget" in html and "of 5 done" in html
    finally:
        app.extensions["testimonials.setup_steps"] = before


def test_every_page_links_a_favicon_that_is_served(client: FlaskClient, tenant: Tenant) -> None:
    login_page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in login_page
    assert 'href="/static/favicon-32.png"' in login_page
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert client.get("/static/favicon-32.png").mimetype == "image/png"
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
