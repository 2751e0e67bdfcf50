"""The README's "Ten minutes with the demo", in Chromium, on the demo's own data: what each
step tells a new user to try does what the README says it does.

Steps 3 (a refused approval and one that asks why), 4 (the Language list by name, a company
search) and 6 (the demo's widgets; an un-approved testimonial leaves them) are here; the
injection attempt of step 4 is `test_injection_attempt.py`.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from testimonials.widgets.models import Widget
from tests.browser.conftest import LiveServer
from tests.browser.demo_session import sign_in_to_the_demo

pytestmark = pytest.mark.browser

KHMER_WORDS = "ប្រព័ន្ធកក់ពេលនេះ"


def _card(page: Any, text: str) -> Any:
    card = page.locator("li.inbox-card", has_text=text)
    assert card.count() == 1, text
    return card


def test_step_3_approvals_that_need_consent_or_a_reason(live_server: LiveServer, page: Any) -> None:
    sign_in_to_the_demo(live_server, page)
    page.goto(f"{live_server.url}/inbox?q=Awesome+tool")
    awesome = _card(page, "Awesome tool, works great.")
    assert awesome.locator("button:has-text('Approve')").is_disabled()
    assert "no permission to publish" in awesome.inner_text()

    page.goto(f"{live_server.url}/inbox?q=SAVE50&flagged=yes")
    promo = _card(page, "Use code SAVE50")
    promo.locator("button:has-text('Approve')").click()
    # Not approved without a reason: the form asks for one.
    reason = promo.locator("input[name=override_reason]")
    assert reason.evaluate("field => field.validity.valueMissing")
    assert promo.get_attribute("data-status") == "pending"


def test_step_4_languages_by_name_and_a_company_search(live_server: LiveServer, page: Any) -> None:
    sign_in_to_the_demo(live_server, page)
    page.goto(f"{live_server.url}/inbox")
    names = page.locator("select[name=language] option").all_inner_texts()
    for language in ("Khmer (km)", "Arabic (ar)", "Japanese (ja)"):
        assert language in names
    page.select_option("select[name=language]", label="Khmer (km)")
    page.click("button:has-text('Filter')")
    page.wait_for_url("**language=km**")
    assert KHMER_WORDS in _card(page, "Spa Angkor").inner_text()
    assert page.locator("li.inbox-card").count() == 1

    page.goto(f"{live_server.url}/inbox")
    page.fill("input[name=q]", "Harbor")
    page.click("button:has-text('Filter')")
    page.wait_for_url("**q=Harbor**")
    # Harbor's people are approved already: Pending finds nothing and says where they are.
    assert page.locator("li.inbox-card").count() == 0
    elsewhere = page.locator("[data-role=elsewhere]")
    assert elsewhere.inner_text() == "The same filters find 1 approved."
    elsewhere.locator("a").click()
    page.wait_for_url("**status=approved**")
    assert "Harbor Physio" in _card(page, "Dana Whitfield").inner_text()


def test_step_6_an_unapproved_testimonial_leaves_the_widgets(
    live_server: LiveServer, page: Any
) -> None:
    sign_in_to_the_demo(live_server, page)
    page.goto(f"{live_server.url}/widgets")
    listed = page.locator("main table a").all_inner_texts()
    kinds = ("wall", "carousel", "featured quote", "marquee", "avatar strip", "rating")
    assert sorted(listed) == sorted(f"Demo: {kind}" for kind in kinds)

    session = live_server.session()
    wall = session.scalar(select(Widget.public_key).where(Widget.name == "Demo: wall"))
    session.close()
    page.goto(f"{live_server.url}/w/{wall}")
    quote = "Stripe deposit feature paid for itself"
    assert quote in page.inner_text("body")

    page.goto(f"{live_server.url}/inbox?status=approved&q=Stripe+deposit")
    card = _card(page, quote)
    card.locator("button:has-text('Reject')").click()
    page.locator("#inbox-status, [role=status]").filter(has_text="Rejected").first.wait_for()
    # The widget's next answer leaves it out (a browser or CDN may keep the previous one for
    # its max-age, 5 s, and serve it once more while revalidating: docs/widgets.md).
    answer = page.request.get(f"{live_server.url}/w/{wall}", headers={"Cache-Control": "no-cache"})
    assert answer.ok and quote not in answer.text()
    fresh = page.request.get(f"{live_server.url}/w/{wall}/data.json")
    assert quote not in fresh.text()
