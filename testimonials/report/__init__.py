"""Measure: read models across features — the NPS report and the feedback export.

Reports read what harvest and curation stored; nothing below imports them.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def init_app(app: Flask, api: Api) -> None:
    """The report API and pages."""
    # Imported here, when an app is built: importing a model must not load the web layer.
    from testimonials.report import pages, views

    api.register_blueprint(views.blp)
    app.register_blueprint(pages.bp)
