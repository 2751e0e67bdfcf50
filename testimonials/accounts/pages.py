"""Dashboard pages: sign in and out, switch workspace, manage API keys and members."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from testimonials.accounts import services, sessions
from testimonials.accounts.api_auth import forget_recent_api_keys
from testimonials.accounts.auth import (
    current_membership,
    current_session_id,
    role_required,
    same_site_path,
    sign_in,
    sign_out,
)
from testimonials.accounts.forms import ActionForm, ApiKeyForm, LoginForm, MemberForm
from testimonials.accounts.member_pages import device_label
from testimonials.accounts.models import Role, Scope, Workspace
from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.extensions import limiter, submitted_email
from testimonials.web import current_role, current_workspace_id, discard_changes

bp = Blueprint("accounts_pages", __name__)


def _login_limit() -> str:
    from flask import current_app

    return settings_for(current_app).login_rate_limit


def _safe_next(target: str | None) -> str:
    # The front door: the setup checklist for an empty workspace, else the inbox.
    return same_site_path(target, url_for("harvest_pages.home"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=submitted_email)
def login() -> Any:
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        db = get_session()
        user = services.authenticate(db, form.email.data or "", form.password.data or "")
        if user is not None:
            sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("That e-mail and password do not match an account.")
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    """Sign out (POST with a CSRF token, so another site cannot sign you out)."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, "The sign-out form expired; please try again.")
    sign_out()
    flash("You are signed out.")
    return redirect(url_for("accounts_pages.login"))


@bp.route("/no-workspace")
@login_required
def no_workspace() -> Any:
    """Shown to a signed-in user who belongs to no workspace."""
    return render_template("accounts/no_workspace.html"), 403


@bp.route("/workspace", methods=["POST"])
@login_required
def switch_workspace() -> Any:
    """Work in another workspace the user belongs to."""
    form = ActionForm()
    workspace_id = request.form.get("workspace_id", type=int)
    if not form.validate_on_submit() or workspace_id is None:
        abort(400, "Choose a workspace.")
    if services.membership_in(get_session(), current_user.id, workspace_id) is None:
        abort(404, "You are not a member of that workspace.")
    session["workspace_id"] = workspace_id
    return redirect(url_for("harvest_pages.home"))


@bp.route("/settings/api-keys", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def api_keys() -> Any:
    """List API keys; owners create them (the secret is shown once)."""
    db = get_session()
    form = ApiKeyForm()
    issued = None
    if request.method == "POST":
        if current_role() is not Role.OWNER:
            abort(403, "Only owners can create API keys.")
        if form.validate_on_submit():
            issued = services.create_api_key(
                db,
                current_workspace_id(),
                form.name.data or "",
                Scope(form.scope.data),
                created_by_id=current_user.id,
            )
            form = ApiKeyForm(formdata=None)
    keys = db.scalars(services.api_keys_query(current_workspace_id())).all()
    return render_template(
        "accounts/api_keys.html", form=form, keys=keys, issued=issued, action=ActionForm()
    )


@bp.route("/settings/api-keys/<int:key_id>/revoke", methods=["POST"])
@role_required(Role.OWNER)
def revoke_api_key(key_id: int) -> Any:
    """Revoke a key at once."""
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; please try again.")
    db = get_session()
    api_key = services.revoke_api_key(db, current_workspace_id(), key_id)
    forget_recent_api_keys()  # this process; others within RECENT_API_KEY_SECONDS
    flash(f"Revoked the API key “{api_key.name}”.")
    return redirect(url_for("accounts_pages.api_keys"))


@bp.route("/settings/members", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def members() -> Any:
    """List members; owners add people and set roles."""
    db = get_session()
    form = MemberForm()
    if request.method == "POST":
        if current_role() is not Role.OWNER:
            abort(403, "Only owners can add members.")
        if form.validate_on_submit():
            workspace = db.get(Workspace, current_workspace_id())
            assert workspace is not None
            try:
                services.create_user(
                    db,
                    form.email.data or "",
                    form.password.data or "",
                    workspace,
                    Role(form.role.data),
                    form.display_name.data or "",
                )
            except ServiceError as error:
                discard_changes()  # refused, yet the form is shown again with 200
                form.email.errors.append(error.detail)
            else:
                flash(f"Added {form.email.data} as {form.role.data}.")
                return redirect(url_for("accounts_pages.members"))
    people = db.scalars(services.members_query(current_workspace_id())).all()
    mine = db.scalars(sessions.sessions_query(current_user.id)).all()
    live = sessions.live_session_counts(db, [m.user_id for m in people])
    return render_template(
        "accounts/members.html",
        form=form,
        members=people,
        my_sessions=mine,
        this_session_id=current_session_id(),
        live_sessions=live,
        roles=[role.value for role in Role],
        device_label=device_label,
        action=ActionForm(),
    )


@bp.app_context_processor
def _dashboard_context() -> dict[str, Any]:
    """What every dashboard page's header needs: who you are and where you are working."""
    if not current_user.is_authenticated:
        return {"membership": None, "memberships": []}
    membership = current_membership()
    return {
        "membership": membership,
        "memberships": services.memberships_of(get_session(), current_user.id),
        "action_form": ActionForm(),
    }
