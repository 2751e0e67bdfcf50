"""The demo's HTML-injection attempt, in Chromium: shown as plain text (escaped), and flagged
as script code, so it cannot be approved without a written reason and stays off widgets."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.demo_session import sign_in_to_the_demo

pytestmark = pytest.mark.browser


def test_the_injection_attempt_is_escaped_and_flagged_as_script_code(
    live_server: LiveServer, page: Any
) -> None:
    sign_in_to_the_demo(live_server, page)
    page.goto(f"{live_server.url}/inbox?flagged=yes&q=script")
    card = page.locator("li.inbox-card", has_text="Great booking tool")
    assert card.count() == 1
    assert "<script>alert('xss')</script>" in card.locator("blockquote.original").inner_text()
    assert page.dialogs == []  # nothing ran
    assert card.locator(".chip-suspicion", has_text="contains script code").count() == 1
    # Approving it asks why first, like every item the scorer distrusts.
    assert card.locator("input[name=override_reason]").count() == 1
