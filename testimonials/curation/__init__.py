"""Curation: the marketer's inbox — approve, reject, snooze, excerpt, tag, audit.

The inbox follows harvest through signals (see `receivers.py`); harvest never imports it.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def init_app(app: Flask, api: Api) -> None:
    """The inbox API and pages, the `learn` command, and the receivers of harvest's events."""
    # Imported here, when an app is built: importing a model must not load the web layer.
    from testimonials.curation import (  # noqa: F401 (routes)
        cli,
        dashboard,
        edit_pages,
        library_pages,
        pages,
        receivers,
        views,
    )

    receivers.connect()
    api.register_blueprint(views.blp)
    app.register_blueprint(dashboard.bp)
    for command in cli.commands:
        app.cli.add_command(command)


# The API's reads an API-reads app serves (`create_app(serves=API_READS)`), GET only.
READ_ENDPOINTS = (
    "curation_api.Testimonials",
    "curation_api.TestimonialView",
    "curation_api.Tags",
    "curation_api.TagView",
)


def init_api_reads(app: Flask, api: Api) -> tuple[str, ...]:
    """Only the API's views (their reads are served): no pages, commands or receivers."""
    from testimonials.curation import views

    api.register_blueprint(views.blp)
    return READ_ENDPOINTS
