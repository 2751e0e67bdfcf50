"""The demo's dashboard in Chromium, checked by axe: every score chip, consent badge, NPS
band and "too few to trust" note is legible (WCAG AA contrast, 4.5:1 for small text)."""

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
