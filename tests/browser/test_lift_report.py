"""The lift report in real Chromium: legible chart, text alternatives, CSP-clean, axe-clean."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role
from testimonials.demo.traffic import TrafficModel, seed_simulated_month
from tests.browser.conftest import LiveServer, block_other_hosts

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"


def test_the_lift_report_is_readable_labelled_and_accessible(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    session = live_server.session()
    workspace = accounts.create_workspace(session, "Lift Shop")
    accounts.create_user(session, "viewer@lift.example", PASSWORD, workspace, Role.VIEWER, "V")
    experiment = seed_simulated_month(
        session,
        workspace.id,
        "carousel",
        [1, 2, 3, 4, 5, 6],
        datetime(2026, 12, 4, 12, tzinfo=UTC),
        TrafficModel(daily_units=120),
    )
    experiment_id = experiment.id
    session.commit()
    session.close()

    blocked = block_other_hosts(page, live_server.url)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", "viewer@lift.example")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/reports/experiments/{experiment_id}?value_per_conversion=45")

    assert page.locator("#simulated-banner").is_visible()
    assert "Simulated data" in page.locator("#simulated-banner").inner_text()
    verdict = page.locator("#verdict").inner_text()
    assert "interval" in verdict or "Not enough data" in verdict
    # The chart is drawn to scale: a band and a line inside the plot, labelled for readers.
    chart = page.locator("svg.lift-chart")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 200
    band = page.locator("svg.lift-chart polygon.lift-band").bounding_box()
    assert band is not None and band["width"] > 0.8 * box["width"] * (696 / 760) - 20
    assert chart.get_attribute("role") == "img"
    described = page.locator("#lift-chart-desc").text_content() or ""
    assert "Relative lift of the treatment over the holdout" in described
    page.locator("details.chart-table summary").click()
    assert page.locator("#over-time tbody tr").count() == 30
    assert page.locator("#roi tbody tr").count() >= 2
    assert page.locator("#testimonials tbody tr").count() == 6
    screenshot(page, "lift-report")

    results = Axe().run(page)
    assert results.response["passes"]
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert blocked == []
