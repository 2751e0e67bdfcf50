"""A host page on another origin under a strict CSP, and reading what its loader measured."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from werkzeug.wrappers import Request, Response

from testimonials.stats.assignment import assign_arm
from testimonials.tracking import experiments as service
from testimonials.tracking.models import TrackingEvent
from testimonials.widgets.models import Widget
from tests.browser.conftest import LAYOUT_AND_CSP_OBSERVERS, LiveServer
from tests.widgets.browser_seed import seed

OBSERVERS = (
    LAYOUT_AND_CSP_OBSERVERS
    + """
window.__rendered = [];
document.addEventListener('testimonials:rendered', e => window.__rendered.push(e.detail.arm));
"""
)


HOST_CSS = ".spacer{height:1600px} .tall{height:3000px} body{margin:0;font:16px/1.5 sans-serif}"


# A page that reports a conversion before the async loader has run.
CONVERT_JS = (
    "window.Testimonials = window.Testimonials || {};"
    "(Testimonials.pending = Testimonials.pending || [])"
    ".push(['signup', {value: 49, order_id: 'A-1'}]);"
)


class MeasuredHost:
    """Another origin: pages embedding a widget, a thank-you page, its own CSS and script."""

    def __init__(self, widget_origin: str) -> None:
        self.o = widget_origin
        self.key = ""
        self.experiment = ""

    def body(self, path: str) -> str | None:
        o, key = self.o, self.key
        widget = (
            f'<link rel="stylesheet" href="{o}/w/{key}/slot.css">'
            f'<testimonials-widget data-testimonials-widget="{key}"></testimonials-widget>'
            f'<script async src="{o}/widgets/loader.js"></script>'
        )
        named = (
            f'<script async src="{o}/widgets/loader.js" '
            f'data-testimonials-experiment="{self.experiment}"></script>'
        )
        pages = {
            "/": f"<h1>Clinic software</h1><p>Intro.</p>{widget}<p id='after'>After.</p>"
            "<div class='tall'></div>",
            "/below": f"<h1>Pricing</h1><div class='spacer'></div>{widget}<p id='after'>After.</p>"
            "<div class='tall'></div>",
            "/pricing": f"<h1>Pricing</h1>{named}",
            "/app": f"<h1>A single-page app</h1>{named}",
            "/blank": "<p>Nothing here.</p>",
        }
        if path.startswith("/thank-you/"):
            return f"<h1>Thank you</h1><script src='/convert.js'></script>{named}"
        return pages.get(path)

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/host.css":
            return Response(HOST_CSS, mimetype="text/css")(environ, start_response)
        if request.path == "/convert.js":
            return Response(CONVERT_JS, mimetype="text/javascript")(environ, start_response)
        body = self.body(request.path)
        if body is None:
            return Response("not found", 404)(environ, start_response)
        o = self.o
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
            '<link rel="stylesheet" href="/host.css"></head>'
            f"<body>{body}</body></html>"
        )
        csp = (
            f"default-src 'none'; script-src 'self' {o}; style-src 'self' {o}; img-src {o}; "
            f"connect-src {o}"
        )
        headers = {"Content-Security-Policy": csp}
        return Response(page, mimetype="text/html", headers=headers)(environ, start_response)


def start_experiment_in_arm(
    live_server: LiveServer,
    page: Any,
    site: MeasuredHost,
    origin: str,
    arm: str,
    kind: str = "wall",
    **settings: Any,
) -> dict[str, Any]:
    """Start an experiment on the wall whose hashing key puts this browser's unit in `arm`.

    The unit is a visitor-day key the server derives; a draft experiment tells the page its
    unit without recording anything, and a key is then chosen for the wanted arm.
    """
    with live_server.session() as session:
        keys = seed(session)
    site.key = keys[kind]
    with live_server.session() as session:
        workspace_id = workspace_id_of(session, site.key)
        draft = service.create_experiment(
            session, workspace_id, name=kind, widget_key=site.key, holdout_share=0.5, **settings
        )
        session.commit()
        public_key, experiment_id = draft.public_key, draft.id
    page.goto(origin + "/blank")
    unit = page.evaluate(
        "o => fetch(o + '/api/v1/track/slot?experiment=" + public_key + "&event=probe-0001',"
        " {credentials: 'omit'}).then(r => r.json()).then(j => j.unit)",
        live_server.url,
    )
    chosen = next(
        f"exp-{arm}-{n}" for n in range(1000) if assign_arm(f"exp-{arm}-{n}", unit, 0.5) == arm
    )
    with live_server.session() as session:
        experiment = service.get_experiment(session, workspace_id, experiment_id)
        service.update_experiment(session, experiment, {"key": chosen})
        service.start_experiment(session, experiment, datetime.now(UTC))
        session.commit()
    site.experiment = public_key
    return {"id": experiment_id, "public_key": public_key, "unit": unit}


def workspace_id_of(session: Any, widget_key: str) -> int:
    return session.scalars(select(Widget.workspace_id).where(Widget.public_key == widget_key)).one()


def beacons(page: Any) -> list[dict[str, Any]]:
    """Every event the page sends from now on (read from the beacon requests themselves)."""
    sent: list[dict[str, Any]] = []

    def on_request(request: Any) -> None:
        if request.url.endswith("/api/v1/track/events"):
            assert request.method == "POST"
            assert request.headers.get("content-type", "").startswith("text/plain")
            sent.extend(json.loads(request.post_data)["events"])

    page.on("request", on_request)
    return sent


def flushed(page: Any, sent: list[dict[str, Any]], wait_ms: int = 300) -> list[str]:
    """Flush the loader's queue and return the kinds of events sent so far."""
    page.evaluate("Testimonials.flush()")
    page.wait_for_timeout(wait_ms)
    return [e["type"] for e in sent]


def stored(live_server: LiveServer, experiment_id: int, kind: str | None = None) -> list[Any]:
    with live_server.session() as session:
        query = select(TrackingEvent).where(TrackingEvent.experiment_id == experiment_id)
        if kind:
            query = query.where(TrackingEvent.kind == kind)
        return list(session.scalars(query.order_by(TrackingEvent.id)))


def wait_stored(
    live_server: LiveServer, experiment_id: int, ready: Callable[[list[Any]], bool]
) -> list[Any]:
    deadline = time.monotonic() + 10
    while True:
        rows = stored(live_server, experiment_id)
        if ready(rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def show_share(page: Any, share: float) -> None:
    """Scroll so that `share` of the widget's height is inside the viewport (from below)."""
    page.evaluate(
        """share => {
          const el = document.querySelector('testimonials-widget');
          const r = el.getBoundingClientRect();
          window.scrollBy(0, r.top - (innerHeight - share * r.height));
        }""",
        share,
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
