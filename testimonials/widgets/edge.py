"""The warm path for public widget answers, in front of Flask.

A page view asks for a widget's slot, styles or fragment; once rendered, those bytes are
the same for every visitor until the workspace's content version changes. This WSGI layer
answers such requests straight from the widget cache (the same version check as the
Flask view: in memory, or one Redis round trip), skipping request routing, sessions, rate
limits and the other per-request machinery the dashboard needs. Anything else — a cold
cache, a widget limited to some origins, any other URL or method — goes on to Flask,
which renders, caches and answers with exactly the same headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from testimonials.widgets.cache import WidgetCache

# URL tail -> the cached body's mode name (as public.py stores them).
FAST_MODES = {
    "slot.json": "slot",
    "fragment": "fragment",
    "data.json": "json",
    "widget.css": "css",
    "slot.css": "slot_css",
}
# Under a running experiment these are decided per visitor, by Flask.
PER_VISITOR_MODES = frozenset({"slot", "slot_css"})
_PATH = re.compile(
    r"^/w/([A-Za-z0-9_-]{1,64})/(slot\.json|fragment|data\.json|widget\.css|slot\.css)$"
)


def public_headers(mimetype: str, etag: str, max_age: int, swr: int) -> list[tuple[str, str]]:
    """The headers every public widget answer carries (Flask's view sends the same)."""
    return [
        ("Content-Type", f"{mimetype}; charset=utf-8"),
        ("ETag", f'"{etag}"'),
        ("Cache-Control", f"public, max-age={max_age}, stale-while-revalidate={swr}"),
        ("X-Content-Type-Options", "nosniff"),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
        ("Access-Control-Allow-Origin", "*"),
    ]


class WidgetFastPath:
    """WSGI middleware: serve warm, visitor-independent widget answers from the cache."""

    def __init__(self, app: Callable[..., Iterable[bytes]], cache: WidgetCache) -> None:
        self.app = app
        self.cache = cache

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REQUEST_METHOD") == "GET" and not environ.get("QUERY_STRING"):
            match = _PATH.match(environ.get("PATH_INFO", ""))
            if match is not None:
                widget = self.cache.get(match.group(1))
                mode = FAST_MODES[match.group(2)]
                stored = None if widget is None else widget.bodies.get(mode)
                # Origin-limited widgets answer per caller, slots under an experiment per
                # visitor: Flask's view decides those.
                if (
                    stored is not None
                    and widget is not None
                    and not widget.allowed_origins
                    and not (widget.plan is not None and mode in PER_VISITOR_MODES)
                ):
                    body, etag, headers = stored
                    if environ.get("HTTP_IF_NONE_MATCH", "").strip() == f'"{etag}"':
                        start_response("304 NOT MODIFIED", headers[1:])
                        return [b""]
                    start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
                    return [body]
        return self.app(environ, start_response)
