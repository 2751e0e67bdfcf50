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


@pytest.mark.parametrize("path", ["/reports/nps", "/reports/experiments/1"])
def test_chart_labels_stay_legible_on_a_phone(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path], path: str
) -> None:
    """The charts' 12px labels shrank with the chart to ~5px on a phone; they keep at least
    11px now, the chart scrolling sideways in its own focusable box."""
    sign_in_to_the_demo(live_server, page)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server.url}{path}")
        heights = page.locator(".trend-chart .x-tick, .trend-chart .y-tick").evaluate_all(
            "ts => ts.map(t => t.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 11, (width, min(heights))
        screenshot(page, f"chart-labels-{width}" + path.replace("/", "-"))
    scroller = page.locator(".chart-scroll").first
    assert scroller.get_attribute("tabindex") == "0"
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
