"""Widgets in real Chromium on a host page from another origin: every type and mode, no
layout shift, inert injection, the iframe's origin check, no-JS, keyboard and axe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LAYOUT_AND_CSP_OBSERVERS, LiveServer
from tests.browser.widget_host import HostSite, wait_rendered
from tests.conftest import PASSWORD
from tests.widgets.browser_seed import seed

pytestmark = pytest.mark.browser

KINDS = ("wall", "carousel", "single", "marquee", "avatars", "rating")
MODES = ("script", "iframe", "fragment")
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


# Every part of a widget lies inside its reserved box, one under the other: nothing cut off
# at the bottom, nothing pushed beside its caption.
_CLIPPED_PARTS = """root => {
  const box = root.getBoundingClientRect();
  const parts = [...root.children].filter(c => getComputedStyle(c).position !== 'absolute');
  const out = parts.filter(c => c.getBoundingClientRect().bottom > box.bottom + 0.5
    || c.getBoundingClientRect().top < box.top - 0.5).map(c => c.className || c.tagName);
  const beside = parts.slice(1).filter((c, i) =>
    c.getBoundingClientRect().top < parts[i].getBoundingClientRect().bottom - 0.5
  ).map(c => c.className || c.tagName);
  return {out, beside, cut: root.scrollHeight > root.clientHeight + 0.5};
}"""


def _clipped_parts(page: Any, mode: str) -> dict[str, Any]:
    if mode == "script":
        root = page.locator("testimonials-widget").locator(".tw-root")
    elif mode == "iframe":
        root = page.frame_locator("iframe").locator(".tw-root")
    else:
        root = page.locator(".tw-root")
    return root.evaluate(_CLIPPED_PARTS)


def test_every_type_and_mode_renders_with_zero_layout_shift(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str], screenshot: Any
) -> None:
    site, origin = host
    with live_server.session() as session:
        keys = seed(session)
    for kind in KINDS:
        for mode in MODES:
            html = site.embed(mode, keys[kind])
            site.pages[f"/{kind}/{mode}/above"] = lambda html=html: site.page(html)
            site.pages[f"/{kind}/{mode}/below"] = lambda html=html: site.page(
                "<p>" + "Long read about clinic software. " * 600 + "</p>" + html
            )
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        context.add_init_script(LAYOUT_AND_CSP_OBSERVERS)
        page = context.new_page()
        for kind in KINDS:
            for mode in MODES:
                page.goto(f"{origin}/{kind}/{mode}/above")
                wait_rendered(page, mode)
                assert page.evaluate("window.__cls") == 0, (kind, mode, name, "above")
                assert page.evaluate("window.__violations") == [], (kind, mode)
                assert _clipped_parts(page, mode) == {"out": [], "beside": [], "cut": False}, (
                    kind,
                    mode,
                    name,
                )
                if mode == "script" and name == "desktop":
                    screenshot(page, f"widget-{kind}")
                page.goto(f"{origin}/{kind}/{mode}/below")
                page.locator("#after").scroll_into_view_if_needed()
                wait_rendered(page, mode)
                assert page.evaluate("window.__cls") == 0, (kind, mode, name, "below")
        context.close()


INJECTION = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
    '<svg onload="window.__pwned=1"><circle r=9></svg>',
    "</li></ul></section><b>broken",
    "\u202eevil override\u202c and \u2067isolate",
    '"><iframe src="javascript:window.__pwned=1"></iframe>',
]


# The widget's own "Read more" in each language, beside the escaped attack: translated
# chrome goes through the same escaping as the customer's words.
@pytest.mark.parametrize(("language", "read_more"), [("en", "Read more"), ("km", "អានបន្ត")])
def test_injection_in_every_customer_field_is_inert_in_every_mode(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str], language: str, read_more: str
) -> None:
    site, origin = host
    payload = " ".join(INJECTION)
    with live_server.session() as session:
        keys = seed(
            session,
            # Names are at most 200 characters: two of the attacks fit.
            [(payload, language, f"{INJECTION[0]} {INJECTION[5]}")],
            language=language,
            author_role=INJECTION[1],
            author_company=INJECTION[3],
        )
    context = browser.new_context()
    context.add_init_script(LAYOUT_AND_CSP_OBSERVERS)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for mode in MODES:
        html = site.embed(mode, keys["wall"])
        site.pages[f"/{mode}"] = lambda html=html: site.page(html)
        page.goto(f"{origin}/{mode}")
        wait_rendered(page, mode)
        assert page.evaluate("window.__pwned") is None, mode
        # Nothing leaked into the host page: no new elements outside the widget.
        assert page.evaluate("document.querySelectorAll('body img, body svg, body b').length") == 0
        if mode == "script":
            text = page.evaluate(
                "document.querySelector('testimonials-widget').shadowRoot.textContent"
            )
        elif mode == "iframe":
            text = page.frame_locator("iframe").locator(".tw-root").text_content()
            assert (
                page.frame_locator("iframe")
                .locator(".tw-root script, .tw-root img[onerror], .tw-root svg")
                .count()
                == 0
            )
        else:
            text = page.locator(".tw-root").text_content()
        assert "<script>window.__pwned=1</script>" in text, mode
        assert '<img src=x onerror="window.__pwned=1">' in text, mode
        assert read_more in text, mode
        assert page.evaluate("window.__violations") == [], mode
        # Nothing stored on the visitor's device, by the host's origin or ours.
        assert page.evaluate("localStorage.length + sessionStorage.length") == 0
        assert page.evaluate("document.cookie") == ""
    assert context.cookies() == []
    assert dialogs == []
    context.close()


def test_iframe_accepts_size_messages_only_from_our_origin(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str]
) -> None:
    site, origin = host
    with live_server.session() as session:
        keys = seed(session)
    html = site.embed("iframe", keys["wall"])
    site.pages["/frame"] = lambda: site.page(html)
    page = browser.new_page()
    page.goto(f"{origin}/frame")
    wait_rendered(page, "iframe")
    before = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    assert before > 200
    # The host page itself (another origin) pretends to be the widget.
    page.evaluate("window.postMessage({type: 'testimonials:height', height: 3}, '*')")
    page.evaluate("() => new Promise(r => setTimeout(r, 50))")
    assert (
        page.evaluate("document.querySelector('iframe').getBoundingClientRect().height") == before
    )
    page.close()


def test_without_javascript_the_fragment_reads_as_a_list(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str]
) -> None:
    site, origin = host
    with live_server.session() as session:
        keys = seed(session)
    html = site.embed("fragment", keys["carousel"])
    site.pages["/nojs"] = lambda: site.page(html)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{origin}/nojs")
    cards = page.locator(".tw-card")
    assert cards.count() == 6
    assert cards.first.is_visible()
    assert "Booking took 2 minutes" in page.locator(".tw-root").text_content()
    assert not page.locator(".tw-next").is_visible()  # buttons need the script
    context.close()


def test_carousel_is_keyboard_operable(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str]
) -> None:
    site, origin = host
    with live_server.session() as session:
        keys = seed(session)
    html = site.embed("script", keys["carousel"])
    site.pages["/carousel"] = lambda: site.page(html)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{origin}/carousel")
    wait_rendered(page, "script")
    track = page.locator("testimonials-widget .tw-track")
    track.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('testimonials-widget').shadowRoot"
        ".querySelector('.tw-track').scrollLeft > 100"
    )
    # Smooth scrolling: let the arrow's scroll settle before measuring from where it ends.
    settled = page.evaluate(
        """() => new Promise(resolve => {
            const track = document.querySelector('testimonials-widget').shadowRoot
                .querySelector('.tw-track');
            let last = -1;
            const check = () => {
                if (track.scrollLeft === last) return resolve(last);
                last = track.scrollLeft;
                setTimeout(check, 150);
            };
            check();
        })"""
    )
    page.keyboard.press("Tab")  # to "Previous"
    page.keyboard.press("Tab")  # to "Next"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(from) => document.querySelector('testimonials-widget').shadowRoot"
        ".querySelector('.tw-track').scrollLeft > from + 200",
        arg=settled,
    )
    page.close()


def test_no_serious_accessibility_violation_in_any_type_or_theme(
    browser: Any, live_server: LiveServer
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from testimonials.widgets import services as widget_services
    from testimonials.widgets.models import Widget

    with live_server.session() as session:
        keys = seed(session)
        for key in keys.values():
            widget = session.query(Widget).filter_by(public_key=key).one()
            widget_services.update_widget(session, widget, {"theme": {"mode": "dark"}})
            session.add(
                Widget(
                    workspace_id=widget.workspace_id,
                    name=widget.name + " light",
                    kind=widget.kind,
                    public_key=key + "L",
                    theme={"mode": "light", "accent": "#ffd400"},
                )
            )
        session.commit()
    axe = Axe()
    page = browser.new_page()
    for key in [k for base in keys.values() for k in (base, base + "L")]:
        page.goto(f"{live_server.url}/w/{key}")
        page.wait_for_selector(".tw-root")
        results = axe.run(page)
        assert results.response["passes"], key  # axe really looked at the widget
        serious = [
            (v["id"], v["impact"])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (key, serious)
    page.close()


def test_div_placeholders_late_widgets_marquee_pause_reduced_motion_and_rtl(
    browser: Any, live_server: LiveServer, host: tuple[HostSite, str]
) -> None:
    site, origin = host
    with live_server.session() as session:
        keys = seed(session)
    o = live_server.url
    body = (
        f'<link rel="stylesheet" href="{o}/w/{keys["marquee"]}/slot.css">'
        f'<div data-testimonials-widget="{keys["marquee"]}"></div>'
        f'<script async src="{o}/widgets/loader.js"></script>'
    )
    site.pages["/more"] = lambda: site.page(body)
    page = browser.new_page()
    page.goto(f"{origin}/more")
    marquee = page.locator(f'div[data-testimonials-widget="{keys["marquee"]}"]')
    marquee.locator(".tw-root").wait_for()
    state = "el => getComputedStyle(el).animationPlayState"
    track = marquee.locator(".tw-track")
    page.mouse.move(0, 0)
    assert track.evaluate(state) == "running"
    marquee.locator(".tw-pause-input").focus()
    page.keyboard.press("Space")
    page.mouse.move(0, 0)
    marquee.locator(".tw-pause-input").blur()
    assert track.evaluate(state) == "paused"
    # Arabic lays out right to left; the others left to right.
    directions = marquee.locator(".tw-card blockquote p").evaluate_all(
        "ps => ps.map(p => [p.closest('[lang]').lang, getComputedStyle(p).direction])"
    )
    assert ["ar", "rtl"] in directions and ["en", "ltr"] in directions
    # A widget added after the page loaded (a single-page app) renders too.
    page.evaluate(
        "key => { const el = document.createElement('testimonials-widget');"
        " el.setAttribute('data-testimonials-widget', key); document.body.append(el); }",
        keys["single"],
    )
    page.locator("testimonials-widget .tw-root").wait_for()
    page.close()
    reduced = browser.new_page()
    reduced.emulate_media(reduced_motion="reduce")
    reduced.goto(f"{origin}/more")
    still = reduced.locator(f'div[data-testimonials-widget="{keys["marquee"]}"] .tw-track')
    still.wait_for()
    assert still.evaluate("el => getComputedStyle(el).animationName") == "none"
    reduced.close()


def test_the_editor_previews_unsaved_settings_live(browser: Any, live_server: LiveServer) -> None:
    with live_server.session() as session:
        seed(session)
    page = browser.new_page()
    page.goto(f"{live_server.url}/login?next=/widgets/new")
    page.fill("input[name=email]", "owner@acme.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # The preview frame keeps loading as the form changes: wait for the page, not "load".
    page.wait_for_url(f"{live_server.url}/widgets/new", wait_until="domcontentloaded")
    preview = page.frame_locator("#widget-preview")
    preview.locator(".tw-root").wait_for()
    assert "Selected by Acme Clinics" in preview.locator(".tw-caption").text_content()
    page.fill("input[name=caption]", "Chosen with care by {company}")
    page.wait_for_function(
        "() => { const d = document.getElementById('widget-preview').contentDocument;"
        " return d && d.body && d.body.textContent.includes('Chosen with care by Acme Clinics'); }"
    )
    page.select_option("select[name=kind]", "rating")
    preview.locator(".tw-rating").wait_for()
    page.fill("textarea[name=custom_css]", "@import 'https://evil.example/x.css';")
    preview.get_by_role("alert").wait_for()
    assert "Custom CSS may not use" in preview.get_by_role("alert").text_content()
    page.close()
