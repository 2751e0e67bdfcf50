"""Who is calling the API: a Bearer API key, resolved (and remembered briefly) per request.

Its own module, apart from the dashboard's sign-in (`auth`): a process serving only the API
(the API-reads entry point, `wsgi_api_reads.py`) never loads flask-login.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace

from flask import current_app, g, request
from flask_smorest import abort

from testimonials.accounts import services
from testimonials.accounts.models import Actor, Scope
from testimonials.db import defer_write, get_session, utcnow

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# A key this process resolved lately is trusted again for this long without a lookup: a
# database round trip is a third of an API read's time. So a key revoked elsewhere (another
# worker, the CLI) keeps working in this process for at most this long; revoked through this
# process, it stops at once (`forget_recent_api_keys`).
RECENT_API_KEY_SECONDS = 5.0
# Past this many keys at once the memory is emptied rather than let grow.
_RECENT_API_KEYS_LIMIT = 1024
_RECENT_API_KEYS = "testimonials.recent_api_keys"


@dataclass(frozen=True)
class ApiCaller:
    """The workspace and key behind an API request."""

    workspace_id: int
    api_key_id: int
    scope: Scope


def authenticate_api_request() -> None:
    """before_request for API blueprints: require a valid key, and write scope to change."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(
            401,
            message="Send an API key as `Authorization: Bearer <key>`.",
            headers={"WWW-Authenticate": 'Bearer realm="testimonials"'},
        )
    api_key = _resolve_api_key(token.strip())
    if api_key is None:
        abort(
            401,
            message="The API key is not valid or has been revoked.",
            headers={"WWW-Authenticate": 'Bearer realm="testimonials", error="invalid_token"'},
        )
    assert api_key is not None  # abort() raised otherwise
    scope = Scope(api_key.scope)
    needed = Scope.READ if request.method in SAFE_METHODS else Scope.WRITE
    if not scope.allows(needed):
        abort(403, message="This API key is read-only; this operation needs a write key.")
    now = utcnow()
    if services.api_key_use_is_due(api_key, now):
        # Outside the request's transaction: kept even if the request fails, and a read
        # stays a read (no commit) on all the other calls within the resolution.
        key_id = api_key.id
        defer_write(lambda session: services.record_api_key_use(session, key_id, now))
        _remember_api_key(token.strip(), replace(api_key, last_used_at=now))
    g.api_caller = ApiCaller(api_key.workspace_id, api_key.id, scope)
    # What web.current_workspace_id()/current_actor() read.
    g.workspace_id, g.actor = api_key.workspace_id, Actor(api_key_id=api_key.id)


def _recent_api_keys() -> dict[str, tuple[float, services.PresentedKey]]:
    """This app's keys resolved lately, by their token's SHA-256 (never the token itself)."""
    return current_app.extensions.setdefault(_RECENT_API_KEYS, {})


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _resolve_api_key(token: str) -> services.PresentedKey | None:
    """The active key of `token`: remembered if resolved within RECENT_API_KEY_SECONDS."""
    remembered = _recent_api_keys().get(_token_digest(token))
    if remembered is not None and time.monotonic() - remembered[0] < RECENT_API_KEY_SECONDS:
        return remembered[1]
    api_key = services.resolve_api_key(get_session(), token)
    if api_key is None:
        _recent_api_keys().pop(_token_digest(token), None)
    else:
        _remember_api_key(token, api_key)
    return api_key


def _remember_api_key(token: str, api_key: services.PresentedKey) -> None:
    recent = _recent_api_keys()
    if len(recent) >= _RECENT_API_KEYS_LIMIT:
        recent.clear()
    recent[_token_digest(token)] = (time.monotonic(), api_key)


def forget_recent_api_keys() -> None:
    """After a revocation: every key this process remembers is looked up again."""
    _recent_api_keys().clear()


def api_caller() -> ApiCaller:
    """The authenticated API caller of this request."""
    return g.api_caller
