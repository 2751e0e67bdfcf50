"""The application factory: wires config, database, blueprints, error handlers and CLI."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from testimonials import (
    accounts,
    api_docs,
    cli,
    curation,
    db,
    harvest,
    health,
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
from testimonials.csrf import csrf
from testimonials.extensions import limiter
from testimonials.schemas import IdConverter

# The product's flow, each stage a feature that registers its own blueprints, commands and
# signal receivers: harvest -> curate -> serve -> measure. Accounts come first.
FEATURES = (accounts, harvest, privacy, curation, widgets, tracking, report)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides TESTIMONIALS_* environment variables and defaults."""
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
    db.init_app(app)
    web.init_app(app)
    request_log.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    api = ProblemApi(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "An API key"}
    )
    for feature in FEATURES:
        feature.init_app(app, api)
    for blueprint in app.blueprints.values():
        if getattr(blueprint, "csrf_exempt", False):
            csrf.exempt(blueprint)
    # Service-wide, not a feature: the API's own docs page, and headers on every response.
    app.register_blueprint(api_docs.bp)
    app.register_blueprint(health.bp)
    security_headers.init_app(app)
    problems.register_error_handlers(app)
    cli.register(app)
    # Outermost, so every layer a feature put in front of Flask sees the real client.
    if hops := app.config["PROXY_HOPS"]:
        # Only the headers every proxy sets; the Host header is the proxy's to pass on as is.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app
