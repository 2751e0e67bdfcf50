"""Dashboard: the NPS report (server-rendered charts and tables) and the feedback download."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Blueprint, render_template, request

from testimonials.accounts.auth import role_required
from testimonials.accounts.models import Role
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.harvest.models import Channel
from testimonials.harvest.pages import feedback_list_page
from testimonials.report import charts, services
from testimonials.report.schemas import FeedbackExportArgsSchema, NpsReportArgsSchema
from testimonials.report.views import export_response
from testimonials.web import current_workspace_id

bp = Blueprint("report_pages", __name__)


@bp.route("/reports/nps")
@role_required(Role.VIEWER)
def nps_report() -> Any:
    """The workspace's NPS: headline with interval and band, groups, trend, segments."""
    session = get_session()
    errors: dict[str, Any] = {}
    report = None
    args: dict[str, Any] = {"filters": services.NpsFilters(), "granularity": "month"}
    try:
        args = NpsReportArgsSchema().load(request.args)
    except ma.ValidationError as error:
        errors = dict(error.messages) if isinstance(error.messages, dict) else {}
    if not errors:
        try:
            report = services.nps_report(
                session, current_workspace_id(), args["filters"], args["granularity"]
            )
        except ServiceError as error:
            errors = {"_report": [error.detail]}
    status = 400 if errors else 200
    return render_template(
        "report/nps.html",
        report=report,
        errors=errors,
        values=request.args,
        filtered=args["filters"] != services.NpsFilters(),
        granularity=args["granularity"],
        surveys=services.workspace_surveys(session, current_workspace_id()),
        tags=services.workspace_tags(session, current_workspace_id()),
        channels=list(Channel),
        bar=charts.group_bar(report.overall) if report else [],
        chart=charts.trend_chart(report.trend, report.granularity) if report else None,
        points=charts.points,
        percent=charts.percent,
    ), status


@bp.route("/feedback/export.csv")
@role_required(Role.VIEWER)
def feedback_export() -> Any:
    """Download the feedback as CSV, with the list's filters (every role may)."""
    try:
        args = FeedbackExportArgsSchema().load(request.args)
    except ma.ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {}
        return feedback_list_page(export_errors=messages), 400
    return export_response(current_workspace_id(), args["filters"])
