"""Flask extensions shared across features, created unbound and wired in create_app."""

from __future__ import annotations

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)

# Per app: endpoint -> whether no rate limit at all can apply to it.
_UNLIMITED_ENDPOINTS = "testimonials.unlimited_endpoints"


def submitted_email() -> str:
    """Rate-limit key: the e-mail address a login form was submitted for."""
    return "login:" + (request.form.get("email") or "").strip().lower()


@limiter.request_filter
def _no_limit_applies() -> bool:
    """Skip the limiter's per-request work (~0.1 ms of CPU: resolving limits and exemptions
    for the endpoint, its blueprint and the app) where no limit exists to check: no default,
    application or meta limit, none on the view or its blueprint. Worked out once per
    endpoint; any limit anywhere keeps the limiter's own checks for that endpoint. A limited
    callable that is not the view itself (a MethodView's method, a helper, a `with
    limiter.limit(...)` block) leaves a hint on the endpoint before it checks its limit,
    and a hinted endpoint is never skipped: that is asked on every request.
    """
    endpoint = request.endpoint
    if endpoint is None or limiter.limit_manager.has_hints(endpoint):
        return False
    known: dict[str, bool] = current_app.extensions.setdefault(_UNLIMITED_ENDPOINTS, {})
    unlimited = known.get(endpoint)
    if unlimited is None:
        unlimited = known[endpoint] = _has_no_limits(endpoint, request.blueprint)
    return unlimited


def _has_no_limits(endpoint: str, blueprint: str | None) -> bool:
    from flask_limiter.util import get_qualified_name

    manager = limiter.limit_manager
    view = current_app.view_functions.get(endpoint)
    return not (
        manager.application_limits
        or manager.default_limits
        or limiter._meta_limits  # no public reader; empty unless RATELIMIT_META is set
        or (view is not None and manager.decorated_limits(get_qualified_name(view)))
        or (blueprint and manager.blueprint_limits(current_app, blueprint))
    )
