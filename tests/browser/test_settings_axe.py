"""The demo's API keys and webhooks settings in Chromium, checked by axe: every column of
their tables has a header a screen reader can announce (the Revoke / Rotate column too)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.demo_session import sign_in_to_the_demo

pytestmark = pytest.mark.browser


def test_the_api_keys_and_webhooks_settings_pass_axe(live_server: LiveServer, page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    sign_in_to_the_demo(live_server, page)
    axe = Axe()
    failing = {}
    for path in ("/settings/api-keys", "/settings/webhooks"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("table.list tbody tr").count() >= 1
        violations = axe.run(page).response["violations"]
        if violations:
            failing[path] = [(v["id"], v["nodes"][0]["html"]) for v in violations]
    assert failing == {}
