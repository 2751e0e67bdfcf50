"""The in-page survey in real Chromium on a hostile page: answering, and inert customer text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.services import consent_text
from tests.browser.conftest import LiveServer
from tests.browser.embedded_survey.helpers import (
    NOTHING_HAPPENS_MS,
    HostSite,
    _assert_host_untouched,
    _survey,
    _widget,
)

pytestmark = pytest.mark.browser


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
