"""Reviews imported from a file, in Chromium (a recognised export needs no source typed).

A file without a language column: each review gets the language the scorer read in it, so
the inbox's language filter finds it and its card carries `lang` (screen readers pick the
right voice; widgets filter by it too). A review's own date shows beside the import's: a
two-year-old review is not passed off as today's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.demo_session import sign_in_to_a_new_workspace

pytestmark = pytest.mark.browser
OWNER = "owner@mekong.example"
REVIEWS = (
    "review,rating,name,date\n"
    '"ระบบจองใช้งานง่ายมาก ลูกค้าจองออนไลน์ได้ตลอดวัน",5,Somchai,2026-11-02\n'
    '"ລະບົບຈອງນີ້ງ່າຍຫຼາຍ ລູກຄ້າຂອງພວກເຮົາຈອງອອນລາຍໄດ້ຕະຫຼອດມື້",5,Somphone,2026-11-03\n'
    '"The reminders cut no-shows at our clinic by half in 8 weeks.",4,Olga,2026-11-04\n'
)


def import_reviews(live_server: LiveServer, page: Any, tmp_path: Path) -> None:
    """An owner of a new workspace signs in and imports REVIEWS on the Imports page."""
    sign_in_to_a_new_workspace(live_server, page, "Mekong Spa", OWNER)
    page.goto(f"{live_server.url}/imports")
    reviews = tmp_path / "reviews.csv"
    reviews.write_text(REVIEWS, encoding="utf-8")
    page.set_input_files("input[type=file]", str(reviews))
    page.fill("input[name=source_name]", "Spa reviews")
    page.click("form button.primary")
    page.wait_for_url(f"{live_server.url}/imports/*")
    assert page.inner_text(".import-summary") == "All 3 rows added."


def test_an_imported_review_is_found_by_the_language_it_is_written_in(
    live_server: LiveServer, page: Any, tmp_path: Path
) -> None:
    import_reviews(live_server, page, tmp_path)

    page.goto(f"{live_server.url}/inbox")
    # The Language list holds the workspace's languages by name, with their codes.
    names = page.locator("select[name=language] option").all_inner_texts()
    assert names == ["Any", "English (en)", "Lao (lo)", "Thai (th)"]
    found = {}
    for code in ("th", "lo", "en"):
        page.goto(f"{live_server.url}/inbox")
        page.select_option("select[name=language]", code)
        page.click("form.inbox-filters button[type=submit]")
        page.wait_for_url(f"{live_server.url}/inbox?*")
        quotes = page.locator("blockquote.original")
        found[code] = [
            (quotes.nth(i).get_attribute("lang"), quotes.nth(i).inner_text().split()[0])
            for i in range(quotes.count())
        ]
    assert found == {
        "th": [("th", "ระบบจองใช้งานง่ายมาก")],
        "lo": [("lo", "ລະບົບຈອງນີ້ງ່າຍຫຼາຍ")],
        "en": [("en", "The")],
    }


def test_an_imported_review_shows_the_day_it_was_written_not_only_the_day_of_import(
    live_server: LiveServer, page: Any, tmp_path: Path
) -> None:
    import_reviews(live_server, page, tmp_path)
    for path in ("/inbox?q=Olga", "/feedback"):
        page.goto(f"{live_server.url}{path}")
        written = page.locator("[data-role=written]", has_text="2026-11-04")
        assert written.count() == 1, path
        assert written.inner_text().startswith("written 2026-11-04")


def test_a_trustpilot_export_imports_without_typing_where_it_came_from(
    live_server: LiveServer, page: Any, tmp_path: Path
) -> None:
    sign_in_to_a_new_workspace(live_server, page, "Mekong Spa", OWNER)

    export = tmp_path / "trustpilot.csv"
    export.write_text(
        "Review ID,Review Created (UTC),Review Content,Review Stars,Consumer Name\n"
        'tp-1,2026-10-01,"Booking a massage takes 30 seconds on my phone now.",5,Dara\n',
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/imports")
    page.set_input_files("input[type=file]", str(export))
    page.click("form button.primary")  # the Source field left empty
    page.wait_for_load_state("load")
    assert re.fullmatch(rf"{live_server.url}/imports/\d+", page.url), page.inner_text("main")
    assert page.inner_text(".import-summary") == "All 1 row added."
    page.goto(f"{live_server.url}/imports")
    assert page.locator("table.imports tbody td").nth(2).inner_text() == "Trustpilot"
