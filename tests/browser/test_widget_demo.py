"""The demo: `flask demo` makes a widget of each type, and its landing page on another
origin shows every one of them in every mode, in Chromium, under a strict CSP."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from testimonials.widgets.demo import DEMO_WIDGETS, serve_landing_page
from testimonials.widgets.models import Widget
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_demo_landing_page_embeds_every_widget_in_every_mode(
    browser: Any, live_server: LiveServer
) -> None:
    runner = live_server.app.test_cli_runner()
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "Landing page:" in result.output
    assert runner.invoke(args=["demo", "--no-serve"]).exit_code == 0  # idempotent
    with live_server.session() as session:
        widgets = session.scalars(select(Widget)).all()
        keys = {w.kind: w.public_key for w in widgets}
    assert len(widgets) == len(DEMO_WIDGETS)
    server = serve_landing_page("127.0.0.1", 0, live_server.url, keys)
    landing = f"http://127.0.0.1:{server.server_port}/"
    page = browser.new_page()
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(landing)
    for kind, key in keys.items():
        element = page.locator(f'testimonials-widget[data-testimonials-widget="{key}"]')
        element.scroll_into_view_if_needed()
        element.locator(".tw-root").wait_for()
        page.frame_locator(f'iframe[data-testimonials-widget="{key}"]').locator(
            ".tw-root"
        ).wait_for()
        # The server-side include, in the page's own DOM (not inside a Shadow DOM).
        included = page.evaluate(f"document.querySelectorAll('section.tw-k-{key}').length")
        assert included == 1, kind
    assert page.locator(".tw-card").count() > 10
    assert violations == []
    page.close()
    server.shutdown()
