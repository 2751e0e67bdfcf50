"""The in-page survey in real Chromium, on a customer's page served from another origin.

The host page is hostile on purpose: CSS that restyles everything and hides every button,
globals with names we might want, and error handlers that would see anything we throw.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from testimonials.accounts.services import create_workspace
from testimonials.harvest.embed.snippets import QUEUE_STUB
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.services import consent_text, create_survey
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
NOTHING_HAPPENS_MS = 1500  # longer than the trigger plus the settings fetch, locally

HOST_CSS = """
* { color: red !important; font-size: 40px !important; display: block;
    font-family: serif !important; letter-spacing: 3px !important; }
button { display: none !important; }
div, p { padding: 10px !important; border: 3px dashed green !important; }
head, script, style, title, link, meta { display: none; }
"""
HOST_JS = """
window.hostErrors = [];
window.addEventListener("error", (e) => hostErrors.push("error: " + e.message));
window.addEventListener("unhandledrejection", (e) => hostErrors.push("rejection: " + e.reason));
window.onerror = (message) => { hostErrors.push("onerror: " + message); };
var survey = "the host's own survey variable";
window.config = { theme: "host" };
window.$ = function () { return "host jQuery"; };
window.hostGlobalsBefore = [];  // declared first, so the snapshot includes its own name
hostGlobalsBefore = Object.getOwnPropertyNames(window);
"""
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reyes Dental shop</title>
<link rel="stylesheet" href="/host.css"><script src="/host.js"></script></head>
<body>
<h1 id="host-title">Reyes Dental supplies</h1>
<p id="host-text">Our own paragraph, styled by our own CSS.</p>
<button id="host-button">Our own hidden button</button>
{filler}
<script async src="{server}/embed/survey.js" data-survey="{token}"></script>
</body></html>
"""
INJECTIONS = {
    "company_name": "<b>Mallory</b>",
    "question": "<img src=x onerror=alert(1)> How likely is {company}?",
    "comment_prompt": '"><iframe src="javascript:alert(2)"></iframe>',
    "consent_text": "</style><svg onload=alert(3)> {company} may quote me",
    "extra_questions": [
        {"key": "role", "label": "<script>alert(4)</script>Your role?", "type": "text"},
        {
            "key": "link",
            "label": "javascript:alert(5)",
            "type": "choice",
            "choices": ["<img src=y onerror=alert(6)>", "javascript:alert(7)"],
        },
    ],
}


@dataclass
class HostSite:
    """A customer's website on its own origin, serving whatever pages a test puts here."""

    url: str
    pages: dict[str, str] = field(default_factory=dict)

    def survey_page(self, server: LiveServer, token: str, filler: str = "") -> str:
        self.pages["/"] = HOST_PAGE.format(server=server.url, token=token, filler=filler)
        return self.url + "/"


@pytest.fixture
def host_site() -> Iterator[HostSite]:
    site = HostSite("")
    site.pages.update({"/host.css": HOST_CSS, "/host.js": HOST_JS})
    types = {".css": "text/css", ".js": "text/javascript"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            kind = types.get(Path(self.path).suffix, "text/html")
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    thread.join(timeout=5)


def _survey(server: LiveServer, **settings: Any) -> Any:
    session = server.session()
    workspace = create_workspace(session, "Reyes Dental")
    survey = create_survey(
        session,
        workspace.id,
        {"name": "Shop NPS", "company_name": "Reyes Dental", "delay_seconds": 0, **settings},
    )
    session.commit()
    session.close()
    return survey


def _widget(page: Any, script: str) -> Any:
    """Run `script` (a function of the shadow root) inside the widget."""
    return page.locator("testimonials-survey").evaluate(f"(host) => ({script})(host.shadowRoot)")


def _assert_host_untouched(page: Any) -> None:
    assert page.evaluate("hostErrors") == []
    added = page.evaluate(
        "Object.getOwnPropertyNames(window).filter((n) => !hostGlobalsBefore.includes(n))"
    )
    assert added == ["Testimonials"]
    assert page.evaluate("[survey, config.theme, $()]") == [
        "the host's own survey variable",
        "host",
        "host jQuery",
    ]
    # Our styles live in the shadow root only: the host's elements look as they did.
    host_text = page.evaluate(
        """(() => { const s = getComputedStyle(document.getElementById('host-text'));
        return [s.color, s.fontSize, s.fontFamily, s.display]; })()"""
    )
    assert host_text == ["rgb(255, 0, 0)", "40px", "serif", "block"]
    assert page.evaluate("getComputedStyle(document.getElementById('host-button')).display") == (
        "none"
    )
    assert page.evaluate("document.styleSheets.length") == 1


def test_visitor_answers_with_permission_on_a_hostile_page(
    live_server: LiveServer,
    host_site: HostSite,
    page: Any,
    screenshot: Callable[[Any, str], Path],
) -> None:
    survey = _survey(live_server, allowed_origins=[host_site.url])
    page.goto(host_site.survey_page(live_server, survey.public_token))

    dialog = page.get_by_role("dialog", name="How likely are you to recommend Reyes Dental")
    dialog.wait_for()
    nine = dialog.get_by_role("button", name="9", exact=True)
    assert nine.is_visible()
    # The host's `* {...!important}` and `button {display: none}` do not reach inside.
    style = nine.evaluate(
        """(b) => { const s = getComputedStyle(b);
        return [s.color, s.fontSize, s.display, s.letterSpacing, s.fontFamily]; }"""
    )
    assert style == ["rgb(27, 27, 31)", "14px", "block", "normal", "system-ui, sans-serif"]
    heading = _widget(page, "(r) => getComputedStyle(r.querySelector('h2')).letterSpacing")
    assert heading == "normal"  # not the host's inherited 3px
    assert _widget(page, "(r) => getComputedStyle(r.querySelector('.card')).animationName") == (
        "t-in"
    )
    _assert_host_untouched(page)

    nine.click()
    assert nine.get_attribute("aria-pressed") == "true"
    comment = dialog.get_by_label("What is the main reason for your score?")
    comment.fill("The night-guard fitted first time and arrived in two days.")
    permission = dialog.get_by_label(consent_text(survey), exact=True)
    permission.check()
    dialog.get_by_role("button", name="Send").click()

    # The server's 422 shows next to the field; what was typed stays.
    name = dialog.get_by_label("Your name (shown with your quote)")
    error = dialog.locator("#t-e-name")
    error.wait_for()
    assert "Tell us the name to show with your quote" in error.inner_text()
    assert name.get_attribute("aria-invalid") == "true"
    assert comment.input_value() == "The night-guard fitted first time and arrived in two days."
    assert permission.is_checked()

    name.fill("Dana Reyes")
    dialog.get_by_label("Your role (optional)").fill("Office manager")
    screenshot(page, "embedded-survey-on-host-page")
    dialog.get_by_role("button", name="Send").click()
    page.get_by_role("dialog", name="Thank you!").wait_for()
    _assert_host_untouched(page)

    session = live_server.session()
    (item,) = session.scalars(select(FeedbackItem).where(FeedbackItem.survey_id == survey.id))
    session.close()
    assert item.channel == "embedded_survey"
    assert item.nps_score == 9
    assert item.text == "The night-guard fitted first time and arrived in two days."
    assert (item.author_name, item.author_role) == ("Dana Reyes", "Office manager")
    assert item.consent_state == "granted"
    assert item.consent_text == consent_text(survey)

    # Same visitor, next page view: the loader runs, but the cool-down keeps the survey
    # away, even when the host's code asks for it.
    page.reload()
    page.wait_for_function("window.Testimonials && window.Testimonials.survey")
    page.evaluate("Testimonials.survey.open()")
    page.wait_for_timeout(NOTHING_HAPPENS_MS)
    assert page.locator("testimonials-survey").count() == 0
    assert page.evaluate("hostErrors") == []


def test_the_cool_down_lasts_the_configured_days_then_the_visitor_is_asked_again(
    live_server: LiveServer, host_site: HostSite, page: Any
) -> None:
    survey = _survey(live_server, cooldown_days=30, allowed_origins=[host_site.url])
    answered_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    page.clock.install(time=answered_at)
    url = host_site.survey_page(live_server, survey.public_token)
    page.goto(url)
    dialog = page.get_by_role("dialog", name="How likely are you to recommend Reyes Dental")
    dialog.get_by_role("button", name="8", exact=True).click()
    dialog.get_by_role("button", name="Send").click()
    page.get_by_role("dialog", name="Thank you!").wait_for()

    for days_later, asked in ((1, False), (29, False), (31, True)):
        page.clock.set_system_time(answered_at + timedelta(days=days_later))
        page.goto(url)
        page.wait_for_function("window.Testimonials && !('q' in Testimonials.survey)")
        if asked:
            page.get_by_role("dialog").wait_for()
        else:
            page.wait_for_timeout(NOTHING_HAPPENS_MS)
        assert page.locator("testimonials-survey").count() == int(asked), days_later
    _assert_host_untouched(page)
    session = live_server.session()
    scores = session.scalars(
        select(FeedbackItem.nps_score).where(FeedbackItem.survey_id == survey.id)
    ).all()
    session.close()
    assert scores == [8]  # one answer; asking again after the cool-down stored nothing


def test_sampling_rate_zero_never_asks(
    live_server: LiveServer, host_site: HostSite, page: Any
) -> None:
    survey = _survey(live_server, sample_rate=0)
    url = host_site.survey_page(live_server, survey.public_token)
    for _ in range(3):
        page.goto(url)
        page.wait_for_function("window.Testimonials && window.Testimonials.survey")
        page.wait_for_timeout(NOTHING_HAPPENS_MS)
        page.evaluate("Testimonials.survey.open()")
        assert page.locator("testimonials-survey").count() == 0
    # The widget itself works on this page: only sampling kept it away.
    page.evaluate("Testimonials.survey.open({force: true})")
    page.get_by_role("dialog").wait_for()
    _assert_host_untouched(page)


def test_customer_text_is_inert_and_escape_dismisses_for_the_cool_down(
    live_server: LiveServer, host_site: HostSite, page: Any
) -> None:
    survey = _survey(live_server, trigger="manual", **INJECTIONS)
    page.emulate_media(reduced_motion="reduce")
    page.goto(host_site.survey_page(live_server, survey.public_token))
    page.wait_for_function("window.Testimonials && window.Testimonials.survey")
    page.wait_for_timeout(NOTHING_HAPPENS_MS)
    assert page.locator("testimonials-survey").count() == 0  # manual: only when called

    page.evaluate("Testimonials.survey.open()")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    dialog.get_by_role("button", name="10", exact=True).click()
    texts = _widget(
        page,
        """(r) => ({
            question: r.querySelector('h2').textContent,
            labels: [...r.querySelectorAll('label')].map((l) => l.textContent),
            options: [...r.querySelectorAll('option')].map((o) => o.textContent),
            markup: r.querySelectorAll('img, script, svg, iframe, b, a, object').length,
            styles: r.querySelectorAll('style').length,
            motion: getComputedStyle(r.querySelector('.card')).animationName,
        })""",
    )
    assert texts["question"] == "<img src=x onerror=alert(1)> How likely is <b>Mallory</b>?"
    assert texts["labels"][:4] == [
        '"><iframe src="javascript:alert(2)"></iframe>',
        "<script>alert(4)</script>Your role?",
        "javascript:alert(5)",
        "</style><svg onload=alert(3)> <b>Mallory</b> may quote me",
    ]
    assert texts["options"] == ["", "<img src=y onerror=alert(6)>", "javascript:alert(7)"]
    assert texts["markup"] == 0 and texts["styles"] == 1
    assert texts["motion"] == "none"  # prefers-reduced-motion is respected
    page.wait_for_timeout(300)
    assert page.dialogs == []  # type: ignore[attr-defined]

    # Keyboard: focus is inside the dialog, Tab walks its controls, Escape dismisses.
    dialog.get_by_role("button", name="Close survey").focus()
    page.keyboard.press("Tab")
    assert _widget(page, "(r) => r.activeElement.textContent") == "0"
    page.keyboard.press("Escape")
    assert page.locator("testimonials-survey").count() == 0
    _assert_host_untouched(page)

    # Dismissed counts like answered: not asked again during the cool-down.
    page.reload()
    page.wait_for_function("window.Testimonials && window.Testimonials.survey")
    page.wait_for_timeout(300)
    page.evaluate("Testimonials.survey.open()")
    page.wait_for_timeout(NOTHING_HAPPENS_MS)
    assert page.locator("testimonials-survey").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_scroll_trigger_waits_for_the_visitor_to_read_down_the_page(
    live_server: LiveServer, host_site: HostSite, page: Any
) -> None:
    survey = _survey(live_server, trigger="scroll", scroll_percent=60)
    tall = '<section style="height: 4000px">A long article.</section>'
    page.goto(host_site.survey_page(live_server, survey.public_token, filler=tall))
    page.wait_for_function("window.Testimonials && window.Testimonials.survey")
    page.wait_for_timeout(NOTHING_HAPPENS_MS)
    assert page.locator("testimonials-survey").count() == 0
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight * 0.3)")
    page.wait_for_timeout(500)
    assert page.locator("testimonials-survey").count() == 0
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.get_by_role("dialog").wait_for()
    _assert_host_untouched(page)


def test_a_site_not_on_the_allowed_list_never_shows_it(
    live_server: LiveServer, host_site: HostSite, page: Any
) -> None:
    survey = _survey(live_server, allowed_origins=["https://shop.example"])
    page.goto(host_site.survey_page(live_server, survey.public_token))
    page.wait_for_function("window.Testimonials && window.Testimonials.survey")
    page.evaluate("Testimonials.survey.open({force: true})")
    page.wait_for_timeout(NOTHING_HAPPENS_MS)
    assert page.locator("testimonials-survey").count() == 0
    assert page.evaluate("hostErrors") == []


HOST_CALLS_EARLY = """<script>
config.sawQueue = Array.isArray(Testimonials.survey.q);  // the loader is not here yet
Testimonials.survey.open();
config.heldSurvey = Testimonials.survey;  // code may keep the object it was given
</script>"""


def test_open_called_before_the_script_arrives_opens_it_once_loaded(
    live_server: LiveServer, host_site: HostSite, page: Any
) -> None:
    survey = _survey(live_server, trigger="manual")
    page.goto(
        host_site.survey_page(
            live_server, survey.public_token, filler=QUEUE_STUB + HOST_CALLS_EARLY
        )
    )
    dialog = page.get_by_role("dialog", name="How likely are you to recommend Reyes Dental")
    dialog.wait_for()
    assert page.evaluate("config.sawQueue") is True
    assert page.locator("testimonials-survey").count() == 1
    _assert_host_untouched(page)

    # The object the page kept is the live one: close() through it closes the survey.
    assert page.evaluate("config.heldSurvey === Testimonials.survey && !('q' in config.heldSurvey)")
    page.evaluate("config.heldSurvey.close()")
    assert page.locator("testimonials-survey").count() == 0
    page.evaluate("Testimonials.survey.open()")
    dialog.wait_for()
    _assert_host_untouched(page)


def test_queued_calls_keep_their_options_and_order(
    live_server: LiveServer, host_site: HostSite, page: Any
) -> None:
    survey = _survey(live_server, trigger="manual", sample_rate=0)
    early = """<script>
    Testimonials.survey.open(); Testimonials.survey.close();  // changed its mind: nothing
    </script>"""
    page.goto(host_site.survey_page(live_server, survey.public_token, filler=QUEUE_STUB + early))
    page.wait_for_function("window.Testimonials && !('q' in Testimonials.survey)")
    page.wait_for_timeout(NOTHING_HAPPENS_MS)
    assert page.locator("testimonials-survey").count() == 0

    forced = "<script>Testimonials.survey.open({force: true});</script>"
    page.goto(host_site.survey_page(live_server, survey.public_token, filler=QUEUE_STUB + forced))
    page.get_by_role("dialog").wait_for()  # sampled out, but forced: options survive the queue
    _assert_host_untouched(page)
