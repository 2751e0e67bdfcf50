"""Real headless Chromium (Debian's package) driven by Playwright, against a live server."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from testimonials import migrate
from testimonials.db import database_for
from tests.conftest import make_app

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# An init script for host pages: sums layout shifts (CLS) and records CSP violations.
LAYOUT_AND_CSP_OBSERVERS = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: 'layout-shift', buffered: true});
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _chromium() -> str | None:
    return (
        os.environ.get("TESTIMONIALS_CHROMIUM")
        or shutil.which("chromium")
        or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium for the whole run (skipped, with the reason, if not installed)."""
    executable = _chromium()
    if executable is None:
        message = "Chromium not found: `apt-get install -y chromium` (Debian) to run browser tests"
        if os.environ.get("TESTIMONIALS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page; JavaScript dialogs are recorded (and dismissed).

    Every browser test also proves our pages run under their Content-Security-Policy:
    Chromium reports each blocked script, handler or style on the console, and any such
    report fails the test.
    """
    context = browser.new_context()
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.csp_violations = []  # type: ignore[attr-defined]

    def on_dialog(dialog: Any) -> None:
        page.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            page.csp_violations.append(f"{page.url}: {message.text}")  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    yield page
    context.close()
    assert page.csp_violations == []  # type: ignore[attr-defined]


def block_other_hosts(page: Any, server_url: str) -> list[str]:
    """Abort every request to a host other than the test server; returns what was blocked."""
    own = server_url.rstrip("/")
    blocked: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url == own or url.startswith(own + "/") or url.startswith("data:"):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.context.route("**/*", route)
    return blocked


@dataclass
class LiveServer:
    """The app served over real HTTP on a free localhost port."""

    url: str
    app: Any

    def session(self) -> Any:
        return database_for(self.app).sessionmaker()


@contextmanager
def serving(wsgi_app: Any) -> Iterator[int]:
    """Serve a WSGI app on a free 127.0.0.1 port in a thread for the block; yields the port."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_server(empty_database_url: Callable[[str], str], tmp_path: Path) -> Iterator[LiveServer]:
    url = empty_database_url("browser")
    migrate.upgrade(url)
    app = make_app(url, tmp_path, TESTING=False)
    with serving(app) as port:
        yield LiveServer(f"http://127.0.0.1:{port}", app)
    database_for(app).engine.dispose()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot under test-artifacts/ (not committed)."""

    def take(page: Any, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def host(live_server: LiveServer) -> Iterator[tuple[Any, str]]:
    """A customer's landing page on another origin (`widget_host.HostSite`) and its URL."""
    from tests.browser.widget_host import HostSite

    # "localhost" is another origin than the widget server's "127.0.0.1".
    site = HostSite(live_server.url)
    with serving(site) as port:
        yield site, f"http://localhost:{port}"
