"""The loader in Chromium: the viewable rule, for the widget and for each carousel card."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.tracking.helpers import (
    OBSERVERS,
    MeasuredHost,
    beacons,
    flushed,
    show_share,
    start_experiment_in_arm,
    wait_stored,
)

pytestmark = pytest.mark.browser


def test_viewable_needs_half_the_widget_for_a_second_in_a_visible_focused_tab(
    browser: Any, live_server: LiveServer, host: tuple[MeasuredHost, str]
) -> None:
    site, origin = host
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(OBSERVERS)
    page = context.new_page()
    experiment = start_experiment_in_arm(live_server, page, site, origin, "treatment")
    sent = beacons(page)
    page.goto(origin + "/below")
    show_share(page, 0.3)  # near the viewport: the loader fetches and renders it
    page.wait_for_function("() => window.__rendered.length === 1")
    assert page.evaluate("window.__rendered") == ["treatment"]
    height = page.evaluate("document.querySelector('testimonials-widget').offsetHeight")
    assert 200 < height < 800  # half of it fits in the viewport

    show_share(page, 0.4)  # 40% for 1.5 s: not viewable
    page.wait_for_timeout(1500)
    assert "viewable" not in flushed(page, sent)
    assert "slot_reached" in flushed(page, sent)

    # 60% for 0.4 s, then back to 40%: the clock restarts, nothing counted.
    page.evaluate(
        """() => new Promise(done => {
          const el = document.querySelector('testimonials-widget');
          const at = share => { const r = el.getBoundingClientRect();
            window.scrollBy(0, r.top - (innerHeight - share * r.height)); };
          at(0.6); setTimeout(() => { at(0.4); setTimeout(done, 1200); }, 400);
        })"""
    )
    assert "viewable" not in flushed(page, sent)

    # Fully visible, but the tab is not focused (another tab in front): not counted.
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setFocusEmulationEnabled", {"enabled": False})
    other = context.new_page()
    other.bring_to_front()
    show_share(page, 1.0)
    assert page.evaluate("document.hasFocus()") is False
    page.wait_for_timeout(1500)
    assert "viewable" not in flushed(page, sent)
    other.close()
    cdp.send("Emulation.setFocusEmulationEnabled", {"enabled": True})
    page.bring_to_front()

    # A hidden tab. Headless Chromium never hides a page, so the document reports the state
    # a browser gives a background tab (visibilityState "hidden" and its event).
    page.evaluate(
        """() => { Object.defineProperty(document, 'visibilityState',
             {configurable: true, get: () => 'hidden'});
           document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    page.wait_for_timeout(1500)
    assert "viewable" not in flushed(page, sent)

    # Back in front, focused, fully visible: counted once, after one continuous second.
    page.evaluate(
        """() => { delete document.visibilityState;
           window.dispatchEvent(new Event('focus'));
           document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    assert page.evaluate("[document.visibilityState, document.hasFocus()]") == ["visible", True]
    started = time.monotonic()
    deadline = started + 8
    while "viewable" not in flushed(page, sent, 200) and time.monotonic() < deadline:
        pass
    assert time.monotonic() - started >= 1.0
    page.wait_for_timeout(1500)
    assert flushed(page, sent).count("viewable") == 1

    rows = wait_stored(
        live_server, experiment["id"], lambda r: any(e.kind == "viewable" for e in r)
    )
    kinds = [e.kind for e in rows]
    assert kinds.count("viewable") == 1 and kinds.count("slot_reached") == 1
    assert {e.unit_key for e in rows} == {experiment["unit"]}
    assert {e.arm for e in rows} == {"treatment"}
    assert page.evaluate("window.__violations") == []
    context.close()


def carousel_in_treatment(
    browser: Any, live_server: LiveServer, host: tuple[MeasuredHost, str]
) -> tuple[Any, Any, dict[str, Any]]:
    """A fresh browser context whose unit is in the treatment of a running carousel test."""
    site, origin = host
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(OBSERVERS)
    page = context.new_page()
    experiment = start_experiment_in_arm(live_server, page, site, origin, "treatment", "carousel")
    return context, page, experiment


def test_carousel_navigation_and_card_actions_are_beaconed_with_their_card(
    browser: Any, live_server: LiveServer, host: tuple[MeasuredHost, str]
) -> None:
    context, page, experiment = carousel_in_treatment(browser, live_server, host)
    origin = host[1]
    page.goto(origin + "/")
    page.wait_for_function("() => window.__rendered.length === 1")
    widget = page.locator("testimonials-widget")
    widget.locator(".tw-next").click()
    widget.locator(".tw-prev").click()
    # A card control marked for measurement names its card: the card's "Read more" (the
    # seeded quotes fit their cards, so it is shown here as for a quote the card cuts).
    first = widget.locator(".tw-card").first
    card_id = int(first.get_attribute("data-testimonial"))
    first.locator(".tw-more").evaluate("b => { b.hidden = false; }")
    first.locator(".tw-more").click()
    first.locator(".tw-full").wait_for(state="visible")
    page.goto(origin + "/blank")  # leaving sends the batch
    rows = wait_stored(
        live_server, experiment["id"], lambda r: sum(e.kind == "interaction" for e in r) >= 3
    )
    interactions = [(e.name, e.testimonial_ids) for e in rows if e.kind == "interaction"]
    assert interactions == [
        ("carousel_next", None),
        ("carousel_previous", None),
        ("read_more", str(card_id)),
    ]
    context.close()


CARDS_IN_VIEW = """() => {
  const root = document.querySelector('testimonials-widget').shadowRoot;
  const clip = root.querySelector('.tw-track').getBoundingClientRect();
  return [...root.querySelectorAll('.tw-card')].filter(card => {
    const r = card.getBoundingClientRect();
    const w = Math.max(0,
      Math.min(r.right, clip.right, innerWidth) - Math.max(r.left, clip.left, 0));
    const h = Math.max(0,
      Math.min(r.bottom, clip.bottom, innerHeight) - Math.max(r.top, clip.top, 0));
    return w * h >= 0.5 * r.width * r.height;
  }).map(card => +card.getAttribute('data-testimonial'));
}"""


def test_a_carousel_card_is_viewable_only_once_it_is_itself_in_view(
    browser: Any, live_server: LiveServer, host: tuple[MeasuredHost, str]
) -> None:
    context, page, experiment = carousel_in_treatment(browser, live_server, host)
    origin = host[1]
    sent = beacons(page)
    page.goto(origin + "/")
    page.wait_for_function("() => window.__rendered.length === 1")
    cards = [
        int(i)
        for i in page.locator(".tw-card").evaluate_all(
            "cs => cs.map(c => c.getAttribute('data-testimonial'))"
        )
    ]
    page.wait_for_timeout(1500)
    flushed(page, sent)
    in_view = page.evaluate(CARDS_IN_VIEW)
    assert 0 < len(in_view) < len(cards)  # the rest are scrolled away inside the track
    seen = [e["testimonial"] for e in sent if e["type"] == "card_viewable"]
    assert sorted(seen) == sorted(in_view)
    assert [e.get("name") for e in sent if e["type"] == "viewable"] == ["cards"]

    # Scrolled to the last card: it counts now; nothing counts twice.
    page.evaluate(
        "() => { const t = document.querySelector('testimonials-widget')"
        ".shadowRoot.querySelector('.tw-track'); t.scrollLeft = t.scrollWidth; }"
    )
    page.wait_for_timeout(1500)
    flushed(page, sent)
    seen = [e["testimonial"] for e in sent if e["type"] == "card_viewable"]
    assert cards[-1] in seen and cards[-1] not in in_view
    assert len(seen) == len(set(seen))
    rows = wait_stored(
        live_server,
        experiment["id"],
        lambda r: sum(e.kind == "card_viewable" for e in r) == len(seen),
    )
    stored_cards = [e.testimonial_ids for e in rows if e.kind == "card_viewable"]
    assert sorted(stored_cards) == sorted(str(t) for t in seen)
    assert page.evaluate("window.__violations") == []
    context.close()
