"""The embed codes marketers copy into their pages, one per delivery mode."""

from __future__ import annotations

from flask import render_template, url_for
from markupsafe import escape

from testimonials.widgets.models import Widget


def embed_codes(widget: Widget, fragment_html: str | None = None) -> dict[str, str]:
    """Paste-ready HTML for each delivery mode of this widget."""
    key = widget.public_key
    slot_css = url_for("widgets_public.slot_stylesheet", key=key, _external=True)
    loader = url_for("widgets_public.loader", _external=True)
    reserve = f'<link rel="stylesheet" href="{escape(slot_css)}">'
    frame_src = url_for("widgets_public.frame", key=key, _external=True)
    iframe = (
        render_template(
            "widgets/iframe_snippet.html", src=frame_src, key=key, title=widget.name, height=""
        )
        .strip()
        .replace(' height=""', "")
    )
    codes = {
        "script": (
            f"{reserve}\n"
            f'<testimonials-widget data-testimonials-widget="{escape(key)}">'
            "</testimonials-widget>\n"
            f'<script async src="{escape(loader)}"></script>'
        ),
        "iframe": f'{reserve}\n{iframe}\n<script async src="{escape(loader)}"></script>',
        "fragment_url": url_for("widgets_public.fragment", key=key, _external=True),
        "json_url": url_for("widgets_public.data", key=key, _external=True),
        "oembed_url": url_for("widgets_public.oembed", url=frame_src, _external=True),
    }
    if fragment_html is not None:
        codes["html"] = fragment_html
    return codes
