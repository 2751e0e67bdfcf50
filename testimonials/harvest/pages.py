"""Dashboard pages for harvested feedback."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from flask import Blueprint, redirect, render_template, request, url_for

from testimonials.accounts.auth import role_required
from testimonials.accounts.models import Role
from testimonials.db import get_session, paginate
from testimonials.harvest import services
from testimonials.harvest.models import Channel, NpsGroup
from testimonials.web import current_workspace_id

bp = Blueprint("harvest_pages", __name__)
PER_PAGE = 25
E = TypeVar("E", bound=Enum)


@bp.route("/")
def home() -> Any:
    """The dashboard's front door: the inbox."""
    return redirect(url_for("curation_pages.inbox"))


@bp.route("/feedback")
@role_required(Role.VIEWER)
def feedback_list() -> Any:
    """Harvested feedback, newest first, filterable by channel and NPS group."""
    return feedback_list_page()


def feedback_list_page(export_errors: dict[str, Any] | None = None) -> str:
    channel = _enum_arg(Channel, "channel")
    group = _enum_arg(NpsGroup, "group")
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    query = services.feedback_query(current_workspace_id(), channel, group)
    page = paginate(get_session(), query, page_number, PER_PAGE)
    # The download keeps the filters the list shows (the ones it understood).
    export_args = {
        name: value.value for name, value in (("channel", channel), ("group", group)) if value
    }
    return render_template(
        "harvest/feedback_list.html",
        page=page,
        channel=channel,
        group=group,
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
