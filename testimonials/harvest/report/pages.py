"""Pages for harvest.report (to be filled in)."""

from flask import Blueprint

bp = Blueprint("report_pages", __name__)
