"""The API docs page works offline: every operation listed with all outside hosts blocked;
and axe finds nothing, closed or with operations and the schemas opened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, block_other_hosts

pytestmark = pytest.mark.browser
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head"}


def test_every_operation_is_listed_with_no_network(
    live_server: LiveServer, page: Any, screenshot: Callable[[Any, str], Path]
) -> None:
    blocked = block_other_hosts(page, live_server.url)
    spec = live_server.app.test_client().get("/api/v1/openapi.json").json
    operations = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
    assert len(operations) > 30

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    shown = page.eval_on_selector_all(
        ".opblock",
        """blocks => blocks.map(b => [
            b.querySelector('.opblock-summary-method').textContent.trim(),
            b.querySelector('.opblock-summary-path').getAttribute('data-path'),
        ])""",
    )
    assert {(method, path) for method, path in shown} == operations
    assert "testimonials" in page.inner_text(".info .title")
    screenshot(page, "api-docs")
    assert blocked == []  # nothing even tried to leave the server

    # An operation opens and shows its documented problem answers.
    create_tag = page.locator(
        ".opblock-post:has(.opblock-summary-path[data-path='/api/v1/tags'])"
    ).first
    create_tag.locator(".opblock-summary-control").click()
    create_tag.locator(".responses-table").first.wait_for()
    answers = create_tag.inner_text()
    assert "application/problem+json" in answers and "422" in answers


def test_the_api_docs_pass_axe_closed_and_opened(live_server: LiveServer, page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock-summary-control").first.wait_for()
    failing = {}
    violations = axe.run(page).response["violations"]
    failing["closed"] = [(v["id"], v["nodes"][0]["target"]) for v in violations]
    for index in range(3):
        page.locator(".opblock-summary-control").nth(index).click()
    page.locator("h4:has-text('Schemas')").click()
    page.locator(".parameters, .opblock-description-wrapper").first.wait_for()
    violations = axe.run(page).response["violations"]
    failing["opened"] = [(v["id"], v["nodes"][0]["target"]) for v in violations]
    assert failing == {"closed": [], "opened": []}
