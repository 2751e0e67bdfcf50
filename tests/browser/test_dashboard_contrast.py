"""The demo's dashboard in Chromium: every score chip, consent badge, NPS band and "too few
to trust" note is legible (axe, WCAG AA contrast), and a chip's colour says which way it
points (why a text is specific, or why it is not)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.demo_session import sign_in_to_the_demo

pytestmark = pytest.mark.browser


def test_the_inbox_feedback_and_nps_report_pass_axe_colour_contrast(
    live_server: LiveServer, page: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    sign_in_to_the_demo(live_server, page)
    axe = Axe()
    failing = {}
    for path in ("/inbox", "/feedback", "/reports/nps"):
        page.goto(f"{live_server.url}{path}")
        result = axe.run(page, options={"runOnly": ["color-contrast"]})
        nodes = [n["html"] for v in result.response["violations"] for n in v["nodes"]]
        if nodes:
            failing[path] = nodes[:3]
    assert failing == {}


def test_reasons_a_text_is_vague_are_not_shown_in_the_green_of_specific_detail(
    live_server: LiveServer, page: Any
) -> None:
    sign_in_to_the_demo(live_server, page)
    # "Great product!" (very short, generic praise) beside the specific promoters.
    page.goto(f"{live_server.url}/feedback")

    def colour(message: str) -> str:
        chip = page.locator(".chip", has_text=message).first
        return chip.evaluate(
            "e => getComputedStyle(e).color + ' on ' + getComputedStyle(e).backgroundColor"
        )

    specific = colour("mentions a number or a time span")
    assert colour("very short") != specific
    assert colour("generic praise only") != specific
    assert colour("generic praise only") == colour("very short")
