"""Customers and visitors in their own language, in real Chromium: a Khmer survey answered,
Lao and Khmer widgets without English left, Arabic mirrored, the reserved height kept.
(The injection corpus in a Khmer widget: test_widgets.py's injection test.)"""

from __future__ import annotations

import re
from typing import Any

import pytest

from testimonials.accounts.services import create_workspace
from testimonials.harvest.surveys.services import consent_text, create_survey
from testimonials.widgets import services as widgets
from tests.browser.conftest import LAYOUT_AND_CSP_OBSERVERS, LiveServer
from tests.browser.test_widgets import _CLIPPED_PARTS, KINDS, VIEWPORTS
from tests.browser.widget_host import HostSite, wait_rendered
from tests.widgets.browser_seed import seed

pytestmark = pytest.mark.browser

# The widget's own English words, as a visitor would read them (quotes and names aside).
ENGLISH_CHROME = re.compile(
    r"Read more|Selected by|Rated \d|out of 5|Close|Previous|Next|Pause|customers? shared|"
    r"genuine rating|Customer rating|Testimonials?\b"
)
# Lines of the widget's own text that must stay one line high: wrapping would take room
# the slot did not reserve.
_WRAPPED_LINES = """root => [...root.querySelectorAll(
    '.tw-caption, .tw-count, .tw-score, .tw-basis, .tw-pause, .tw-more, .tw-stars')]
  .filter(el => el.offsetParent !== null)
  .filter(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const half = parseFloat(getComputedStyle(el).lineHeight) / 2;
    const tops = [...range.getClientRects()].map(r => r.top).sort((a, b) => a - b);
    return tops.some((top, i) => i > 0 && top - tops[i - 1] > half);
  })
  .map(el => el.className + ': ' + el.textContent)"""


def _widgets_in(session: Any, key: str, language: str) -> dict[str, str]:
    """One widget per kind in `language`, beside the widget `key` (same workspace)."""
    workspace_id = widgets.find_public_widget(session, key).workspace_id
    made = {
        kind: widgets.create_widget(
            session, workspace_id, {"name": kind, "kind": kind, "language": language}
        ).public_key
        for kind in KINDS
    }
    session.commit()
    return made


def _root(page: Any) -> Any:
    return page.locator("testimonials-widget").locator(".tw-root")


def test_a_khmer_customer_fills_in_and_sends_the_hosted_survey(
    live_server: LiveServer, page: Any, screenshot: Any
) -> None:
    session = live_server.session()
    workspace = create_workspace(session, "Angkor Dental")
    survey = create_survey(
        session, workspace.id, {"name": "NPS", "company_name": "Angkor Dental", "language": "km"}
    )
    session.commit()
    token, wording = survey.public_token, consent_text(survey)
    session.close()

    page.goto(f"{live_server.url}/s/{token}")
    assert page.locator("html").get_attribute("lang") == "km"
    page.get_by_label("តើអ្វីជាមូលហេតុចម្បងនៃពិន្ទុរបស់អ្នក?").fill("សេវាល្អ ហើយរហ័ស។")
    page.get_by_label(wording).check()
    page.get_by_role("button", name="ផ្ញើ").click()
    # Forgot the score and the name: told so in Khmer, nothing typed is lost.
    page.locator("#score-error").wait_for()
    assert page.locator("#score-error").inner_text() == "សូមជ្រើសរើសពិន្ទុពី 0 ដល់ 10។"
    screenshot(page, "survey-km-errors")
    page.get_by_text("9", exact=True).click()
    page.get_by_label("ឈ្មោះដែលត្រូវបង្ហាញ").fill("សុខ ចាន់")
    page.get_by_role("button", name="ផ្ញើ").click()
    page.get_by_role("heading", name="សូមអរគុណ!").wait_for()
    assert "Angkor Dental" in page.locator("main").inner_text()
    screenshot(page, "survey-km-thanks")


def test_lao_and_khmer_widgets_leave_no_english_and_keep_their_reserved_height(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str], screenshot: Any
) -> None:
    site, origin = host
    with live_server.session() as session:
        keys = {"lo": seed(session, language="lo")}
        keys["km"] = _widgets_in(session, keys["lo"]["wall"], "km")
    for language, by_kind in keys.items():
        for kind in KINDS:
            html = site.embed("script", by_kind[kind])
            site.pages[f"/{language}/{kind}"] = lambda html=html: site.page(html)
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        context.add_init_script(LAYOUT_AND_CSP_OBSERVERS)
        page = context.new_page()
        for language in keys:
            for kind in KINDS:
                page.goto(f"{origin}/{language}/{kind}")
                wait_rendered(page, "script")
                root = _root(page)
                assert root.get_attribute("lang") == language
                # What a visitor reads, and what a screen reader says.
                text = (
                    root.inner_text()
                    + " "
                    + root.evaluate(
                        "r => [r, ...r.querySelectorAll('[aria-label]')]"
                        ".map(e => e.getAttribute('aria-label')).join(' ')"
                    )
                )
                assert ENGLISH_CHROME.findall(text) == [], (language, kind, text)
                assert page.evaluate("window.__cls") == 0, (language, kind, name)
                assert root.evaluate(_CLIPPED_PARTS) == {"out": [], "beside": [], "cut": False}
                assert root.evaluate(_WRAPPED_LINES) == [], (language, kind, name)
                if name == "desktop" and kind in ("wall", "avatars", "rating"):
                    screenshot(page, f"widget-{language}-{kind}")
        context.close()


def test_an_arabic_wall_runs_right_to_left_with_its_first_card_on_the_right(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str], screenshot: Any
) -> None:
    site, origin = host
    with live_server.session() as session:
        keys = seed(session, language="ar")
    for kind in KINDS:
        html = site.embed("script", keys[kind])
        site.pages[f"/{kind}"] = lambda html=html: site.page(html)
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.add_init_script(LAYOUT_AND_CSP_OBSERVERS)
    page = context.new_page()
    page.goto(f"{origin}/wall")
    wait_rendered(page, "script")
    root = _root(page)
    assert root.get_attribute("dir") == "rtl" and root.get_attribute("lang") == "ar"
    boxes = root.locator(".tw-card").evaluate_all(
        "cards => cards.map(c => c.getBoundingClientRect()).map(b => [b.left, b.right])"
    )
    list_right = root.locator(".tw-list").evaluate("l => l.getBoundingClientRect().right")
    assert abs(boxes[0][1] - list_right) < 1  # the first card starts at the right edge
    assert boxes[0][0] > boxes[1][0] > boxes[2][0]  # and the next ones follow leftwards
    screenshot(page, "widget-ar-wall")
    for kind in KINDS:
        page.goto(f"{origin}/{kind}")
        wait_rendered(page, "script")
        assert page.evaluate("window.__cls") == 0, kind
        assert _root(page).evaluate(_CLIPPED_PARTS) == {"out": [], "beside": [], "cut": False}
        assert _root(page).evaluate(_WRAPPED_LINES) == [], kind
    # The carousel's "next" control sits on the left and scrolls towards it.
    page.goto(f"{origin}/carousel")
    wait_rendered(page, "script")
    carousel = _root(page)
    previous, following = carousel.locator(".tw-prev"), carousel.locator(".tw-next")
    assert following.bounding_box()["x"] < previous.bounding_box()["x"]
    screenshot(page, "widget-ar-carousel")
    context.close()


def test_no_serious_accessibility_violation_in_arabic_lao_or_khmer(
    browser: Any, live_server: LiveServer
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with live_server.session() as session:
        keys = seed(session, language="ar")
        for language in ("lo", "km"):
            keys.update(
                {
                    f"{k}-{language}": v
                    for k, v in _widgets_in(session, keys["wall"], language).items()
                }
            )
    axe = Axe()
    page = browser.new_page()
    for name, key in keys.items():
        page.goto(f"{live_server.url}/w/{key}")
        page.wait_for_selector(".tw-root")
        results = axe.run(page)
        assert results.response["passes"], name
        serious = [
            (v["id"], v["impact"])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (name, serious)
    page.close()
