"""The in-page survey in another language, in real Chromium: an Arabic survey on a page runs
right to left, says everything of its own in Arabic and is answered."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.services import consent_text
from tests.browser.conftest import LiveServer
from tests.browser.embedded_survey.helpers import HostSite, _survey, _widget

pytestmark = pytest.mark.browser
ENGLISH = re.compile(r"likely|Your name|Your role|Your company|Send|Thank you|Tell us|Close")


def test_an_arabic_visitor_answers_the_in_page_survey_in_arabic(
    live_server: LiveServer,
    host_site: HostSite,
    page: Any,
    screenshot: Callable[[Any, str], Path],
) -> None:
    survey = _survey(live_server, allowed_origins=[host_site.url], language="ar")
    page.goto(host_site.survey_page(live_server, survey.public_token))
    dialog = page.get_by_role("dialog", name="ما مدى احتمال أن توصي بـ Reyes Dental")
    dialog.wait_for()
    assert _widget(
        page, "(r) => [r.querySelector('.card').lang, r.querySelector('.card').dir]"
    ) == [
        "ar",
        "rtl",
    ]
    dialog.get_by_role("button", name="9", exact=True).click()
    dialog.get_by_label(consent_text(survey), exact=True).check()
    text = _widget(page, "(r) => r.querySelector('.card').innerText")
    labels = _widget(
        page, "(r) => [...r.querySelectorAll('[aria-label]')].map(e => e.ariaLabel).join(' ')"
    )
    assert ENGLISH.findall(text + " " + labels) == []
    dialog.get_by_role("button", name="إرسال").click()
    error = dialog.locator("#t-e-name")
    error.wait_for()
    assert "اكتب الاسم الذي يظهر مع اقتباسك" in error.inner_text()
    dialog.get_by_label("اسمك (يظهر مع اقتباسك)").fill("ليلى حداد")
    screenshot(page, "embedded-survey-ar")
    dialog.get_by_role("button", name="إرسال").click()
    page.get_by_role("dialog", name="شكرًا لك!").wait_for()
    session = live_server.session()
    (item,) = session.scalars(select(FeedbackItem).where(FeedbackItem.survey_id == survey.id))
    session.close()
    assert (item.nps_score, item.author_name) == (9, "ليلى حداد")
