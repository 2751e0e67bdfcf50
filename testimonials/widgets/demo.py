"""The demo's widgets and its sample landing page, served from a second origin.

`flask demo` approves the demo's best consented items (so widgets have something to show),
makes one widget of each type, and serves a landing page on the next port: another origin,
as a customer's site would be, embedding them in every delivery mode.
"""

from __future__ import annotations

import threading
import urllib.request
from typing import Any

from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from testimonials.curation import services as curation
from testimonials.curation.models import Status, Testimonial
from testimonials.errors import ServiceError
from testimonials.harvest.models import ConsentState, FeedbackItem
from testimonials.widgets import services
from testimonials.widgets.models import Widget, WidgetKind

DEMO_APPROVALS = 10
DEMO_WIDGETS: dict[WidgetKind, dict[str, Any]] = {
    WidgetKind.WALL: {"name": "Demo: wall", "theme": {"mode": "light"}},
    WidgetKind.CAROUSEL: {"name": "Demo: carousel", "theme": {"mode": "dark"}},
    WidgetKind.SINGLE: {"name": "Demo: featured quote", "theme": {"mode": "auto"}},
    WidgetKind.MARQUEE: {"name": "Demo: marquee", "theme": {"density": "compact"}},
    WidgetKind.AVATARS: {"name": "Demo: avatar strip"},
    WidgetKind.RATING: {
        "name": "Demo: rating",
        "structured_data": {"type": "SoftwareApplication", "name": "Northwind Scheduler"},
    },
}


def seed_demo_widgets(session: Session, workspace_id: int, actor: curation.Actor) -> dict[str, str]:
    """Approve the best consented items (if none is yet) and make the demo widgets; idempotent."""
    approved = session.scalar(
        select(Testimonial.id).where(
            Testimonial.workspace_id == workspace_id, Testimonial.status == Status.APPROVED.value
        )
    )
    if approved is None:
        candidates = session.scalars(
            select(Testimonial)
            .join(Testimonial.item)
            .where(
                Testimonial.workspace_id == workspace_id,
                FeedbackItem.consent_state == ConsentState.GRANTED.value,
                (FeedbackItem.suspicion.is_(None)) | (FeedbackItem.suspicion < 0.3),
            )
            .order_by(Testimonial.rank_score.desc())
            .limit(DEMO_APPROVALS)
        ).all()
        for testimonial in candidates:
            try:
                curation.approve(session, testimonial, actor)
            except ServiceError:
                continue
    keys = {}
    for kind, values in DEMO_WIDGETS.items():
        widget = session.scalar(
            select(Widget).where(Widget.workspace_id == workspace_id, Widget.name == values["name"])
        )
        if widget is None:
            widget = services.create_widget(session, workspace_id, {"kind": kind.value, **values})
        keys[kind.value] = widget.public_key
    session.flush()
    return keys


class LandingPage:
    """A customer's landing page on another origin, embedding every widget in every mode."""

    def __init__(self, widget_origin: str, keys: dict[str, str]) -> None:
        self.origin = widget_origin
        self.keys = keys

    def _section(self, kind: str, key: str) -> str:
        o = escape(self.origin)
        reserve = f'<link rel="stylesheet" href="{o}/w/{key}/slot.css">'
        try:
            # The demo's own http origin, never a user-supplied URL.
            fragment_url = f"{self.origin}/w/{key}/fragment"
            with urllib.request.urlopen(fragment_url, timeout=5) as answer:  # noqa: S310
                fragment = answer.read().decode()  # what a server-side include does
        except OSError as error:
            fragment = f"<p>(fragment unavailable: {escape(str(error))})</p>"
        return (
            f"<h2>{escape(kind.title())}</h2>"
            f"<h3>Script, Shadow DOM</h3>{reserve}"
            f'<testimonials-widget data-testimonials-widget="{key}"></testimonials-widget>'
            f'<h3>Iframe</h3><iframe src="{o}/w/{key}" title="{escape(kind)} testimonials" '
            f'data-testimonials-widget="{key}" loading="lazy"></iframe>'
            f"<h3>Server-side include (no JavaScript needed)</h3>{fragment}"
            f'<p>JSON: <a href="{o}/w/{key}/data.json">{o}/w/{key}/data.json</a></p>'
        )

    def __call__(self, environ: Any, start_response: Any) -> Any:
        if Request(environ).path != "/":
            return Response("Not found", 404)(environ, start_response)
        sections = "".join(self._section(kind, key) for kind, key in self.keys.items())
        o = escape(self.origin)
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Northwind Scheduler — sample landing page</title></head><body>"
            "<h1>Northwind Scheduler</h1><p>A sample customer page on another origin, under a "
            "strict Content-Security-Policy, embedding the demo's widgets in every mode.</p>"
            f'{sections}<script async src="{o}/widgets/loader.js"></script></body></html>'
        )
        csp = (
            f"default-src 'none'; script-src {self.origin}; style-src {self.origin}; "
            f"img-src {self.origin}; connect-src {self.origin}; frame-src {self.origin}"
        )
        response = Response(page, mimetype="text/html", headers={"Content-Security-Policy": csp})
        return response(environ, start_response)


def serve_landing_page(host: str, port: int, widget_origin: str, keys: dict[str, str]) -> Any:
    """Serve the sample landing page in a background thread; returns the server."""
    server = make_server(host, port, LandingPage(widget_origin, keys), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
