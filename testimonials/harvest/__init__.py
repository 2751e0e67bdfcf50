"""Harvesting feedback: surveys, imports, webhooks, known customers and consent.

Harvest knows nothing of the stages above it: it announces what happened through
`testimonials.signals` (feedback recorded, verified, rescored, erased; consent revoked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask
from flask_smorest import Api

if TYPE_CHECKING:
    from testimonials.scoring import Scorer


def init_app(app: Flask, api: Api) -> None:
    """The intake scorer, every channel's API and pages, and the harvest commands."""
    # Imported here, when an app is built: importing a model must not load the web layer.
    from testimonials.harvest import pages, views
    from testimonials.harvest.customers import cli as customers_cli
    from testimonials.harvest.customers import pages as customers_pages
    from testimonials.harvest.customers import views as customers_views
    from testimonials.harvest.embed import pages as embed_pages
    from testimonials.harvest.embed import views as embed_views
    from testimonials.harvest.imports import cli as imports_cli
    from testimonials.harvest.imports import pages as imports_pages
    from testimonials.harvest.imports import views as imports_views
    from testimonials.harvest.intake import INTAKE_SCORER_KEY, IntakeScorer
    from testimonials.harvest.personal_data import subject_key_for
    from testimonials.harvest.surveys import pages as surveys_pages
    from testimonials.harvest.surveys import views as surveys_views
    from testimonials.harvest.webhooks import pages as webhooks_pages
    from testimonials.harvest.webhooks import views as webhooks_views

    # One scorer per process, loaded where the first item is scored (a worker serving
    # reads never loads it); each app keeps its own warm duplicate indexes.
    app.extensions[INTAKE_SCORER_KEY] = IntakeScorer(
        _load_scorer, customer_key=subject_key_for(app)
    )
    for blueprint in (
        views.blp,
        surveys_views.blp,
        embed_views.blp,
        imports_views.blp,
        webhooks_views.blp,
        customers_views.blp,
    ):
        api.register_blueprint(blueprint)
    for page_blueprint in (
        pages.bp,
        surveys_pages.bp,
        embed_pages.bp,
        imports_pages.bp,
        webhooks_pages.bp,
        customers_pages.bp,
    ):
        app.register_blueprint(page_blueprint)
    for command in (*imports_cli.commands, *customers_cli.commands):
        app.cli.add_command(command)


def _load_scorer() -> Scorer:
    from testimonials.scoring import load_scorer  # numpy and ICU, on first use only

    return load_scorer()
