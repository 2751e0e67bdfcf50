"""API for harvest.imports (to be filled in)."""

from flask_smorest import Blueprint

blp = Blueprint("imports_api", __name__, url_prefix="/api/v1", description="imports")
