"""Share images and public share pages: a testimonial as a social card, square or link."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def init_app(app: Flask, api: Api) -> None:
    """Register the share API, the public page, the dashboard view and the cache receivers."""
    # Imported here, when an app is built: importing a model must not load the web layer.
    from testimonials.csrf import csrf
    from testimonials.widgets.share import pages, receivers, services, views

    csrf.exempt(views.blp)  # bearer-authenticated; no cookies involved
    api.register_blueprint(views.blp)
    app.register_blueprint(pages.public)
    app.register_blueprint(pages.dashboard)
    # The testimonial's edit page (curation's template) offers the download when it may.
    app.add_template_global(services.why_not_shareable, "share_refusal")
    receivers.connect()
