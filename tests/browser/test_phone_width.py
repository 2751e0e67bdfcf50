"""The demo's dashboard on a phone (390 px wide), in Chromium: no page scrolls sideways.

A wide table (the NPS trend, the lift report's figures, members, API keys…) scrolls inside
its own box, and forms and embed codes fit the screen; before, each of these pages grew
wider than the phone, so the whole page panned sideways under a header that did not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.demo_session import sign_in_to_the_demo

pytestmark = pytest.mark.browser

PAGES = (
    "/feedback",
    "/widgets",
    "/widgets/1",
    "/reports/nps",
    "/reports/experiments",
    "/reports/experiments/1",
    "/settings/api-keys",
    "/settings/members",
    "/settings/privacy",
    "/settings/known-customers",
    "/settings/webhooks",
    "/imports",
    "/surveys",
    "/inbox/1",
)


def test_no_dashboard_page_is_wider_than_a_phone(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_to_the_demo(live_server, page)
    too_wide = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            too_wide[path] = widths
            screenshot(page, "phone-too-wide" + path.replace("/", "-"))
    assert too_wide == {}

    # The NPS trend table is wider than the phone: it scrolls in its box, nothing is cut.
    page.goto(f"{live_server.url}/reports/nps")
    box = page.locator(".table-scroll:has(table.trend-table)")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    box.evaluate("e => e.scrollLeft = e.scrollWidth")
    last_header = page.locator("table.trend-table thead th").last
    assert last_header.is_visible() and last_header.bounding_box()["x"] < 390
