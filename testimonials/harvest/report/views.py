"""API for harvest.report (to be filled in)."""

from flask_smorest import Blueprint

blp = Blueprint("report_api", __name__, url_prefix="/api/v1", description="report")
