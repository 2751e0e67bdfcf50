"""The hosted survey page in real Chromium: a respondent adds a photo to their permission."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from testimonials.accounts.services import create_workspace
from testimonials.curation.models import Testimonial as Curated
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.services import consent_text, create_survey
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
COMMENT = "The night-guard fitted first time and arrived in two days."


def _portrait() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 150, 120)).save(out, format="PNG")
    return out.getvalue()


def test_respondent_fixes_a_bad_photo_without_retyping_and_it_reaches_the_inbox(
    live_server: LiveServer, page: Any
) -> None:
    session = live_server.session()
    workspace = create_workspace(session, "Reyes Dental")
    survey = create_survey(session, workspace.id, {"name": "Shop NPS", "company_name": "Reyes"})
    session.commit()
    token, wording = survey.public_token, consent_text(survey)
    session.close()

    page.goto(f"{live_server.url}/s/{token}")
    page.get_by_text("9", exact=True).click()
    page.get_by_label("What is the main reason for your score?").fill(COMMENT)
    page.get_by_label(wording).check()
    page.get_by_label("Name to show").fill("Dana Reyes")
    photo = page.get_by_label("Photo to show with your quote (optional)")
    photo.set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": b"not really a png"}]
    )
    page.get_by_role("button", name="Send").click()

    alert = page.locator("#photo-error")
    alert.wait_for()
    assert "not a JPEG, PNG, WebP or GIF image" in alert.inner_text()
    # Everything typed is still there; only the photo has to be chosen again.
    assert page.get_by_label("What is the main reason for your score?").input_value() == COMMENT
    assert page.get_by_label("Name to show").input_value() == "Dana Reyes"
    assert page.get_by_label(wording).is_checked()
    assert page.locator('input[name="score"][value="9"]').is_checked()

    photo.set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": _portrait()}]
    )
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your answer reached Reyes, with your photo.").wait_for()

    session = live_server.session()
    item = session.scalar(select(FeedbackItem).where(FeedbackItem.survey_id == survey.id))
    curated = session.scalar(select(Curated).where(Curated.item_id == item.id))
    session.close()
    assert item.text == COMMENT and item.consent_state == "granted"
    stored = Image.open(io.BytesIO(curated.photo))
    assert (stored.format, stored.size) == ("JPEG", (256, 256))
