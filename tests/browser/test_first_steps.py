"""A newcomer's first minutes, in Chromium: the setup checklist, the favicon, an import report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.demo_session import sign_in_to_a_new_workspace

pytestmark = pytest.mark.browser
OWNER = "owner@first-steps.example"
REVIEWS = (
    "review,rating,name,date\n"
    '"Booking took 2 minutes instead of 20.",5,Sokha Chan,2026-01-02\n'
    '"ការកក់ងាយស្រួលណាស់",5,Dara,2026-01-03\n'
    "Stars only,9,Bo,2026-01-04\n"
    ",4,Nobody,2026-01-05\n"
)


def test_an_empty_workspace_opens_on_the_checklist_and_an_import_reads_clearly(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path], tmp_path: Path
) -> None:
    sign_in_to_a_new_workspace(live_server, page, "Mekong Dental", OWNER)
    assert page.inner_text("h1") == "Set up Mekong Dental"
    assert "0 of 4 done" in page.inner_text("[data-role=progress]")
    icon = page.get_attribute("link[rel=icon][type='image/svg+xml']", "href")
    assert page.request.get(f"{live_server.url}{icon}").ok
    screenshot(page, "getting-started")

    page.click("text=Import reviews")
    page.wait_for_url(f"{live_server.url}/imports")
    reviews = tmp_path / "reviews.csv"
    reviews.write_text(REVIEWS, encoding="utf-8")
    page.set_input_files("input[type=file]", str(reviews))
    page.fill("input[name=source_name]", "Clinic reviews")
    page.click("form button.primary")
    page.wait_for_url(f"{live_server.url}/imports/*")
    assert page.inner_text(".import-summary") == "2 of 4 rows added."
    tiles = page.locator("dl.counts .count")
    assert [tiles.nth(i).inner_text().split("\n") for i in range(4)] == [
        ["ADDED", "2"],
        ["ALREADY THERE", "0"],
        ["COULD NOT BE READ", "2"],
        ["ROWS IN THE FILE", "4"],
    ]
    rows = page.locator("table.import-errors tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(0).inner_text() == "4"
    assert "rating 9 is outside" in rows.nth(0).locator("td").nth(1).inner_text()
    screenshot(page, "import-report")

    page.goto(f"{live_server.url}/getting-started")
    assert "1 of 4 done" in page.inner_text("[data-role=progress]")
    assert page.locator("li.setup-step.done").get_attribute("data-step") == "import"
