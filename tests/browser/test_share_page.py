"""The public share page in real Chromium: right-to-left quote, inert injections, its card."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from testimonials.accounts.services import create_workspace
from testimonials.curation import services as curation
from testimonials.harvest.intake import NewFeedback, record_feedback
from testimonials.harvest.models import Channel, ConsentState
from testimonials.widgets.share import services as share
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
QUOTE = 'وفّرنا 20 ساعة شهريًا بفضل Acme <img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_an_arabic_quote_reads_right_to_left_runs_nothing_and_previews_as_a_card(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    session = live_server.session()
    workspace = create_workspace(session, "Acme")
    item = record_feedback(
        session,
        workspace.id,
        NewFeedback(
            text=QUOTE,
            channel=Channel.API,
            source_name="test",
            author_name="ليلى حداد",
            author_company="شركة النور",
            language="ar",
            consent_state=ConsentState.GRANTED,
            consent_version="v1",
            consent_at=datetime(2026, 1, 1, tzinfo=UTC),
        ),
    )
    item.suspicion = 0.05
    [testimonial] = curation.create_testimonials(session, [item])
    curation.approve(session, testimonial, curation.Actor())
    token = share.open_share_page(session, testimonial).token
    session.commit()
    session.close()

    page.goto(f"{live_server.url}/t/{token}")
    quote = page.locator("blockquote")
    assert quote.get_attribute("lang") == "ar"
    assert quote.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert quote.inner_text() == QUOTE  # the markup is text, shown as typed
    assert page.locator("blockquote img, blockquote script").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
    screenshot(page, "share-page-arabic")

    card_url = page.locator('meta[property="og:image"]').get_attribute("content")
    assert card_url == page.locator('meta[name="twitter:image"]').get_attribute("content")
    card = page.request.get(card_url)
    assert card.ok and card.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(card.body())).size == (1200, 630)
