"""Measure: experiments with a randomised holdout, visitor-day units, events and results."""

from __future__ import annotations

from typing import Any

from flask import Flask


def init_app(app: Flask, api: Any) -> None:
    """Register the tracking API, the public slot and beacon endpoints and the slot decider."""
    from testimonials import slots
    from testimonials.csrf import csrf
    from testimonials.tracking import jobs, views
    from testimonials.tracking.cli import tracking_group
    from testimonials.tracking.intake import EXTENSION_KEY, BeaconFastPath, EventIntake
    from testimonials.tracking.slots import TrackingSlotDecider

    for blueprint in (views.blp, views.public):
        csrf.exempt(blueprint)  # bearer keys or no credentials at all; never cookies
        api.register_blueprint(blueprint)
    app.cli.add_command(tracking_group)
    # Widgets ask this whether a slot is under a running experiment, and what it shows.
    app.extensions[slots.EXTENSION] = TrackingSlotDecider()
    app.extensions[EXTENSION_KEY] = EventIntake(app)
    app.wsgi_app = BeaconFastPath(app, app.wsgi_app)  # type: ignore[method-assign]
    jobs.register(app)
