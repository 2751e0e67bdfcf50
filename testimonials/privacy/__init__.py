"""Privacy: erasure of a person or one answer, withdrawn consent, and the record of both.

It works on harvest's data (beside harvest in the layers) and announces erasures and
withdrawn consent through `testimonials.signals`, so curation and the public surface follow.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def init_app(app: Flask, api: Api) -> None:
    """The erasure and consent API and the privacy settings page."""
    # Imported here, when an app is built: importing a model must not load the web layer.
    from testimonials.privacy import pages, views

    api.register_blueprint(views.blp)
    app.register_blueprint(pages.bp)
