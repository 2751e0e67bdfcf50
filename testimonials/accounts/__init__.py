"""Workspaces, users, roles, API keys and sign-in."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def init_app(app: Flask, api: Api) -> None:
    """Sign-in and sessions, the members and API key pages, and the workspace API."""
    # Imported here, when an app is built: importing a model must not load the web layer.
    from testimonials.accounts import auth, member_pages, pages, views

    auth.init_app(app)
    api.register_blueprint(views.blp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(member_pages.bp)
