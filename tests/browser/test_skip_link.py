"""Keyboard users skip the two rows of navigation: the first Tab on a dashboard page shows
"Skip to content", and Enter takes the next Tab into the page itself (WCAG 2.4.1)."""

from __future__ import annotations

from typing import Any

import pytest

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"


def test_the_first_tab_offers_to_skip_the_navigation(live_server: LiveServer, page: Any) -> None:
    session = live_server.session()
    workspace = accounts.create_workspace(session, "Skip Shop")
    accounts.create_user(session, "owner@skip.example", PASSWORD, workspace, Role.OWNER)
    session.commit()
    session.close()
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", "owner@skip.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/inbox")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # on screen while focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
