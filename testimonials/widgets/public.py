"""Public endpoints on other people's pages: loader, slot, fragment, frame, oEmbed, JSON.

Nothing here reads or sets a cookie, and every answer states its own headers (CORS,
framing, caching) so they stay right whatever the app adds to dashboard pages. A widget
with allowed origins answers browsers on other sites only there; server-side includes
(no Origin header) may always fetch the fragment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from testimonials import slots
from testimonials.curation.models import Testimonial
from testimonials.db import get_session
from testimonials.errors import NotFoundError
from testimonials.extensions import limiter
from testimonials.locales import DEFAULT_LANGUAGE
from testimonials.security_headers import EMBEDDABLE, blueprint_header_policy
from testimonials.widgets import services
from testimonials.widgets.cache import WidgetCache
from testimonials.widgets.edge import public_headers
from testimonials.widgets.layout import media_rules
from testimonials.widgets.rendering import RenderedWidget, render_widget
from testimonials.widgets.services import Card
from testimonials.widgets.styles import slot_stylesheet as reservation_css

bp = Blueprint("widgets_public", __name__)
limiter.exempt(bp)  # cached, visitor-independent reads: the cache is the protection
# What a view does not state itself (errors, 304s): framable anywhere, CORS decided per
# widget by the views (allowed origins), never "*" by default.
blueprint_header_policy(bp, replace(EMBEDDABLE, cors_any_origin=False))

CACHE_EXTENSION = "widget_cache"
# Short freshness, cheap revalidation (ETag): a withdrawn quote leaves a CDN within seconds.
MAX_AGE = 5
STALE_WHILE_REVALIDATE = 10
LOADER_MAX_AGE = 300
LOADER_PATH = Path(__file__).resolve().parent.parent / "static" / "widgets" / "loader.js"
MEASURE_PATH = LOADER_PATH.with_name("measure.js")
# A randomised experiment draws each unit's testimonials from twice as many as are shown.
POOL_FACTOR = 2
MAX_POOL = 50
PER_VISITOR_CACHE = "private, no-store"


def widget_cache() -> WidgetCache:
    """The app's widget cache."""
    return current_app.extensions[CACHE_EXTENSION]


def _photo_url(card: Card, key: str) -> str:
    return url_for(
        "widgets_public.photo", key=key, testimonial_id=card.id, v=card.photo_etag, _external=True
    )


def rendered(key: str) -> RenderedWidget:
    """The widget's current rendering: from the cache, or rendered now and kept."""
    cache = widget_cache()
    hit = cache.get(key)
    if hit is not None:
        return hit
    db = get_session()
    try:
        widget = services.find_public_widget(db, key)
    except NotFoundError:
        abort(404, "No such widget: check the embed code, or the widget was deleted.")
    version = cache.version(widget.workspace_id)
    decider: slots.SlotDecider | None = current_app.extensions.get(slots.EXTENSION)
    plan = decider.plan(db, widget.workspace_id, key) if decider else None
    shown = services.shown_count(widget)
    pool = min(MAX_POOL, POOL_FACTOR * shown) if plan and plan.randomise else None
    content = services.widget_content(db, widget, pool)
    result = render_widget(
        current_app.jinja_env, content, lambda c: _photo_url(c, key), shown=shown, plan=plan
    )
    cache.put(key, widget.workspace_id, version, result)
    return result


def _origin_allowed(widget: RenderedWidget) -> str | None:
    """The CORS answer for this caller: `*`, its own origin, or None (refused)."""
    if not widget.allowed_origins:
        return "*"
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    return origin if origin.rstrip("/").lower() in widget.allowed_origins else None


def _public(
    widget: RenderedWidget, mode: str, make: Callable[[], str], mimetype: str
) -> WerkzeugResponse:
    """One cacheable public answer, built once per rendering and mode."""
    stored = widget.bodies.get(mode)
    if stored is None:
        body = make().encode()
        etag = hashlib.blake2b(body, digest_size=12).hexdigest()
        headers = public_headers(mimetype, etag, MAX_AGE, STALE_WHILE_REVALIDATE)
        if widget.language != DEFAULT_LANGUAGE:
            headers = [*headers, ("Content-Language", widget.language)]
        stored = widget.bodies[mode] = (body, etag, headers)
    body, etag, headers = stored
    response = Response(body, headers=[h for h in headers if h[0] != "Access-Control-Allow-Origin"])
    allowed = _origin_allowed(widget)
    if widget.allowed_origins:
        response.vary.add("Origin")
    if allowed:
        response.headers["Access-Control-Allow-Origin"] = allowed
    return response.make_conditional(request)


def _refuse_foreign_browser(widget: RenderedWidget) -> None:
    """A browser on a site the widget does not allow gets nothing to render."""
    if widget.allowed_origins and request.headers.get("Origin") and not _origin_allowed(widget):
        abort(403, "This widget is not set up to show on this website.")


def _script(path: Path) -> WerkzeugResponse:
    body = path.read_bytes()
    response = Response(body, mimetype="text/javascript")
    response.set_etag(hashlib.blake2b(body, digest_size=12).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = LOADER_MAX_AGE
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response.make_conditional(request)


@bp.get("/widgets/loader.js")
def loader() -> WerkzeugResponse:
    """The loader script pages embed (async, no dependencies)."""
    return _script(LOADER_PATH)


@bp.get("/widgets/measure.js")
def measure() -> WerkzeugResponse:
    """Measurement, fetched by the loader only where an experiment runs."""
    return _script(MEASURE_PATH)


def _decide(key: str, widget: RenderedWidget, *, record: bool) -> slots.SlotDecision | None:
    """This visitor's slot under the widget's running experiment (None: show the widget)."""
    decider: slots.SlotDecider | None = current_app.extensions.get(slots.EXTENSION)
    workspace_id = widget_cache().workspace_of(key)
    if decider is None or widget.plan is None or workspace_id is None:
        return None
    visitor = slots.SlotVisitor(
        ip=request.remote_addr or "",
        user_agent=request.headers.get("User-Agent", ""),
        accept_language=request.headers.get("Accept-Language", ""),
        privacy_signal=request.headers.get("Sec-GPC") == "1" or request.headers.get("DNT") == "1",
        # The loader adds ?webdriver=1 only for automated browsers (humans' URL, and so a
        # cache's key, is unchanged).
        automated_hint=request.args.get("webdriver") == "1",
    )
    db = get_session()
    decision = decider.decide(
        db, workspace_id, widget.plan, visitor, widget.pool, widget.shown, record=record
    )
    db.commit()
    return decision


def _per_visitor(widget: RenderedWidget, body: str, mimetype: str) -> WerkzeugResponse:
    """An answer for this visitor only: never stored by a CDN or the browser."""
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = PER_VISITOR_CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    allowed = _origin_allowed(widget)
    if widget.allowed_origins:
        response.vary.add("Origin")
    if allowed:
        response.headers["Access-Control-Allow-Origin"] = allowed
    return response


def _slot_json(widget: RenderedWidget, html: str, heights: dict[str, int], extra: dict) -> str:
    # The host's reservation again, inside the Shadow DOM, for pages without slot.css.
    css = ":host{display:block}" + media_rules(":host", heights) + (widget.css if html else "")
    payload = {"html": html, "css": css, "heights": heights, **extra}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


@bp.get("/w/<key>/slot.json")
def slot(key: str) -> WerkzeugResponse:
    """What the loader puts in its Shadow DOM: markup, styles and the reserved heights.

    The server decides per slot request what the slot shows. Under a running experiment
    that is per visitor: the exposure is recorded (both arms), the holdout gets an empty
    zero-height slot, a randomised treatment its own choice and order of testimonials.
    """
    widget = rendered(key)
    _refuse_foreign_browser(widget)
    decision = _decide(key, widget, record=True) if widget.plan else None
    if widget.plan is not None and decision is not None:
        experiment = {
            "key": widget.plan.experiment,
            "arm": decision.arm,
            "unit": decision.unit,
            "goals": list(widget.plan.goals),
        }
        if not decision.render:
            zero = {name: 0 for name in widget.heights}
            body = _slot_json(widget, "", zero, {"experiment": experiment})
        else:
            assert widget.html_of is not None
            html = widget.html_of(decision.featured) if widget.plan.randomise else widget.html
            body = _slot_json(widget, html, widget.heights, {"experiment": experiment})
        return _per_visitor(widget, body, "application/json")
    return _public(
        widget,
        "slot",
        lambda: _slot_json(widget, widget.html, widget.heights, {}),
        "application/json",
    )


@bp.get("/w/<key>/fragment")
def fragment(key: str) -> WerkzeugResponse:
    """Server-rendered HTML for server-side includes, static sites and the no-JS snippet."""
    widget = rendered(key)
    _refuse_foreign_browser(widget)

    def make() -> str:
        css = url_for("widgets_public.stylesheet", key=key, _external=True)
        # JSON-LD only here: search engines read it in the host page's own HTML.
        return f'<link rel="stylesheet" href="{css}">' + widget.html + widget.json_ld_html

    return _public(widget, "fragment", make, "text/html")


@bp.get("/w/<key>/widget.css")
def stylesheet(key: str) -> WerkzeugResponse:
    """The widget's styles for the fragment and frame modes (every rule scoped to it)."""
    widget = rendered(key)
    return _public(widget, "css", lambda: widget.css, "text/css")


@bp.get("/w/<key>/slot.css")
def slot_stylesheet(key: str) -> WerkzeugResponse:
    """The host page's placeholder styles: the widget's exact height, per page width.

    Under a running experiment the reservation is this visitor's: none for the holdout,
    so its empty slot leaves no hole and nothing moves when the loader finds it empty.
    """
    widget = rendered(key)
    decision = _decide(key, widget, record=False) if widget.plan else None
    if decision is not None:
        if decision.render:
            return _per_visitor(widget, widget.slot_css, "text/css")
        zero = {name: 0 for name in widget.heights}
        return _per_visitor(widget, reservation_css(key, zero), "text/css")
    return _public(widget, "slot_css", lambda: widget.slot_css, "text/css")


@bp.get("/w/<key>")
def frame(key: str) -> WerkzeugResponse:
    """The widget as a page of its own, for the iframe mode and oEmbed."""
    widget = rendered(key)

    def make() -> str:
        return render_template("widgets/frame.html", widget=widget)

    response = _public(widget, "frame", make, "text/html")
    ancestors = " ".join(widget.allowed_origins) or "*"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
        f"connect-src 'self'; frame-ancestors {ancestors}"
    )
    response.headers.pop("X-Frame-Options", None)
    response.headers.pop("Access-Control-Allow-Origin", None)
    return response


@bp.get("/w/<key>/data.json")
def data(key: str) -> WerkzeugResponse:
    """Read-only JSON of what the widget shows, for headless sites."""
    widget = rendered(key)
    _refuse_foreign_browser(widget)
    return _public(
        widget,
        "json",
        lambda: json.dumps(widget.data, ensure_ascii=False, separators=(",", ":")),
        "application/json",
    )


@bp.get("/w/<key>/photos/<int:testimonial_id>.jpg")
def photo(key: str, testimonial_id: int) -> WerkzeugResponse:
    """The author's photo, only while the widget shows it."""
    widget = rendered(key)
    if not any(t["id"] == testimonial_id and t["photo_url"] for t in widget.data["testimonials"]):
        abort(404, "This widget does not show that photo.")
    image = get_session().get(Testimonial, testimonial_id)
    if image is None or image.photo is None:
        abort(404, "This widget does not show that photo.")
    response = Response(image.photo, mimetype="image/jpeg")
    response.set_etag(image.photo_etag or "")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


@bp.get("/oembed")
def oembed() -> Response:
    """oEmbed (https://oembed.com): the iframe embed for a widget's page URL."""
    url = request.args.get("url", "")
    if request.args.get("format", "json") != "json":
        abort(501, "Only format=json is offered.")
    parts = urlsplit(url)
    try:
        endpoint, args = current_app.url_map.bind(request.host).match(parts.path, "GET")
    except HTTPException:
        endpoint, args = None, {}
    if endpoint != "widgets_public.frame" or parts.netloc not in ("", request.host):
        abort(404, "That URL is not a widget of this service.")
    key = args["key"]
    widget = rendered(key)
    height = widget.heights["desktop"]
    try:
        max_height = int(request.args.get("maxheight", height))
        max_width = int(request.args.get("maxwidth", 1200))
    except ValueError:
        abort(400, "maxwidth and maxheight must be whole numbers of pixels.")
    width = max(200, min(1200, max_width))
    src = url_for("widgets_public.frame", key=key, _external=True)
    html = render_template(
        "widgets/iframe_snippet.html", src=src, key=key, title=widget.title, height=height
    ).strip()
    body = {
        "version": "1.0",
        "type": "rich",
        "provider_name": "testimonials",
        "provider_url": url_for("harvest_pages.home", _external=True),
        "title": widget.title,
        "html": html,
        "width": width,
        "height": min(height, max(max_height, 0)),
        "cache_age": MAX_AGE,
    }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), mimetype="application/json"
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response
