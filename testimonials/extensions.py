"""Flask extensions shared across features, created unbound and wired in create_app."""

from __future__ import annotations

import flask_limiter
from flask import current_app, request
from flask_limiter.util import get_remote_address

# Per app: blueprint (None: the app's own routes) -> whether the limiter's before_request
# check has any limit to look at there.
_CHECKED_BLUEPRINTS = "testimonials.rate_limited_blueprints"


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, minus its before_request work where it has nothing to check.

    That check (the app's default, application and meta limits, and the blueprint's) resolves
    limits and exemptions on every request, ~0.1 ms of CPU, and the API has none of them: a
    view's own `@limiter.limit` is checked by its decorator, not there. So the check runs
    only where one of those limits exists (worked out once per blueprint).
    """

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        if in_middleware and callable_name is None and not _checked_here(self):
            return
        super()._check_request_limit(callable_name, in_middleware)


def _checked_here(limiter: Limiter) -> bool:
    """Whether a limit that the before_request check enforces applies to this request."""
    blueprint = request.blueprint
    checked: dict[str | None, bool] = current_app.extensions.setdefault(_CHECKED_BLUEPRINTS, {})
    known = checked.get(blueprint)
    if known is None:
        manager = limiter.limit_manager
        known = checked[blueprint] = bool(
            manager.application_limits
            or manager.default_limits
            or limiter._meta_limits  # no public reader; empty unless RATELIMIT_META is set
            or limiter._in_memory_fallback  # what the check falls back to if storage fails
            or (blueprint and manager.blueprint_limits(current_app, blueprint))
        )
    return known


limiter = Limiter(key_func=get_remote_address)


def submitted_email() -> str:
    """Rate-limit key: the e-mail address a login form was submitted for."""
    return "login:" + (request.form.get("email") or "").strip().lower()
