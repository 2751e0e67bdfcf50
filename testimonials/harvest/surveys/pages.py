"""Pages for harvest.surveys (to be filled in)."""

from flask import Blueprint

bp = Blueprint("surveys_pages", __name__)
