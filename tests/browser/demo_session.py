"""Signed-in starting points for browser tests of the dashboard: the demo workspace as
`flask demo` seeds it, or a new, empty workspace and its owner."""

from __future__ import annotations

import re
from typing import Any

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role
from tests.browser.conftest import LiveServer

PASSWORD = "browser test password"


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


def sign_in_to_a_new_workspace(live_server: LiveServer, page: Any, name: str, owner: str) -> None:
    """Create workspace `name` with `owner` as its owner and sign in on the login page."""
    session = live_server.session()
    workspace = accounts.create_workspace(session, name)
    accounts.create_user(session, owner, PASSWORD, workspace, Role.OWNER)
    session.commit()
    session.close()
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", owner)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
