"""The inbox in Chromium: keyboard triage with undo, bulk approval, excerpt edits, screenshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from testimonials.curation.models import AuditEntry
from testimonials.demo import DEMO_EMAIL
from testimonials.harvest.models import ConsentState
from tests.browser.conftest import LiveServer
from tests.browser.inbox_helpers import EDITOR, seed, sign_in, stored, wait_status

pytestmark = pytest.mark.browser


def status_text(page: Any) -> str:
    return page.inner_text("#inbox-status")


def focused_card(page: Any) -> str | None:
    return page.evaluate("document.activeElement.closest('.inbox-card')?.id ?? null")


def test_keyboard_triage_with_undo(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    seeded = seed(
        live_server,
        ("first", "We cut onboarding from 3 weeks to 4 days with the new booking flow.", {}),
        ("second", "Support answered in 5 minutes on a Sunday.", {}),
        ("third", "Our no-show rate fell by a third.", {}),
    )
    first, second, third = (seeded.ids[k] for k in ("first", "second", "third"))
    sign_in(page, live_server, EDITOR)
    screenshot(page, "inbox")

    # Typing in a field never triggers shortcuts.
    page.fill("input[name=q]", "")
    page.keyboard.type("a")
    assert stored(live_server, first).status == "pending"

    page.focus("body")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    assert focused_card(page) == f"t-{first}"
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert focused_card(page) == f"t-{first}"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus ring

    page.keyboard.press("a")
    wait_status(page, f"Approved #{first}")
    assert stored(live_server, first).status == "approved"
    assert focused_card(page) == f"t-{second}"  # focus moved on
    assert page.get_attribute(f"#t-{first}", "data-status") == "approved"

    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.type("Too vague for the homepage")
    page.keyboard.press("Enter")
    wait_status(page, f"Rejected #{second}")
    rejected = stored(live_server, second)
    assert (rejected.status, rejected.rejection_reason) == (
        "rejected",
        "Too vague for the homepage",
    )
    assert focused_card(page) == f"t-{third}"

    page.keyboard.press("u")
    wait_status(page, "Undone")
    assert stored(live_server, second).status == "pending"
    assert page.get_attribute(f"#t-{second}", "data-status") == "pending"
    # The visible Undo button after an action works too.
    page.keyboard.press("s")
    wait_status(page, f"Snoozed #{second}")
    assert stored(live_server, second).status == "snoozed"
    page.click("#inbox-status button:has-text('Undo')")
    wait_status(page, "Undone")
    assert stored(live_server, second).status == "pending"

    page.keyboard.press("?")
    assert page.is_visible("#shortcut-help")
    assert "Undo your last action" in page.inner_text("#shortcut-help")
    page.keyboard.press("Escape")
    assert page.is_hidden("#shortcut-help")

    assert focused_card(page) == f"t-{second}"  # focus came back from the help
    page.keyboard.press("e")  # opens the edit page of the focused card
    page.wait_for_url(f"{live_server.url}/inbox/{second}")

    # The audit log shows who did it.
    page.goto(f"{live_server.url}/audit")
    rows = page.locator("tr.audit-entry")
    assert "Eddie Editor" in rows.first.inner_text()
    assert "approve" in page.inner_text("main") and "Too vague for the homepage" in page.inner_text(
        "main"
    )


def test_bulk_approve_of_a_selection(live_server: LiveServer, page: Any) -> None:
    seeded = seed(
        live_server,
        ("one", "Booking takes 30 seconds now.", {}),
        ("two", "We saved 12 hours a week.", {}),
        ("nope", "Great, but do not quote me.", {"consent": ConsentState.DECLINED}),
    )
    sign_in(page, live_server, EDITOR)
    page.evaluate("document.activeElement.blur()")
    for _ in range(3):
        page.keyboard.press("j")
        page.keyboard.press("x")
    assert page.inner_text("[data-role=selected-count]") == "3 selected"
    page.select_option("#bulk-form select[name=action]", "approve")
    page.click("#bulk-form button[type=submit]")
    wait_status(page, "2 approved, 1 skipped")
    assert "No permission to publish" in status_text(page)
    assert [stored(live_server, seeded.ids[k]).status for k in ("one", "two", "nope")] == [
        "approved",
        "approved",
        "pending",
    ]
    assert "Skipped: No permission" in page.inner_text(f"#t-{seeded.ids['nope']} [role=alert]")


def test_edit_excerpt_keeps_the_original(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    original = "The calendar sync is great. Teh reminders cut no-shows by 40% in two months."
    seeded = seed(live_server, ("item", original, {"author_name": "Dana Kim"}))
    item_id = seeded.ids["item"]
    sign_in(page, live_server, EDITOR, f"/inbox/{item_id}")
    assert page.inner_text("#original-text") == original
    # Words the customer never wrote are refused, with the reason, and nothing typed is lost.
    page.fill("#excerpt", "Best booking tool ever, 10/10")
    page.fill("input[name=display_name]", "Dana Lee")
    page.click("form.stacked button[type=submit]")
    assert "is not what the customer wrote" in page.inner_text("#excerpt ~ .field-error")
    assert "not the author's name" in page.inner_text("main")
    assert page.input_value("#excerpt") == "Best booking tool ever, 10/10"
    assert page.input_value("input[name=display_name]") == "Dana Lee"
    screenshot(page, "inbox-edit-refused")
    assert stored(live_server, item_id).excerpt is None
    page.fill("#excerpt", "The reminders cut no-shows by 40% in two months.")
    page.fill("input[name=display_name]", "Dana K.")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/inbox/{item_id}")
    assert "Saved. The original text is unchanged." in page.inner_text("main")
    assert page.inner_text("#original-text") == original
    assert page.input_value("#excerpt") == "The reminders cut no-shows by 40% in two months."
    saved = stored(live_server, item_id)
    assert saved.excerpt == "The reminders cut no-shows by 40% in two months."
    assert saved.item.text == original and saved.display_name == "Dana K."
    assert "edit" in page.inner_text("#history-title + .table-scroll table")
    assert page.inner_text("[data-role=corrections]").endswith("Teh → The")
    screenshot(page, "inbox-edit")


def test_screenshots_of_inbox_and_nps_report(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    seed(live_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, DEMO_EMAIL)
    assert page.locator(".inbox-card").count() == 25
    assert page.locator(".inbox-card mark.excerpt").count() > 0
    assert screenshot(page, "inbox-1280").stat().st_size > 10_000
    page.set_viewport_size({"width": 390, "height": 844})
    # Nothing of the inbox sticks out sideways on a phone (the header is the layout's).
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > 391)
        .map(e => e.tagName + '.' + e.className)"""
    )
    assert wide == []
    screenshot(page, "inbox-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/reports/nps")
    assert "NPS" in page.inner_text("h1")
    assert screenshot(page, "nps-report").stat().st_size > 10_000
    session = live_server.session()
    assert session.scalar(select(AuditEntry.id).limit(1)) is None
    session.close()
