"""The demo workspace as `flask demo` seeds it, signed in, for browser tests of the dashboard."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import LiveServer


def sign_in_to_the_demo(live_server: LiveServer, page: Any) -> None:
    """Seed the demo as `flask demo` does and sign in with the password it printed."""
    result = live_server.app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    email = re.search(r"Sign in as:\s+(\S+)", result.output)
    password = re.search(r"Password:\s+(\S+)", result.output)
    assert email and password, result.output
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", email.group(1))
    page.fill("input[name=password]", password.group(1))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inbox")
