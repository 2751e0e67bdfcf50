"""A host site on another origin that embeds widgets, as a customer's landing page does."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response


class HostSite:
    """Another origin serving landing pages that embed widgets, under a strict CSP."""

    def __init__(self, widget_origin: str) -> None:
        self.widget_origin = widget_origin
        self.pages: dict[str, Callable[[], str]] = {}

    def embed(self, mode: str, key: str) -> str:
        o = self.widget_origin
        reserve = f'<link rel="stylesheet" href="{o}/w/{key}/slot.css">'
        if mode == "script":
            return (
                f'{reserve}<testimonials-widget data-testimonials-widget="{key}">'
                "</testimonials-widget>"
                f'<script async src="{o}/widgets/loader.js"></script>'
            )
        if mode == "iframe":
            return (
                f'{reserve}<iframe src="{o}/w/{key}" title="Testimonials" '
                f'data-testimonials-widget="{key}" loading="lazy"></iframe>'
                f'<script async src="{o}/widgets/loader.js"></script>'
            )
        with urllib.request.urlopen(f"{o}/w/{key}/fragment") as response:  # server-side include
            return response.read().decode()

    def page(self, body: str) -> str:
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Landing</title>"
            "</head><body><h1>Clinic software</h1><p>Intro paragraph.</p>"
            f"{body}<p id='after'>Text after the widget.</p></body></html>"
        )

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        make = self.pages.get(request.path)
        if make is None:
            return Response("not found", 404)(environ, start_response)
        o = self.widget_origin
        csp = (
            f"default-src 'none'; script-src {o}; style-src {o}; img-src {o}; "
            f"connect-src {o}; frame-src {o}"
        )
        response = Response(make(), mimetype="text/html", headers={"Content-Security-Policy": csp})
        return response(environ, start_response)


def wait_rendered(page: Any, mode: str) -> None:
    if mode == "script":
        page.wait_for_function(
            "() => { const el = document.querySelector('testimonials-widget');"
            " return el && el.shadowRoot && el.shadowRoot.querySelector('.tw-root'); }"
        )
    elif mode == "iframe":
        page.wait_for_function(
            "() => { const f = document.querySelector('iframe');"
            " try { return f.contentDocument === null; } catch (e) { return true; } }"
        )
        page.frame_locator("iframe").locator(".tw-root").wait_for()
    else:
        page.wait_for_selector(".tw-root")
    # Two frames, so any shift the widget caused is reported before reading the total.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
