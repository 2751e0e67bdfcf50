"""Pages for harvest.webhooks (to be filled in)."""

from flask import Blueprint

bp = Blueprint("webhooks_pages", __name__)
