"""The browsable API docs (`/api/v1/docs`): Swagger UI served from the installed package.

The assets come from `flask-swagger-ui`'s copy of the Swagger UI distribution, so the page
works where no CDN can be reached (a self-hosted service behind a firewall), and under the
dashboard's Content-Security-Policy: the page's only script of ours is a static file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, render_template, send_from_directory, url_for

from testimonials.security_headers import DASHBOARD, blueprint_header_policy

# Swagger UI's own files, as installed (never fetched at run time).
SWAGGER_UI_ASSETS = Path(str(resources.files("flask_swagger_ui") / "dist"))
ASSET_MAX_AGE = 24 * 3600

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1/docs")
# A page for people, under /api/: the dashboard's policy rather than the API's (which lets
# nothing run), so Swagger UI's script and styles load from this site and nowhere else.
blueprint_header_policy(bp, DASHBOARD)


@bp.get("", strict_slashes=False)  # "/api/v1/docs/" too, as people type it
def swagger_ui() -> Any:
    """Swagger UI on the OpenAPI document, every operation listed and tryable with a key."""
    return render_template(
        "api/docs.html", spec_url=url_for("api-docs.openapi_json"), assets="api_docs.asset"
    )


@bp.get("/assets/<path:filename>")
def asset(filename: str) -> Response:
    """One file of the Swagger UI distribution (404 for anything else)."""
    return send_from_directory(SWAGGER_UI_ASSETS, filename, max_age=ASSET_MAX_AGE)
