"""The loader in Chromium: the holdout's slot without layout shift, and conversions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.tracking.helpers import (
    OBSERVERS,
    MeasuredHost,
    beacons,
    flushed,
    start_experiment_in_arm,
    wait_stored,
)

pytestmark = pytest.mark.browser


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
