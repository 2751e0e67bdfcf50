"""Signing in to the dashboard in a real browser; customer text stays inert."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from testimonials.demo import DEMO_EMAIL, seed_demo_workspace
from testimonials.harvest.intake import intake_scorer_for
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"


def _seed(server: LiveServer) -> None:
    session = server.session()
    seed_demo_workspace(session, PASSWORD, intake_scorer_for(server.app))
    session.commit()
    session.close()


def test_sign_in_see_feedback_and_sign_out(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    _seed(live_server)
    page.goto(f"{live_server.url}/feedback")
    assert page.url.startswith(f"{live_server.url}/login")

    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    assert "do not match an account" in page.inner_text("main")

    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/feedback")
    assert "Northwind Bookings" in page.inner_text("header")
    assert page.locator(".feedback-item").count() == 25
    screenshot(page, "feedback-list")

    # Injection attempts from the seed show as text; nothing ran, nothing became markup.
    shown = page.inner_text("main")
    page.goto(f"{live_server.url}/feedback?page=2")
    shown += page.inner_text("main")
    assert "<script>alert('xss')</script>" in shown
    assert "<img src=x onerror=alert(1)>" in shown
    assert "<b>Mallory</b>" in shown
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.locator("main script, main img, main b").count() == 0

    page.click("text=Sign out")
    page.wait_for_url(f"{live_server.url}/login")
    page.goto(f"{live_server.url}/feedback")
    assert page.url.startswith(f"{live_server.url}/login")
