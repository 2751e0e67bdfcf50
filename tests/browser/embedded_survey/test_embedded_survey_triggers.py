"""When the in-page survey asks: cool-down, sampling, scroll trigger, allowed sites, early calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from testimonials.harvest.embed.snippets import QUEUE_STUB
from testimonials.harvest.models import FeedbackItem
from tests.browser.conftest import LiveServer
from tests.browser.embedded_survey.helpers import (
    NOTHING_HAPPENS_MS,
    HostSite,
    _assert_host_untouched,
    _survey,
)

pytestmark = pytest.mark.browser


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
