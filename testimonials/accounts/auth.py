"""Who is calling: API keys (Bearer) for the API, sessions (flask-login) for the dashboard."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_smorest import abort

from testimonials.accounts import services, sessions
from testimonials.accounts.models import Actor, Membership, Role, Scope, User
from testimonials.db import defer_write, get_session, utcnow

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
login_manager = LoginManager()
login_manager.login_view = "accounts_pages.login"
login_manager.login_message = "Please sign in to continue."
login_manager.session_protection = "strong"

F = TypeVar("F", bound=Callable[..., Any])


# --- API ------------------------------------------------------------------------------

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


# --- Dashboard ------------------------------------------------------------------------


# Where the cookie keeps the sign-in session's token (its record is on the server).
SIGN_IN_FIELD = "sign_in"


@login_manager.user_loader
def _load_user(token: str) -> User | None:
    user_id, _, _fingerprint = token.partition(".")
    if not user_id.isdigit():
        return None
    db = get_session()
    user = db.get(User, int(user_id))
    # The id carries a fingerprint of the password hash: a new password ends old cookies.
    if user is None or not user.is_active or user.get_id() != token:
        return None
    record = sessions.active_session(db, user.id, session.get(SIGN_IN_FIELD))
    if record is None:
        db.commit()  # keep the removal of an idle session, if there was one
        return None
    if sessions.note_activity(db, record):
        db.commit()  # before the view runs, as API keys keep last_used_at
    g.sign_in_session_id = record.id
    return user


def sign_in(user: User) -> None:
    """Start a server-side session for `user` in this browser (the caller commits)."""
    session.clear()  # nothing from before signing in carries over (session fixation)
    login_user(user)
    _record, token = sessions.start_session(
        get_session(), user, request.headers.get("User-Agent"), request.remote_addr
    )
    session[SIGN_IN_FIELD] = token


def sign_out() -> None:
    """End this browser's session on the server, so a copied cookie stops working too."""
    sessions.end_session_by_token(get_session(), session.get(SIGN_IN_FIELD))
    logout_user()
    session.clear()


def current_session_id() -> int | None:
    """The id of the signed-in request's session record."""
    _ = current_user.is_authenticated  # loads the user, and with it the session
    return g.get("sign_in_session_id")


def same_site_path(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`: never a redirect elsewhere.

    Browsers read "//host" and "/\\host" alike as another host, and a control character
    can hide either, so only a plain absolute path passes.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return default


def current_membership() -> Membership | None:
    """The signed-in user's membership of the workspace they are working in."""
    if not current_user.is_authenticated:
        return None
    if "membership" in g:
        return g.membership
    db = get_session()
    membership = None
    workspace_id = session.get("workspace_id")
    if workspace_id is not None:
        membership = services.membership_in(db, current_user.id, workspace_id)
    if membership is None:
        memberships = services.memberships_of(db, current_user.id)
        membership = memberships[0] if memberships else None
        session["workspace_id"] = membership.workspace_id if membership else None
    g.membership = membership
    return membership


def act_in(membership: Membership) -> None:
    """Make `membership` the request's workspace, actor and role (what web.current_* read)."""
    g.workspace_id, g.actor = membership.workspace_id, Actor(user_id=membership.user_id)
    g.role = Role(membership.role)


def role_required(role: Role) -> Callable[[F], F]:
    """Dashboard view decorator: signed in, a member of a workspace, with at least `role`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            membership = current_membership()
            if membership is None:
                return redirect(url_for("accounts_pages.no_workspace"))
            if not Role(membership.role).allows(role):
                from flask import abort as flask_abort

                flask_abort(403, f"This needs the {role.value} role; you are a {membership.role}.")
            act_in(membership)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def init_app(app: Flask) -> None:
    """Wire flask-login into the app."""
    login_manager.init_app(app)
