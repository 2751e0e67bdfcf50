"""Dashboard: the NPS report, the experiments' lift reports (server-rendered charts and
tables) and the downloads."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Blueprint, current_app, render_template, request

from testimonials.accounts.auth import role_required
from testimonials.accounts.models import Role
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.harvest.models import Channel
from testimonials.harvest.pages import feedback_list_page
from testimonials.report import charts, services
from testimonials.report.experiment_schemas import ExperimentReportArgsSchema
from testimonials.report.experiments import (
    experiment_report,
    testimonial_labels,
    workspace_experiments,
)
from testimonials.report.schemas import FeedbackExportArgsSchema, NpsReportArgsSchema
from testimonials.report.views import (
    experiment_csv_response,
    export_response,
    testimonials_csv_response,
    widget_document,
)
from testimonials.tracking.analysis import experiment_result
from testimonials.tracking.experiments import get_experiment
from testimonials.tracking.jobs import refresh_before_reading
from testimonials.tracking.models import Experiment
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


@bp.route("/reports/experiments")
@role_required(Role.VIEWER)
def experiment_list() -> Any:
    """Every experiment of the workspace, with its widget, status and verdict."""
    session = get_session()
    experiments = workspace_experiments(session, current_workspace_id())
    verdicts = {e.id: experiment_result(session, e).verdict for e in experiments}
    return render_template("report/experiments.html", experiments=experiments, verdicts=verdicts)


@bp.route("/reports/experiments/<int:experiment_id>")
@role_required(Role.VIEWER)
def experiment_page(experiment_id: int) -> Any:
    """One experiment's lift report: verdict, arms, chart, power, testimonials, ROI."""
    experiment = get_experiment(get_session(), current_workspace_id(), experiment_id)
    context, status = _report_context(experiment)
    return render_template("report/experiment.html", **context), status


def _report_context(experiment: Experiment) -> tuple[dict[str, Any], int]:
    """What the report body needs, from the ROI form's query (400 when it is not valid)."""
    session = get_session()
    errors: dict[str, Any] = {}
    args: dict[str, Any] = {}
    try:
        args = ExperimentReportArgsSchema().load({k: v for k, v in request.args.items() if v != ""})
    except ma.ValidationError as error:
        errors = dict(error.messages) if isinstance(error.messages, dict) else {}
    refresh_before_reading(current_app, experiment.id)
    report = experiment_report(
        session, experiment, args.get("value_per_conversion"), args.get("cost")
    )
    method = report.result.method
    context = {
        "report": report,
        "errors": errors,
        "values": request.args,
        "chart": charts.lift_chart(report.result.over_time, INTERVAL_NAMES[method]),
        "interval_name": INTERVAL_NAMES[method],
        "pct": charts.signed_percent,
        "interval_pct": charts.interval_percent,
        "p_value": charts.p_value,
        "clipped": charts.any_clipped(
            report.result.over_time,
            report.result.lift.ci if report.result.lift else None,
            *(c.lift.ci for c in report.testimonials if c.lift and c.lift.is_defined),
            *((s.ci_low, s.ci_high) for s in report.snapshots if s.ci_low is not None),
        ),
        "rate": rate,
        "labels": testimonial_labels(
            session, experiment.workspace_id, [c.testimonial_id for c in report.testimonials]
        ),
    }
    return context, 400 if errors else 200


@bp.route("/reports/experiments/<int:experiment_id>/export.csv")
@role_required(Role.VIEWER)
def experiment_export(experiment_id: int) -> Any:
    """Download the experiment's daily figures as CSV."""
    session = get_session()
    experiment = get_experiment(session, current_workspace_id(), experiment_id)
    refresh_before_reading(current_app, experiment.id)
    return experiment_csv_response(experiment_report(session, experiment))


@bp.route("/reports/experiments/<int:experiment_id>/testimonials.csv")
@role_required(Role.VIEWER)
def experiment_testimonials_export(experiment_id: int) -> Any:
    """Download the experiment's per-testimonial engagement and contribution as CSV."""
    session = get_session()
    experiment = get_experiment(session, current_workspace_id(), experiment_id)
    refresh_before_reading(current_app, experiment.id)
    return testimonials_csv_response(session, experiment_report(session, experiment))


@bp.route("/reports/widgets/<string:widget_key>")
@role_required(Role.VIEWER)
def widget_page(widget_key: str) -> Any:
    """A widget's experiments, newest first, and the full report of the newest."""
    session = get_session()
    document = widget_document(session, current_workspace_id(), widget_key)
    context: dict[str, Any] = {"report": None}
    status = 200
    if document["experiments"]:
        context, status = _report_context(document["experiments"][0]["experiment"])
    return render_template(
        "report/widget.html", document=document, widget_key=widget_key, **context
    ), status


INTERVAL_NAMES = {
    "sequential": "always-valid interval",
    "frequentist": "fixed-horizon interval",
    "bayesian": "credible interval",
}


def rate(value: float | None) -> str:
    """A rate as a percent with one decimal ('-' when undefined)."""
    return "-" if value is None else f"{value * 100:.1f}%"
