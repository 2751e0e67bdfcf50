"""API for harvest.surveys (to be filled in)."""

from flask_smorest import Blueprint

blp = Blueprint("surveys_api", __name__, url_prefix="/api/v1", description="surveys")
