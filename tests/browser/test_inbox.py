"""The inbox in real Chromium: keyboard triage, bulk, edit, guard rails, roles, escaping."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role
from testimonials.curation import services
from testimonials.curation.models import AuditEntry
from testimonials.curation.models import Testimonial as Curated
from testimonials.curation.tags import create_tag
from testimonials.db import utcnow
from testimonials.demo import DEMO_EMAIL, DEMO_SLUG, seed_demo_workspace
from testimonials.harvest.intake import NewFeedback, intake_scorer_for, record_feedback
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"
EDITOR = "editor@northwind.example"
VIEWER = "viewer@northwind.example"
CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "<b><i>unclosed",
    "</textarea><script>alert(1)</script>",
]
INJECTED = (
    "main script:not([src$='/static/inbox.js']), main img[src=x], main svg:not(.minibar), "
    "main b, main i, "
    "main [onmouseover], main [onerror], main [onload], main a[href^=javascript]"
)
_ids = itertools.count(1)


@dataclass
class Seeded:
    workspace_id: int
    ids: dict[str, int]


def _testimonial(session: Any, workspace_id: int, key: str, text: str, rank: float, **kw: Any):
    consent = kw.pop("consent", ConsentState.GRANTED)
    suspicion = kw.pop("suspicion", 0.05)
    item = record_feedback(
        session,
        workspace_id,
        NewFeedback(
            text=text,
            channel=Channel.API,
            source_name="Browser test",
            external_id=f"{key}-{next(_ids)}",
            consent_state=consent,
            consent_version="2" if consent is ConsentState.GRANTED else None,
            **kw,
        ),
    )
    item.specificity, item.suspicion, item.scored_at = 0.8, suspicion, utcnow()
    testimonial = session.scalar(select(Curated).where(Curated.item_id == item.id))
    testimonial = testimonial or services.create_testimonials(session, [item])[0]
    testimonial.rank_score = rank
    session.flush()
    return testimonial


def seed(server: LiveServer, *extra: tuple[str, str, dict[str, Any]]) -> Seeded:
    """The demo workspace (with an inbox), an editor and a viewer, plus items on top."""
    session = server.session()
    seed_demo_workspace(session, PASSWORD, intake_scorer_for(server.app))
    workspace = accounts.find_workspace(session, DEMO_SLUG)
    accounts.create_user(session, EDITOR, PASSWORD, workspace, Role.EDITOR, "Eddie Editor")
    accounts.create_user(session, VIEWER, PASSWORD, workspace, Role.VIEWER)
    items = session.scalars(
        select(FeedbackItem).where(
            FeedbackItem.workspace_id == workspace.id,
            ~select(Curated.id).where(Curated.item_id == FeedbackItem.id).exists(),
        )
    ).all()
    services.create_testimonials(session, items)
    ids = {}
    for rank, (key, text, options) in enumerate(reversed(extra)):
        ids[key] = _testimonial(session, workspace.id, key, text, 10.0 + rank, **options).id
    session.commit()
    session.close()
    return Seeded(workspace.id, ids)


def stored(server: LiveServer, testimonial_id: int) -> Curated:
    session = server.session()
    try:
        found = session.get(Curated, testimonial_id)
        assert found is not None
        _ = found.item.text, found.tags
        return found
    finally:
        session.close()


def sign_in(page: Any, server: LiveServer, email: str, path: str = "/inbox") -> None:
    page.goto(f"{server.url}/login?next={path}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}{path}")


def status_text(page: Any) -> str:
    return page.inner_text("#inbox-status")


def wait_status(page: Any, fragment: str) -> None:
    page.wait_for_function(
        "f => document.getElementById('inbox-status').textContent.includes(f)", arg=fragment
    )


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
    assert "edit" in page.inner_text("#history-title + table")
    assert page.inner_text("[data-role=corrections]").endswith("Teh → The")
    screenshot(page, "inbox-edit")


def test_consent_guard_blocks_approval(live_server: LiveServer, page: Any) -> None:
    seeded = seed(live_server, ("ask", "Brilliant support.", {"consent": ConsentState.NOT_ASKED}))
    item_id = seeded.ids["ask"]
    sign_in(page, live_server, EDITOR)
    card = page.locator(f"#t-{item_id}")
    assert card.locator("button:has-text('Approve')").is_disabled()
    assert "no permission to publish (consent: not asked)" in card.inner_text()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    page.keyboard.press("a")
    alert = card.locator(".card-error[role=alert]")
    alert.wait_for(state="visible")
    assert "no permission to publish" in alert.inner_text()
    # Even a hand-made request is refused by the server, with the reason.
    answer = page.evaluate(
        """async id => {
          const r = await fetch(`/inbox/${id}/approve`, {method: 'POST',
            headers: {'Accept': 'application/json',
                      'X-CSRFToken': document.getElementById('inbox').dataset.csrf}});
          return [r.status, (await r.json()).error];
        }""",
        item_id,
    )
    assert answer[0] == 409 and "has not agreed to be quoted" in answer[1]
    assert stored(live_server, item_id).status == "pending"


def test_suspicious_item_asks_for_a_reason(live_server: LiveServer, page: Any) -> None:
    seeded = seed(live_server, ("sus", "BEST EVER!!! code SAVE50", {"suspicion": 0.8}))
    item_id = seeded.ids["sus"]
    sign_in(page, live_server, EDITOR)
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    page.keyboard.press("a")
    assert page.evaluate("document.activeElement.name") == "override_reason"
    assert stored(live_server, item_id).status == "pending"
    page.keyboard.type("Real customer; we called her")
    page.keyboard.press("Enter")
    wait_status(page, f"Approved #{item_id}")
    saved = stored(live_server, item_id)
    assert (saved.status, saved.override_reason) == ("approved", "Real customer; we called her")


def test_viewer_cannot_approve(live_server: LiveServer, page: Any) -> None:
    seeded = seed(live_server, ("item", "Lovely tool.", {}))
    item_id = seeded.ids["item"]
    sign_in(page, live_server, VIEWER)
    assert "Lovely tool." in page.inner_text("main")
    assert page.locator("main button:has-text('Approve'), #bulk-form, .select-box").count() == 0
    status = page.evaluate(
        """async id => {
          const token = document.querySelector('input[name=csrf_token]').value;
          const body = new FormData(); body.set('csrf_token', token);
          const r = await fetch(`/inbox/${id}/approve`, {method: 'POST', body});
          return r.status;
        }""",
        item_id,
    )
    assert status == 403
    assert stored(live_server, item_id).status == "pending"


def test_injection_corpus_stays_inert_text(live_server: LiveServer, page: Any) -> None:
    entries = tuple(
        (f"x{n}", f"Before {payload} after.", {"author_name": payload, "author_company": payload})
        for n, payload in enumerate(CORPUS)
    )
    seeded = seed(live_server, *entries)
    session = live_server.session()
    tags = [create_tag(session, seeded.workspace_id, payload) for payload in CORPUS]
    actor = services.Actor()
    for key, testimonial_id in seeded.ids.items():
        n = int(key[1:])
        t = session.get(Curated, testimonial_id)
        services.set_tags(session, t, actor, tags)
        services.edit(session, t, actor, {"excerpt": CORPUS[n], "display_role": CORPUS[n]})
        services.reject(session, t, actor, CORPUS[n])
    session.commit()
    session.close()
    sign_in(page, live_server, DEMO_EMAIL, "/inbox?status=rejected")

    shown = page.inner_text("main")
    for payload in CORPUS:
        assert f"Before {payload} after." in shown and payload in shown
    first = seeded.ids["x0"]
    assert page.inner_text(f"#t-{first} blockquote.original") == f"Before {CORPUS[0]} after."
    assert page.inner_text(f"#t-{first} mark.excerpt") == CORPUS[0]
    assert page.locator(INJECTED).count() == 0

    last = seeded.ids[f"x{len(CORPUS) - 1}"]
    page.goto(f"{live_server.url}/inbox/{last}")
    assert page.input_value("#excerpt") == CORPUS[-1]
    assert page.inner_text("#original-text") == f"Before {CORPUS[-1]} after."
    assert page.input_value("input[name=display_role]") == CORPUS[-1]
    for payload in CORPUS:
        assert payload in page.inner_text(".tag-form")
    assert page.locator(INJECTED).count() == 0

    page.goto(f"{live_server.url}/audit")
    audit = page.inner_text("main")
    for payload in CORPUS:
        assert payload in audit
    assert page.locator(INJECTED).count() == 0
    page.goto(f"{live_server.url}/tags")
    assert all(payload in page.inner_text("main") for payload in CORPUS)
    page.hover("main table")
    assert page.locator(INJECTED).count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


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


def test_words_flagged_on_upgrade_are_marked_and_cannot_be_approved(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    seeded = seed(live_server, ("old", "Booking took 2 minutes instead of 20.", {}))
    session = live_server.session()
    legacy = session.get(Curated, seeded.ids["old"])
    # As migration 0010 leaves an excerpt saved before the rule existed.
    legacy.excerpt = "Best booking tool ever, 10/10"
    legacy.honesty_problem = (
        "Excerpt: “Best booking tool ever, 10/10” is not what the customer wrote."
    )
    session.commit()
    session.close()
    sign_in(page, live_server, EDITOR)
    assert "1 testimonial needs its wording fixed" in page.inner_text(
        "[data-role=needs-fix-notice]"
    )
    page.click("[data-role=needs-fix-notice] a")
    card = page.locator(f"#t-{seeded.ids['old']}")
    assert "not the customer's words" in card.locator("[data-role=needs-fix]").inner_text()
    screenshot(page, "inbox-needs-fix")
    card.locator("button:has-text('Approve')").click()
    card.locator(".card-error").wait_for(state="visible")
    assert "Not publishable until the wording is fixed" in card.locator(".card-error").inner_text()
    assert stored(live_server, seeded.ids["old"]).status == "pending"
