"""A widget's embed codes, in Chromium: one click copies the code to paste into a site,
and the page says it did (as Senja and Testimonial.to do), not select-all-and-hope."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.demo_session import sign_in_to_the_demo

pytestmark = pytest.mark.browser


def test_copy_puts_the_widget_embed_code_on_the_clipboard(
    live_server: LiveServer, page: Any
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in_to_the_demo(live_server, page)
    page.goto(f"{live_server.url}/widgets")
    page.get_by_role("link", name="Demo: wall").click()

    for kind in ("script", "iframe"):
        button = page.get_by_role("button", name=f"Copy {kind} code")
        button.wait_for(state="visible", timeout=5_000)
        button.click()
        row = page.locator(f"button[data-copy='code-{kind}'] + [role=status]")
        # The clipboard answers asynchronously: wait for the status line, then read it.
        page.wait_for_function("e => e.textContent !== ''", arg=row.element_handle())
        assert row.inner_text() == "Copied."
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator(f"#code-{kind}").input_value()
        assert "/widgets/loader.js" in copied
