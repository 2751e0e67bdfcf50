"""Measure: experiments with a randomised holdout, visitor-day units, events and results."""

from __future__ import annotations

from typing import Any

from flask import Flask


def init_app(app: Flask, api: Any) -> None:
    """Register the tracking API and the public slot and beacon endpoints."""
    from testimonials.extensions import csrf
    from testimonials.tracking import jobs, views
    from testimonials.tracking.cli import tracking_group

    for blueprint in (views.blp, views.public):
        csrf.exempt(blueprint)  # bearer keys or no credentials at all; never cookies
        api.register_blueprint(blueprint)
    app.cli.add_command(tracking_group)
    jobs.register(app)
