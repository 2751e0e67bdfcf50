"""Dashboard: owners change roles and remove members; everyone sees and ends their sessions."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from testimonials.accounts import services, sessions
from testimonials.accounts.auth import current_session_id, role_required
from testimonials.accounts.forms import ActionForm
from testimonials.accounts.models import Role
from testimonials.db import get_session
from testimonials.errors import ConflictError, NotFoundError
from testimonials.web import current_workspace_id, discard_changes

bp = Blueprint("member_pages", __name__, url_prefix="/settings")

# (pattern, name), first match wins: Edge and Opera also say "Chrome", Chrome says "Safari".
_BROWSERS = (
    (r"Edg/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"Firefox/", "Firefox"),
    (r"Chrome/|Chromium/|CriOS/", "Chrome"),
    (r"Safari/", "Safari"),
)
_SYSTEMS = (
    (r"Android", "Android"),
    (r"iPhone|iPad|iOS", "iOS"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A person's words for a browser: "Firefox on Windows", or "Unknown browser"."""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, user_agent)), None)
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


def _checked_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400, "The form expired; please try again.")


def _back() -> Any:
    return redirect(url_for("accounts_pages.members"))


@bp.post("/members/<int:member_id>/role")
@role_required(Role.OWNER)
def change_role(member_id: int) -> Any:
    """Give a member another role (never leaving the workspace without an owner)."""
    _checked_form()
    try:
        role = Role(request.form.get("role", ""))
    except ValueError:
        abort(400, "Choose owner, editor or viewer.")
    db = get_session()
    try:
        changed = services.change_member_role(db, current_workspace_id(), member_id, role)
    except ConflictError as error:
        discard_changes()  # refused, yet answered with a redirect
        flash(error.detail)
        return _back()
    flash(f"{changed.user.email} is now {changed.role}.")
    return _back()


@bp.post("/members/<int:member_id>/remove")
@role_required(Role.OWNER)
def remove_member(member_id: int) -> Any:
    """Take someone out of this workspace (their account and other workspaces stay)."""
    _checked_form()
    db = get_session()
    try:
        removed = services.remove_member(db, current_workspace_id(), member_id)
    except ConflictError as error:
        discard_changes()  # refused, yet answered with a redirect
        flash(error.detail)
        return _back()
    email = removed.user.email
    flash(f"Removed {email} from this workspace.")
    return _back()


@bp.post("/members/<int:member_id>/end-sessions")
@role_required(Role.OWNER)
def end_member_sessions(member_id: int) -> Any:
    """Sign a member out of every browser (a lost laptop, someone leaving)."""
    _checked_form()
    db = get_session()
    member = services.get_member(db, current_workspace_id(), member_id)
    keep = current_session_id() if member.user_id == current_user.id else None
    ended = sessions.end_all_sessions(db, member.user_id, keep_id=keep)
    flash(f"Ended {ended} session(s) of {member.user.email}.")
    return _back()


@bp.post("/sessions/<int:session_id>/end")
@role_required(Role.VIEWER)
def end_session(session_id: int) -> Any:
    """End one of your own sessions; ending this browser's signs you out."""
    _checked_form()
    db = get_session()
    this_browser = session_id == current_session_id()
    try:
        sessions.end_session(db, current_user.id, session_id)
    except NotFoundError as error:
        discard_changes()  # refused, yet answered with a redirect
        flash(error.detail)
        return _back()
    if this_browser:
        return redirect(url_for("accounts_pages.login"))
    flash("That session has ended; that browser is signed out.")
    return _back()


@bp.post("/sessions/end-others")
@role_required(Role.VIEWER)
def end_other_sessions() -> Any:
    """Sign out everywhere but here."""
    _checked_form()
    db = get_session()
    ended = sessions.end_all_sessions(db, current_user.id, keep_id=current_session_id())
    flash(f"Signed out of {ended} other session(s).")
    return _back()
