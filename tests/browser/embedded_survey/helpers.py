"""A hostile customer page on another origin, and a survey to embed in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from testimonials.accounts.services import create_workspace
from testimonials.harvest.surveys.services import create_survey
from tests.browser.conftest import LiveServer

NOTHING_HAPPENS_MS = 1500  # longer than the trigger plus the settings fetch, locally


HOST_CSS = """
* { color: red !important; font-size: 40px !important; display: block;
    font-family: serif !important; letter-spacing: 3px !important; }
button { display: none !important; }
div, p { padding: 10px !important; border: 3px dashed green !important; }
head, script, style, title, link, meta { display: none; }
"""


HOST_JS = """
window.hostErrors = [];
window.addEventListener("error", (e) => hostErrors.push("error: " + e.message));
window.addEventListener("unhandledrejection", (e) => hostErrors.push("rejection: " + e.reason));
window.onerror = (message) => { hostErrors.push("onerror: " + message); };
var survey = "the host's own survey variable";
window.config = { theme: "host" };
window.$ = function () { return "host jQuery"; };
window.hostGlobalsBefore = [];  // declared first, so the snapshot includes its own name
hostGlobalsBefore = Object.getOwnPropertyNames(window);
"""


HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reyes Dental shop</title>
<link rel="stylesheet" href="/host.css"><script src="/host.js"></script></head>
<body>
<h1 id="host-title">Reyes Dental supplies</h1>
<p id="host-text">Our own paragraph, styled by our own CSS.</p>
<button id="host-button">Our own hidden button</button>
{filler}
<script async src="{server}/embed/survey.js" data-survey="{token}"></script>
</body></html>
"""


@dataclass
class HostSite:
    """A customer's website on its own origin, serving whatever pages a test puts here."""

    url: str
    pages: dict[str, str] = field(default_factory=dict)

    def survey_page(self, server: LiveServer, token: str, filler: str = "") -> str:
        self.pages["/"] = HOST_PAGE.format(server=server.url, token=token, filler=filler)
        return self.url + "/"


def _survey(server: LiveServer, **settings: Any) -> Any:
    session = server.session()
    workspace = create_workspace(session, "Reyes Dental")
    survey = create_survey(
        session,
        workspace.id,
        {"name": "Shop NPS", "company_name": "Reyes Dental", "delay_seconds": 0, **settings},
    )
    session.commit()
    session.close()
    return survey


def _widget(page: Any, script: str) -> Any:
    """Run `script` (a function of the shadow root) inside the widget."""
    return page.locator("testimonials-survey").evaluate(f"(host) => ({script})(host.shadowRoot)")


def _assert_host_untouched(page: Any) -> None:
    assert page.evaluate("hostErrors") == []
    added = page.evaluate(
        "Object.getOwnPropertyNames(window).filter((n) => !hostGlobalsBefore.includes(n))"
    )
    assert added == ["Testimonials"]
    assert page.evaluate("[survey, config.theme, $()]") == [
        "the host's own survey variable",
        "host",
        "host jQuery",
    ]
    # Our styles live in the shadow root only: the host's elements look as they did.
    host_text = page.evaluate(
        """(() => { const s = getComputedStyle(document.getElementById('host-text'));
        return [s.color, s.fontSize, s.fontFamily, s.display]; })()"""
    )
    assert host_text == ["rgb(255, 0, 0)", "40px", "serif", "block"]
    assert page.evaluate("getComputedStyle(document.getElementById('host-button')).display") == (
        "none"
    )
    assert page.evaluate("document.styleSheets.length") == 1
