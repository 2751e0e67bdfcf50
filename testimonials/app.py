"""The application factory: wires config, database, blueprints, error handlers and CLI."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from testimonials import (
    accounts,
    api_docs,
    curation,
    db,
    harvest,
    health,
    locales,
    privacy,
    problems,
    report,
    request_log,
    security_headers,
    tracking,
    web,
    widgets,
)
from testimonials.api_spec import ProblemApi
from testimonials.config import EXTENSION_KEY, Settings, load_config
from testimonials.extensions import limiter
from testimonials.schemas import IdConverter

# The product's flow, each stage a feature that registers its own blueprints, commands and
# signal receivers: harvest -> curate -> serve -> measure. Accounts come first.
FEATURES = (accounts, harvest, privacy, curation, widgets, tracking, report)

# What an app serves: everything (the default: `wsgi:app`, `flask --app testimonials`), or
# only the API's reads (`wsgi_api_reads:app`), the traffic a load balancer can send to its
# own pool of lighter workers (docs/operations.md). Each feature with reads to offer there
# has an `init_api_reads(app, api)` that registers them and returns their endpoints.
EVERYTHING = "everything"
API_READS = "api-reads"
READ_FEATURES = (curation,)
# Served by an API-reads app besides the features' reads: its load balancer's probes.
_ALWAYS_SERVED = frozenset({"health.liveness", "health.readiness"})
_READ_METHODS = frozenset({"GET", "HEAD"})


def create_app(config: Mapping[str, Any] | None = None, *, serves: str = EVERYTHING) -> Flask:
    """Build the app; `config` overrides TESTIMONIALS_* environment variables and defaults.

    `serves=API_READS` builds the same app with only the API's reads: no dashboard, forms,
    sign-in, CLI or other features' views are imported, and every other request is a
    problem+json 404.
    """
    if serves not in (EVERYTHING, API_READS):
        raise ValueError(f"serves must be {EVERYTHING!r} or {API_READS!r}, not {serves!r}")
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(Path(app.instance_path), config))
    app.extensions[EXTENSION_KEY] = settings = Settings.from_config(app.config)
    request_log.configure_logging(app.config)
    app.config.update(
        API_TITLE="testimonials",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "security": [{"bearerAuth": []}],
            "info": {"description": "Harvest, score, curate, serve and measure testimonials."},
        },
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_url,
        RATELIMIT_HEADERS_ENABLED=True,
    )

    # Ids in URLs are bounded like ids everywhere else (a huge one names nothing: 404).
    app.url_map.converters["int"] = IdConverter
    if serves == API_READS:
        # First of the hooks: a request this app does not serve runs none of the others.
        served: set[str] = set(_ALWAYS_SERVED)
        app.before_request(lambda: _refuse_unserved(served))
        app.extensions[problems.WITHOUT_PAGES] = True
    db.init_app(app)
    web.init_app(app)
    request_log.init_app(app)
    if serves == EVERYTHING:
        from testimonials.csrf import csrf  # Flask-WTF: only the dashboard's forms need it

        csrf.init_app(app)
        # The customer- and visitor-facing templates' `_()`: Flask-Babel is set up on the
        # first page rendered in another language than English (testimonials.locales).
        locales.install(app)
    limiter.init_app(app)

    api = ProblemApi(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "An API key"}
    )
    if serves == API_READS:
        for feature in READ_FEATURES:
            served.update(feature.init_api_reads(app, api))
        app.register_blueprint(health.bp)
    else:
        for feature in FEATURES:
            feature.init_app(app, api)
        for blueprint in app.blueprints.values():
            if getattr(blueprint, "csrf_exempt", False):
                csrf.exempt(blueprint)
        # Service-wide, not a feature: the API's own docs page.
        app.register_blueprint(api_docs.bp)
        app.register_blueprint(health.bp)
    # Headers on every response.
    security_headers.init_app(app)
    problems.register_error_handlers(app)
    if serves == EVERYTHING:
        from testimonials import cli  # its commands load the scorer and migrations

        cli.register(app)
    # Outermost, so every layer a feature put in front of Flask sees the real client.
    if hops := app.config["PROXY_HOPS"]:
        # Only the headers every proxy sets; the Host header is the proxy's to pass on as is.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app


def _refuse_unserved(served: set[str]) -> Response | None:
    """before_request of an API-reads app: a problem+json 404 for what it does not serve."""
    if request.endpoint in served and request.method in _READ_METHODS:
        return None
    return problems.problem_response(
        404,
        "This address serves only the API's reads (GET of testimonials and tags, and the "
        "health checks); everything else is served by the full app.",
    )
