"""Who is signed in to the dashboard: sessions (flask-login), roles and the workspace acted in.

The API's Bearer keys are resolved in `api_auth`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import flask_login
from flask import Flask, Response, current_app, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from testimonials.accounts import services, sessions
from testimonials.accounts.models import Actor, Membership, Role, User
from testimonials.db import get_session


class LoginManager(flask_login.LoginManager):
    """flask-login, minus a session read on answers that cannot need it.

    Its after_request looks in the session on every answer for a "remember me" change,
    which marks the session accessed and so adds `Vary: Cookie` to answers no cookie shaped
    (the API's, the public widgets'). Here nobody signs in with "remember me" (`sign_in`),
    so only a request that brings a remember cookie can have a change for it to make.
    """

    def _update_remember_cookie(self, response: Response) -> Response:
        name = current_app.config.get("REMEMBER_COOKIE_NAME", flask_login.config.COOKIE_NAME)
        if name not in request.cookies:
            return response
        return super()._update_remember_cookie(response)


login_manager = LoginManager()
login_manager.login_view = "accounts_pages.login"
login_manager.login_message = "Please sign in to continue."
login_manager.session_protection = "strong"

F = TypeVar("F", bound=Callable[..., Any])


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
    login_user(user)  # never remember=True: `LoginManager` counts on it
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
