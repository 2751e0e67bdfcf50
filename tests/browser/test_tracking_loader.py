"""Measurement by the widget loader in real Chromium, on a host page from another origin
under a strict CSP: the viewable rule, the holdout's zero-height slot without layout shift,
conversions (JS call and goal URL) attributed to the visitor-day unit, nothing stored."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.wrappers import Request, Response

from testimonials.stats.assignment import assign_arm
from testimonials.tracking import experiments as service
from testimonials.tracking.models import TrackingEvent
from testimonials.widgets.models import Widget
from tests.browser.conftest import LiveServer, serving
from tests.widgets.browser_seed import seed

pytestmark = pytest.mark.browser

OBSERVERS = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: 'layout-shift', buffered: true});
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.__rendered = [];
document.addEventListener('testimonials:rendered', e => window.__rendered.push(e.detail.arm));
"""
HOST_CSS = ".spacer{height:1600px} .tall{height:3000px} body{margin:0;font:16px/1.5 sans-serif}"
# A page that reports a conversion before the async loader has run.
CONVERT_JS = (
    "window.Testimonials = window.Testimonials || {};"
    "(Testimonials.pending = Testimonials.pending || [])"
    ".push(['signup', {value: 49, order_id: 'A-1'}]);"
)


class MeasuredHost:
    """Another origin: pages embedding a widget, a thank-you page, its own CSS and script."""

    def __init__(self, widget_origin: str) -> None:
        self.o = widget_origin
        self.key = ""
        self.experiment = ""

    def body(self, path: str) -> str | None:
        o, key = self.o, self.key
        widget = (
            f'<link rel="stylesheet" href="{o}/w/{key}/slot.css">'
            f'<testimonials-widget data-testimonials-widget="{key}"></testimonials-widget>'
            f'<script async src="{o}/widgets/loader.js"></script>'
        )
        named = (
            f'<script async src="{o}/widgets/loader.js" '
            f'data-testimonials-experiment="{self.experiment}"></script>'
        )
        pages = {
            "/": f"<h1>Clinic software</h1><p>Intro.</p>{widget}<p id='after'>After.</p>"
            "<div class='tall'></div>",
            "/below": f"<h1>Pricing</h1><div class='spacer'></div>{widget}<p id='after'>After.</p>"
            "<div class='tall'></div>",
            "/pricing": f"<h1>Pricing</h1>{named}",
            "/app": f"<h1>A single-page app</h1>{named}",
            "/blank": "<p>Nothing here.</p>",
        }
        if path.startswith("/thank-you/"):
            return f"<h1>Thank you</h1><script src='/convert.js'></script>{named}"
        return pages.get(path)

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/host.css":
            return Response(HOST_CSS, mimetype="text/css")(environ, start_response)
        if request.path == "/convert.js":
            return Response(CONVERT_JS, mimetype="text/javascript")(environ, start_response)
        body = self.body(request.path)
        if body is None:
            return Response("not found", 404)(environ, start_response)
        o = self.o
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
            '<link rel="stylesheet" href="/host.css"></head>'
            f"<body>{body}</body></html>"
        )
        csp = (
            f"default-src 'none'; script-src 'self' {o}; style-src 'self' {o}; img-src {o}; "
            f"connect-src {o}"
        )
        headers = {"Content-Security-Policy": csp}
        return Response(page, mimetype="text/html", headers=headers)(environ, start_response)


@pytest.fixture
def host(live_server: LiveServer) -> Iterator[tuple[MeasuredHost, str]]:
    # "localhost" is another origin than the widget server's "127.0.0.1".
    site = MeasuredHost(live_server.url)
    with serving(site) as port:
        yield site, f"http://localhost:{port}"


def start_experiment_in_arm(
    live_server: LiveServer,
    page: Any,
    site: MeasuredHost,
    origin: str,
    arm: str,
    kind: str = "wall",
    **settings: Any,
) -> dict[str, Any]:
    """Start an experiment on the wall whose hashing key puts this browser's unit in `arm`.

    The unit is a visitor-day key the server derives; a draft experiment tells the page its
    unit without recording anything, and a key is then chosen for the wanted arm.
    """
    with live_server.session() as session:
        keys = seed(session)
    site.key = keys[kind]
    with live_server.session() as session:
        workspace_id = workspace_id_of(session, site.key)
        draft = service.create_experiment(
            session, workspace_id, name=kind, widget_key=site.key, holdout_share=0.5, **settings
        )
        session.commit()
        public_key, experiment_id = draft.public_key, draft.id
    page.goto(origin + "/blank")
    unit = page.evaluate(
        "o => fetch(o + '/api/v1/track/slot?experiment=" + public_key + "&event=probe-0001',"
        " {credentials: 'omit'}).then(r => r.json()).then(j => j.unit)",
        live_server.url,
    )
    chosen = next(
        f"exp-{arm}-{n}" for n in range(1000) if assign_arm(f"exp-{arm}-{n}", unit, 0.5) == arm
    )
    with live_server.session() as session:
        experiment = service.get_experiment(session, workspace_id, experiment_id)
        service.update_experiment(session, experiment, {"key": chosen})
        service.start_experiment(session, experiment, datetime.now(UTC))
        session.commit()
    site.experiment = public_key
    return {"id": experiment_id, "public_key": public_key, "unit": unit}


def workspace_id_of(session: Any, widget_key: str) -> int:
    return session.scalars(select(Widget.workspace_id).where(Widget.public_key == widget_key)).one()


def beacons(page: Any) -> list[dict[str, Any]]:
    """Every event the page sends from now on (read from the beacon requests themselves)."""
    sent: list[dict[str, Any]] = []

    def on_request(request: Any) -> None:
        if request.url.endswith("/api/v1/track/events"):
            assert request.method == "POST"
            assert request.headers.get("content-type", "").startswith("text/plain")
            sent.extend(json.loads(request.post_data)["events"])

    page.on("request", on_request)
    return sent


def flushed(page: Any, sent: list[dict[str, Any]], wait_ms: int = 300) -> list[str]:
    """Flush the loader's queue and return the kinds of events sent so far."""
    page.evaluate("Testimonials.flush()")
    page.wait_for_timeout(wait_ms)
    return [e["type"] for e in sent]


def stored(live_server: LiveServer, experiment_id: int, kind: str | None = None) -> list[Any]:
    with live_server.session() as session:
        query = select(TrackingEvent).where(TrackingEvent.experiment_id == experiment_id)
        if kind:
            query = query.where(TrackingEvent.kind == kind)
        return list(session.scalars(query.order_by(TrackingEvent.id)))


def wait_stored(
    live_server: LiveServer, experiment_id: int, ready: Callable[[list[Any]], bool]
) -> list[Any]:
    deadline = time.monotonic() + 10
    while True:
        rows = stored(live_server, experiment_id)
        if ready(rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def show_share(page: Any, share: float) -> None:
    """Scroll so that `share` of the widget's height is inside the viewport (from below)."""
    page.evaluate(
        """share => {
          const el = document.querySelector('testimonials-widget');
          const r = el.getBoundingClientRect();
          window.scrollBy(0, r.top - (innerHeight - share * r.height));
        }""",
        share,
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


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


@pytest.mark.parametrize("arm", ["holdout", "treatment"])
def test_both_arms_keep_the_layout_still_and_count_the_slot(
    browser: Any, live_server: LiveServer, host: tuple[MeasuredHost, str], arm: str
) -> None:
    site, origin = host
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(OBSERVERS)
    page = context.new_page()
    experiment = start_experiment_in_arm(live_server, page, site, origin, arm)
    for path in ("/", "/below"):
        sent = beacons(page)
        page.goto(origin + path)
        after_before = page.evaluate("document.getElementById('after').getBoundingClientRect().top")
        page.evaluate(
            "document.querySelector('testimonials-widget').scrollIntoView({block: 'center'})"
        )
        page.wait_for_function("() => window.__rendered.length === 1")
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        assert page.evaluate("window.__rendered") == [arm]
        assert page.evaluate("window.__cls") == 0, (arm, path)
        height = page.evaluate("document.querySelector('testimonials-widget').offsetHeight")
        children = page.evaluate(
            "document.querySelector('testimonials-widget').shadowRoot.childElementCount"
        )
        if arm == "holdout":
            assert height == 0 and children == 0  # empty, and no hole where it would be
            if path == "/":
                after_now = page.evaluate(
                    "document.getElementById('after').getBoundingClientRect().top"
                )
                assert after_now == after_before
        else:
            assert height > 200 and children > 0
        page.wait_for_timeout(200)
        assert "slot_reached" in flushed(page, sent)
    rows = wait_stored(
        live_server, experiment["id"], lambda r: sum(e.kind == "slot_reached" for e in r) >= 2
    )
    assert [e.kind for e in rows].count("exposure") == 2
    assert [e.kind for e in rows].count("slot_reached") == 2
    assert {e.arm for e in rows} == {arm} and {e.unit_key for e in rows} == {experiment["unit"]}
    assert page.evaluate("window.__violations") == []
    context.close()


def test_conversions_from_the_page_and_goal_urls_reach_the_unit_and_nothing_is_stored(
    browser: Any, live_server: LiveServer, host: tuple[MeasuredHost, str]
) -> None:
    site, origin = host
    context = browser.new_context()
    context.add_init_script(OBSERVERS)
    page = context.new_page()
    cookies_set: list[str] = []
    page.on(
        "response",
        lambda r: cookies_set.append(r.url) if r.headers.get("set-cookie") else None,
    )
    experiment = start_experiment_in_arm(
        live_server, page, site, origin, "holdout", goal_urls=["/thank-you/*"]
    )
    page.goto(origin + "/")
    page.wait_for_function("() => window.__rendered.length === 1")
    page.wait_for_function("() => Testimonials.measure !== undefined")  # measure.js is in
    page.evaluate("Testimonials.convert('demo_request', {value: 10})")
    page.goto(origin + "/pricing")  # names the experiment, matches no goal
    page.wait_for_function("() => window.Testimonials && Testimonials.widgets !== undefined")
    page.wait_for_timeout(300)
    for _ in range(2):  # the thank-you page, reloaded: the order counts once, each view converts
        with page.expect_request(
            lambda r: r.url.endswith("/api/v1/track/events") and '"goal"' in (r.post_data or ""),
            timeout=15000,
        ):
            page.goto(origin + "/thank-you/A-1")  # the batch leaves within 3 s
    page.goto(origin + "/blank")

    def complete(rows: list[Any]) -> bool:
        return sum(e.kind == "conversion" and e.name == "goal" for e in rows) >= 2

    rows = wait_stored(live_server, experiment["id"], complete)
    conversions = [e for e in rows if e.kind == "conversion"]
    names = sorted(e.name for e in conversions)
    assert names == ["demo_request", "goal", "goal", "signup"]
    signup = next(e for e in conversions if e.name == "signup")
    assert (signup.value, signup.order_id, signup.client_event_id) == (49, "A-1", "order:A-1")
    exposure = next(e for e in rows if e.kind == "exposure")
    # Attributed server-side to the visitor-day unit that was exposed, in its arm.
    assert {e.unit_key for e in conversions} == {exposure.unit_key} == {experiment["unit"]}
    assert {e.arm for e in conversions} == {"holdout"}

    # Nothing written on the visitor's device, by any page or answer.
    for path in ("/", "/thank-you/A-1"):
        page.goto(origin + path)
        page.wait_for_timeout(300)
        state = page.evaluate(
            """async () => [document.cookie, localStorage.length, sessionStorage.length,
                 (await indexedDB.databases()).length]"""
        )
        assert state == ["", 0, 0, 0], path
    assert context.cookies() == []
    assert all(not o["localStorage"] for o in context.storage_state()["origins"])
    assert cookies_set == []
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
    # A card control marked for measurement (an expand or play button) names its card.
    first = widget.locator(".tw-card").first
    card_id = int(first.get_attribute("data-testimonial"))
    page.evaluate(
        """() => { const card = document.querySelector('testimonials-widget')
             .shadowRoot.querySelector('.tw-card');
           const b = document.createElement('button'); b.type = 'button';
           b.setAttribute('data-tw-action', 'expand'); b.textContent = 'More';
           card.append(b); }"""
    )
    first.locator("[data-tw-action]").click()
    page.goto(origin + "/blank")  # leaving sends the batch
    rows = wait_stored(
        live_server, experiment["id"], lambda r: sum(e.kind == "interaction" for e in r) >= 3
    )
    interactions = [(e.name, e.testimonial_ids) for e in rows if e.kind == "interaction"]
    assert interactions == [
        ("carousel_next", None),
        ("carousel_previous", None),
        ("expand", str(card_id)),
    ]
    context.close()


def test_goal_urls_convert_on_single_page_app_route_changes_once_per_address(
    browser: Any, live_server: LiveServer, host: tuple[MeasuredHost, str]
) -> None:
    site, origin = host
    context = browser.new_context()
    context.add_init_script(OBSERVERS)
    page = context.new_page()
    experiment = start_experiment_in_arm(
        live_server, page, site, origin, "treatment", goal_urls=["/thank-you/*", "/app#/done"]
    )
    sent = beacons(page)
    with page.expect_response(lambda r: "/api/v1/track/goals" in r.url):
        page.goto(origin + "/app")  # names the experiment; its goals come from the server
    page.wait_for_timeout(200)
    assert flushed(page, sent) == []  # /app itself is no goal

    def goals_after(script: str) -> int:
        page.evaluate(script)
        flushed(page, sent)
        return sum(e.get("name") == "goal" for e in sent)

    # The router moves to the thank-you route: one conversion, however often it is re-read.
    assert goals_after("history.pushState({}, '', '/thank-you/B-2')") == 1
    assert goals_after("history.replaceState({step: 2}, '', '/thank-you/B-2')") == 1
    assert goals_after("history.pushState({}, '', '/pricing')") == 1
    assert (
        goals_after(
            "new Promise(r => { addEventListener('popstate', r, {once: true}); history.back(); })"
        )
        == 1
    )  # back to it: still the same conversion
    assert page.evaluate("location.pathname") == "/thank-you/B-2"
    # Another order's thank-you route is another conversion.
    assert goals_after("history.pushState({}, '', '/thank-you/B-3')") == 2
    # A hash router: the fragment is matched where the pattern has one (hashchange).
    assert goals_after("history.pushState({}, '', '/app')") == 2
    assert (
        goals_after(
            "new Promise(r => { addEventListener('hashchange', r, {once: true});"
            " location.hash = '#/done'; })"
        )
        == 3
    )
    assert goals_after("location.hash = '#/other'") == 3
    # The page's own history calls still work (the loader wraps, never replaces them).
    assert page.evaluate("history.state") is None
    assert page.evaluate("location.href") == origin + "/app#/other"

    rows = wait_stored(
        live_server,
        experiment["id"],
        lambda r: sum(e.kind == "conversion" for e in r) >= 3,
    )
    goals = [e for e in rows if e.kind == "conversion"]
    assert [e.name for e in goals] == ["goal"] * 3
    assert {e.unit_key for e in goals} == {experiment["unit"]}
    assert {e.arm for e in goals} == {"treatment"}
    assert page.evaluate("[document.cookie, localStorage.length, sessionStorage.length]") == [
        "",
        0,
        0,
    ]
    assert context.cookies() == []
    assert page.evaluate("window.__violations") == []
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
