"""Pages for harvest.embed (to be filled in)."""

from flask import Blueprint

bp = Blueprint("embed_pages", __name__)
