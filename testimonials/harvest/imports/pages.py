"""Pages for harvest.imports (to be filled in)."""

from flask import Blueprint

bp = Blueprint("imports_pages", __name__)
