"""API for harvest.embed (to be filled in)."""

from flask_smorest import Blueprint

blp = Blueprint("embed_api", __name__, url_prefix="/api/v1", description="embed")
