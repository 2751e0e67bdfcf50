"""API for harvest.webhooks (to be filled in)."""

from flask_smorest import Blueprint

blp = Blueprint("webhooks_api", __name__, url_prefix="/api/v1", description="webhooks")
