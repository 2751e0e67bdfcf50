"""The HTML customers paste into their sites to run the in-page survey."""

from __future__ import annotations

from flask import url_for
from markupsafe import escape

# Pasted before the loader's tag: until the loader arrives, open()/close() calls wait in
# `Testimonials.survey.q`; the loader fills in this same object and replays them in order.
QUEUE_STUB = (
    "<script>(function(w){var t=w.Testimonials=w.Testimonials||{},"
    "s=t.survey=t.survey||{q:[]};['open','close'].forEach(function(m){"
    "s[m]=s[m]||function(o){s.q.push([m,o])}})})(window);</script>"
)


def embed_snippet(public_token: str) -> str:
    """The loader's tag for this survey (async: it never holds up the customer's page)."""
    src = url_for("embed_pages.loader_script", _external=True)
    return f'<script async src="{escape(src)}" data-survey="{escape(public_token)}"></script>'
