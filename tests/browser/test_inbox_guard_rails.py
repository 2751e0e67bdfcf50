"""The inbox in real Chromium: consent, suspicion and role guards, inert text, flagged words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from testimonials.curation import services
from testimonials.curation.models import Testimonial as Curated
from testimonials.curation.tags import create_tag
from testimonials.demo import DEMO_EMAIL
from testimonials.harvest.models import ConsentState
from tests.browser.conftest import LiveServer
from tests.browser.inbox_helpers import EDITOR, VIEWER, seed, sign_in, stored, wait_status

pytestmark = pytest.mark.browser


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
