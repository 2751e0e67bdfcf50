"""Read more, in real Chromium: a cut quote opens whole in a popover over the host page, in
every delivery mode and at phone and desktop widths, without moving the page; a quote that
fits has no such control; axe finds nothing serious with the popover open."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LAYOUT_AND_CSP_OBSERVERS, LiveServer
from tests.browser.widget_host import HostSite, wait_rendered
from tests.widgets.browser_seed import seed

pytestmark = pytest.mark.browser

LONG = (
    "We moved all 14 clinics onto the booking system in one week. Before, patients waited on "
    "hold for 20 minutes; now most book online in under 2 minutes, and the reminders cut our "
    "no-shows from 11% to 4% within the first quarter. The front desk stopped spending its "
    "mornings on the phone, and our two nurses now call back every patient who asks within "
    "the hour. The last sentence is here: FINAL WORDS."
)
KHMER = (
    "យើងបានផ្លាស់ប្តូរគ្លីនិកទាំង១៤របស់យើងទៅប្រព័ន្ធកក់ថ្មីក្នុងរយៈពេលមួយសប្តាហ៍"
    "ហើយអ្នកជំងឺភាគច្រើនកក់តាមអ៊ីនធឺណិតក្នុងរយៈពេលតិចជាង២នាទី"
    "ការរំលឹកបានកាត់បន្ថយការមិនមកពី១១%មក៤%ក្នុងត្រីមាសដំបូង។ "
    "បុគ្គលិកផ្នែកទទួលភ្ញៀវលែងចំណាយពេលព្រឹកនៅលើទូរស័ព្ទ "
    "ហើយគិលានុបដ្ឋាយិកាទាំងពីររបស់យើងឥឡូវនេះហៅទៅអ្នកជំងឺវិញក្នុងរយៈពេលមួយម៉ោង។ "
    "យើងណែនាំវាដល់គ្លីនិកទាំងអស់ដែលចង់ឱ្យអ្នកជំងឺរបស់ពួកគេរង់ចាំតិចជាងមុន។ ចប់។"
)
SHORT = "Booking took 2 minutes instead of 20."
QUOTES = [(LONG, "en", "Dana Whitfield"), (SHORT, "en", "Marco Ruiz"), (KHMER, "km", "សុខ ចាន់")]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _scope(page: Any, mode: str) -> Any:
    if mode == "script":
        return page.locator("testimonials-widget")
    if mode == "iframe":
        return page.frame_locator("iframe")
    return page


def test_a_cut_quote_opens_whole_in_every_mode_without_moving_the_page(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str], screenshot: Any
) -> None:
    site, origin = host
    with live_server.session() as session:
        keys = seed(session, QUOTES)
    for mode in ("script", "iframe", "fragment"):
        html = site.embed(mode, keys["wall"])
        site.pages[f"/{mode}"] = lambda html=html: site.page(html)
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        context.add_init_script(LAYOUT_AND_CSP_OBSERVERS)
        page = context.new_page()
        for mode in ("script", "iframe", "fragment"):
            page.goto(f"{origin}/{mode}")
            wait_rendered(page, mode)
            scope = _scope(page, mode)
            cards = scope.locator(".tw-list > .tw-card")
            long_card, short_card, khmer_card = (
                cards.filter(has_text=who) for who in ("Dana Whitfield", "Marco Ruiz", "សុខ ចាន់")
            )
            assert not short_card.locator(".tw-more").is_visible(), (mode, name)
            for card, last_words in ((long_card, "FINAL WORDS."), (khmer_card, "ចប់។")):
                # The card cuts it: the end is not in view, and Read more is offered.
                quote = card.locator("figure blockquote")
                cut = "q => [q, q.firstElementChild].some(e => e.scrollHeight > e.clientHeight + 1)"
                assert quote.evaluate(cut), (mode, name)
                card.locator(".tw-more").click()
                full = card.locator(".tw-full")
                full.wait_for(state="visible")
                assert last_words in full.locator("blockquote").inner_text(), (mode, name)
                # The whole of it: the popover's own quote is not cut.
                assert not full.locator("blockquote").evaluate(cut), (mode, name)
                box = full.bounding_box()
                frame = page.viewport_size
                if mode != "iframe":  # in an iframe it lies within the frame, which scrolls
                    assert box["y"] >= 0 and box["y"] + box["height"] <= frame["height"] + 1
                    assert box["x"] >= 0 and box["x"] + box["width"] <= frame["width"] + 1
                if name == "phone" and mode == "script" and last_words == "ចប់។":
                    screenshot(page, "widget-read-more-khmer-phone")
                page.keyboard.press("Escape")
                full.wait_for(state="hidden")
            # No card shows a line cut in half: each clamped quote fits its card's room.
            halves = cards.evaluate_all(
                "cs => cs.filter(c => { const q = c.querySelector('figure blockquote');"
                " return q.firstElementChild.getBoundingClientRect().height"
                " > q.clientHeight + 0.5; }).length"
            )
            assert halves == 0, (mode, name)
            assert page.evaluate("window.__cls") == 0, (mode, name)
            assert page.evaluate("window.__violations") == [], (mode, name)
        context.close()


def test_no_serious_accessibility_violation_with_the_popover_open(
    browser: Any, live_server: LiveServer
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with live_server.session() as session:
        keys = seed(session, QUOTES)
    axe = Axe()
    page = browser.new_page(reduced_motion="reduce")  # a moving marquee's button is no target
    for kind in ("wall", "single", "marquee", "carousel"):
        page.goto(f"{live_server.url}/w/{keys[kind]}")
        page.wait_for_selector(".tw-root.tw-js")
        more = page.locator(".tw-more:visible").first
        more.click()
        page.locator(".tw-full:popover-open").wait_for()
        results = axe.run(page)
        assert results.response["passes"], kind
        serious = [
            (v["id"], v["impact"])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (kind, serious)
        page.keyboard.press("Escape")
    page.close()


def test_a_browser_without_popovers_is_not_offered_a_control_that_does_nothing(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str]
) -> None:
    site, origin = host
    with live_server.session() as session:
        keys = seed(session, QUOTES)
    html = site.embed("script", keys["wall"])
    site.pages["/old"] = lambda: site.page(html)
    context = browser.new_context()
    # As a browser from before popovers (Chrome 114, Safari 17, Firefox 125) looks to a script.
    context.add_init_script("delete HTMLElement.prototype.popover")
    page = context.new_page()
    page.goto(f"{origin}/old")
    wait_rendered(page, "script")
    more = page.locator("testimonials-widget").locator(".tw-more")
    assert more.count() == 3
    assert all(not more.nth(n).is_visible() for n in range(3))
    context.close()
