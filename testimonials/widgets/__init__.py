"""Serve: approved testimonials as embeddable widgets (loader, fragment, iframe, oEmbed, JSON)."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

CACHE_EXTENSION = "widget_cache"


def init_app(app: Flask, api: Api) -> None:
    """Register the widgets API, dashboard pages, public endpoints and cache receivers."""
    # Imported here, when an app is built: importing a model must not load the web layer.
    from testimonials.csrf import csrf
    from testimonials.db import database_for
    from testimonials.widgets import pages, public, receivers, share, views
    from testimonials.widgets.cache import cache_for_url
    from testimonials.widgets.edge import WidgetFastPath

    cache = cache_for_url(app.config.get("WIDGET_CACHE_URL"))
    app.extensions[CACHE_EXTENSION] = cache
    # Receivers find the cache through the session that carries the change.
    sessions = database_for(app).sessionmaker
    sessions.configure(info={**sessions.kw.get("info", {}), receivers.CACHE_INFO_KEY: cache})
    receivers.connect()
    csrf.exempt(views.blp)
    api.register_blueprint(views.blp)
    app.register_blueprint(pages.bp)
    csrf.exempt(public.bp)
    app.register_blueprint(public.bp)
    share.init_app(app, api)
    app.wsgi_app = WidgetFastPath(app.wsgi_app, cache)  # type: ignore[method-assign]
