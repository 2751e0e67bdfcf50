"""Dashboard pages for harvested feedback."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, TypeVar

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from sqlalchemy import false

from testimonials.accounts.auth import current_membership, role_required
from testimonials.accounts.models import Role
from testimonials.db import get_session, paginate
from testimonials.harvest import services
from testimonials.harvest.getting_started import has_feedback, setup_checklist, setup_steps
from testimonials.harvest.models import Channel, NpsGroup
from testimonials.harvest.search import search_problem, words_left_out
from testimonials.scoring.items import VAGUENESS_CODES
from testimonials.web import current_workspace_id

bp = Blueprint("harvest_pages", __name__)
PER_PAGE = 25
E = TypeVar("E", bound=Enum)


@bp.app_template_global("reason_tone")
def reason_tone(reason: Mapping[str, Any]) -> str:
    """A stored reason's chip: suspicion, specificity, or vagueness (why a text is not specific)."""
    if reason.get("kind") == "specificity" and reason.get("code") in VAGUENESS_CODES:
        return "vagueness"
    return str(reason.get("kind") or "specificity")


@bp.route("/")
def home() -> Any:
    """The front door: the setup checklist while nothing is harvested yet, else the inbox."""
    membership = current_membership()
    if membership is not None and not has_feedback(get_session(), membership.workspace_id):
        return _getting_started_page()
    return redirect(url_for("curation_pages.inbox"))


@bp.route("/getting-started")
@role_required(Role.VIEWER)
def getting_started() -> Any:
    """The setup checklist: each step ticked when done, linking to the page that does it."""
    return _getting_started_page()


def _getting_started_page() -> str:
    membership = current_membership()
    assert membership is not None
    entries = setup_checklist(
        get_session(),
        membership.workspace_id,
        Role(membership.role),
        setup_steps(current_app),
    )
    return render_template(
        "harvest/getting_started.html",
        entries=entries,
        done=sum(entry.done for entry in entries),
    )


@bp.route("/favicon.ico")
def favicon() -> Any:
    """Browsers ask for /favicon.ico before reading any page: answer from static."""
    return send_from_directory(current_app.static_folder or "static", "favicon.ico", max_age=86400)


@bp.route("/feedback")
@role_required(Role.VIEWER)
def feedback_list() -> Any:
    """Harvested feedback, newest first, filterable by channel, NPS group and words."""
    refused = search_problem((request.args.get("q") or "").strip())
    return feedback_list_page(), 400 if refused else 200


def feedback_list_page(export_errors: dict[str, Any] | None = None) -> str:
    channel = _enum_arg(Channel, "channel")
    group = _enum_arg(NpsGroup, "group")
    search = (request.args.get("q") or "").strip()
    search_error = search_problem(search)
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    query = services.feedback_query(
        current_workspace_id(), channel, group, None if search_error else search or None
    )
    if search_error:
        query = query.where(false())  # nothing is shown for a search that was not run
    page = paginate(get_session(), query, page_number, PER_PAGE)
    # The download keeps the filters the list shows (the ones it understood).
    export_args: dict[str, str] = {
        name: value.value for name, value in (("channel", channel), ("group", group)) if value
    }
    if search and not search_error:
        export_args["q"] = search
    return render_template(
        "harvest/feedback_list.html",
        page=page,
        channel=channel,
        group=group,
        search=search,
        search_error=search_error,
        left_out=words_left_out(search),
        channels=list(Channel),
        groups=list(NpsGroup),
        export_url=url_for("report_pages.feedback_export", **export_args),  # type: ignore[arg-type]
        export_errors=export_errors or {},
    )


def _enum_arg(enum_type: type[E], name: str) -> E | None:
    # An unknown filter value shows everything rather than an error page.
    raw = request.args.get(name)
    try:
        return enum_type(raw) if raw else None
    except ValueError:
        return None
