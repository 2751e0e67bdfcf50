"""Every dashboard page works under its Content-Security-Policy, with nothing blocked.

The page fixture fails any test whose pages report a CSP violation on the console; this
test walks every page of the navigation, uses the script-driven bits (workspace switcher,
score bars, inbox keys) and proves the policy is really enforced.
"""

from __future__ import annotations

from typing import Any

import pytest

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role
from testimonials.demo import DEMO_EMAIL, seed_demo_workspace
from testimonials.harvest.intake import intake_scorer_for
from tests.browser.conftest import LiveServer, block_other_hosts

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"


def _seed(server: LiveServer) -> None:
    session = server.session()
    seed_demo_workspace(session, PASSWORD, intake_scorer_for(server.app))
    user = accounts.find_user_by_email(session, DEMO_EMAIL)
    assert user is not None
    second = accounts.create_workspace(session, "Second Shop")
    accounts.add_member(session, second, user, Role.VIEWER)
    session.commit()
    session.close()


def test_every_dashboard_page_runs_under_the_policy(live_server: LiveServer, page: Any) -> None:
    _seed(live_server)
    blocked = block_other_hosts(page, live_server.url)
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inbox")

    links = page.eval_on_selector_all("header nav a", "links => links.map(a => a.href)")
    assert len(links) >= 12
    for link in links:
        response = page.goto(link)
        assert response is not None and response.status == 200, link
        page.wait_for_load_state("load")
    assert page.csp_violations == []  # type: ignore[attr-defined]
    assert blocked == []

    # The score bars are drawn without inline styles, and drawn to scale.
    page.goto(f"{live_server.url}/inbox")
    widths = page.eval_on_selector_all(
        ".minibar rect", "rects => rects.map(r => r.getBoundingClientRect().width)"
    )
    assert widths and max(widths) > 0

    # Keyboard triage (inbox.js) answers: j moves the focus to the next card.
    page.keyboard.press("j")
    page.keyboard.press("j")
    focused = page.evaluate("document.activeElement.closest('.inbox-card')?.id ?? null")
    assert focused is not None

    # The workspace switcher (app.js, no inline handler) switches on change.
    page.select_option("#workspace-switch", label="Second Shop")
    page.wait_for_function(
        "document.querySelector('#workspace-switch option:checked')"
        ".textContent.includes('Second Shop')"
    )
    assert page.text_content(".role-badge") == "viewer"


def test_the_policy_really_blocks_inline_script(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/login")
    ran = page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.body.append(script);
            return window.injected === true;
        }"""
    )
    assert ran is False
    page.wait_for_function("true")  # let the console report arrive
    violations = page.csp_violations  # type: ignore[attr-defined]
    assert violations and "script-src" in violations[0]
    violations.clear()  # expected here; the fixture checks nothing else was blocked
