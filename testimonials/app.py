"""The application factory: wires config, database, blueprints, error handlers and CLI."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from testimonials import (
    api_docs,
    cli,
    db,
    health,
    problems,
    request_log,
    security_headers,
    tracking,
    widgets,
)
from testimonials.accounts import auth, member_pages
from testimonials.accounts import pages as accounts_pages
from testimonials.accounts import views as accounts_views
from testimonials.api_spec import ProblemApi
from testimonials.config import load_config
from testimonials.curation import pages as curation_pages
from testimonials.curation import views as curation_views
from testimonials.extensions import csrf, limiter
from testimonials.harvest import pages as harvest_pages
from testimonials.harvest import privacy_pages
from testimonials.harvest import views as harvest_views
from testimonials.harvest.customers import pages as customers_pages
from testimonials.harvest.customers import views as customers_views
from testimonials.harvest.embed import pages as embed_pages
from testimonials.harvest.embed import views as embed_views
from testimonials.harvest.imports import pages as imports_pages
from testimonials.harvest.imports import views as imports_views
from testimonials.harvest.intake import INTAKE_SCORER_KEY, IntakeScorer
from testimonials.harvest.privacy import subject_key_for
from testimonials.harvest.report import pages as report_pages
from testimonials.harvest.report import views as report_views
from testimonials.harvest.surveys import pages as surveys_pages
from testimonials.harvest.surveys import views as surveys_views
from testimonials.harvest.webhooks import pages as webhooks_pages
from testimonials.harvest.webhooks import views as webhooks_views
from testimonials.schemas import IdConverter
from testimonials.scoring import load_scorer

API_BLUEPRINTS = (
    accounts_views.blp,
    harvest_views.blp,
    surveys_views.blp,
    embed_views.blp,
    imports_views.blp,
    webhooks_views.blp,
    customers_views.blp,
    report_views.blp,
    curation_views.blp,
)
PAGE_BLUEPRINTS = (
    health.bp,
    accounts_pages.bp,
    member_pages.bp,
    harvest_pages.bp,
    surveys_pages.bp,
    embed_pages.bp,
    imports_pages.bp,
    webhooks_pages.bp,
    customers_pages.bp,
    privacy_pages.bp,
    report_pages.bp,
    curation_pages.bp,
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides TESTIMONIALS_* environment variables and defaults."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(Path(app.instance_path), config))
    request_log.configure_logging(app.config)
    if hops := app.config["PROXY_HOPS"]:
        # Only the headers every proxy sets; the Host header is the proxy's to pass on as is.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
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
        RATELIMIT_STORAGE_URI=app.config["RATELIMIT_STORAGE_URL"],
        RATELIMIT_HEADERS_ENABLED=True,
    )

    # Ids in URLs are bounded like ids everywhere else (a huge one names nothing: 404).
    app.url_map.converters["int"] = IdConverter
    db.init_app(app)
    request_log.init_app(app)
    # One scorer per process; each app keeps its own warm duplicate indexes.
    app.extensions[INTAKE_SCORER_KEY] = IntakeScorer(
        load_scorer(), customer_key=subject_key_for(app)
    )
    auth.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    api = ProblemApi(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "An API key"}
    )
    for blueprint in API_BLUEPRINTS:
        csrf.exempt(blueprint)  # bearer-authenticated; no cookies involved
        api.register_blueprint(blueprint)
    for blueprint in PAGE_BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.register_blueprint(api_docs.bp)
    security_headers.init_app(app)

    widgets.init_app(app, api)

    tracking.init_app(app, api)
    problems.register_error_handlers(app)
    cli.register(app)
    return app
