"""Goal URLs: a page view whose address matches one of an experiment's patterns converts.

A pattern is a path (`/thank-you`, `/orders/*/done`) or a whole address
(`https://shop.example.com/thanks*`); `*` stands for any run of characters, everything
else is literal. A pattern with `?` is matched against the path and query string, one
without against the path alone (so tracking parameters on a goal page do not matter);
a pattern with `#` (one at most) also against the fragment, for single-page apps that
route by hash (`/#/thank-you*`). The loader matches on the page where it runs, on load
and on every route change of a single-page app, and sends a `conversion` named `goal`
once per matched address and page view: the page's address never leaves the browser.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_GOALS = 10
MAX_PATTERN = 300
_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f\\]")


def goal_url_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be a goal URL, or None when it can."""
    if not pattern or len(pattern) > MAX_PATTERN:
        return f"A goal URL pattern has 1 to {MAX_PATTERN} characters."
    if _FORBIDDEN.search(pattern) or pattern.count("#") > 1:
        return (
            "A goal URL pattern has no spaces, control characters or backslashes, "
            "and one '#' at most."
        )
    if pattern.startswith("/"):
        return None if not pattern.startswith("//") else "Start a path with one '/'."
    parts = urlsplit(pattern)
    if parts.scheme not in ("http", "https") or not parts.netloc or "*" in parts.netloc:
        return (
            "Write a path starting with '/' (e.g. /thank-you) or a whole address starting with "
            "https:// and a host without '*' (e.g. https://shop.example.com/thanks*)."
        )
    return None


def check_goal_urls(patterns: list[str]) -> list[str]:
    """The problems of a list of goal URL patterns (empty when every one is usable)."""
    if len(patterns) > MAX_GOALS:
        return [f"At most {MAX_GOALS} goal URL patterns."]
    found = (goal_url_problem(p) for p in patterns)
    return [f"{p!r}: {why}" for p, why in zip(patterns, found, strict=True) if why]
