"""Customers' names, roles and companies in right-to-left scripts, in Chromium: each keeps its
place in the English line around it ("NAME, ROLE at COMPANY"), in the inbox and on the
feedback list.

Without isolation, the Unicode bidirectional algorithm joins neighbouring Arabic runs across
the neutral ", " into one right-to-left run, so the role is drawn left of the name.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.demo_session import sign_in_to_the_demo

pytestmark = pytest.mark.browser

NAME, ROLE, COMPANY = "ليلى حداد", "مديرة العيادة", "عيادة الشفاء"


def _left_edges(line: Any) -> list[float]:
    """The left edge of each isolated piece of the line, in the order they are written."""
    pieces = line.locator("bdi")
    assert [pieces.nth(i).inner_text() for i in range(3)] == [NAME, ROLE, COMPANY]
    return [pieces.nth(i).bounding_box()["x"] for i in range(3)]


def test_right_to_left_names_keep_their_places_in_the_line(
    live_server: LiveServer, page: Any
) -> None:
    sign_in_to_the_demo(live_server, page)
    page.goto(f"{live_server.url}/inbox?language=ar")
    card = page.locator("li.inbox-card", has_text=NAME)
    assert card.count() == 1
    name, role, company = _left_edges(card)
    assert name < role < company
    # The English joining words stay readable between them.
    assert f"{NAME}, {ROLE} at {COMPANY}" in card.inner_text()

    page.goto(f"{live_server.url}/feedback?q={NAME}")
    entry = page.locator(".author", has_text=NAME).first
    name, role, company = _left_edges(entry)
    assert name < role < company
