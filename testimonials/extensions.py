"""Flask extensions shared across features, created unbound and wired in create_app."""

from __future__ import annotations

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


def submitted_email() -> str:
    """Rate-limit key: the e-mail address a login form was submitted for."""
    return "login:" + (request.form.get("email") or "").strip().lower()
