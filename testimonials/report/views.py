"""API: the NPS report and the feedback export (read models across features)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import marshmallow as ma
from flask import Response, current_app, stream_with_context
from flask.views import MethodView
from sqlalchemy.orm import Session

from testimonials.db import get_session, utcnow
from testimonials.report import export, services
from testimonials.report.experiment_export import (
    CSV_COLUMNS,
    TESTIMONIAL_CSV_COLUMNS,
    csv_filename,
    report_csv,
    report_document,
    testimonials_csv,
    testimonials_csv_filename,
    verdict_document,
)
from testimonials.report.experiment_schemas import (
    ExperimentReportArgsSchema,
    ExperimentReportSchema,
    WidgetReportSchema,
)
from testimonials.report.experiments import (
    ExperimentReport,
    experiment_report,
    testimonial_labels,
    workspace_experiments,
)
from testimonials.report.schemas import (
    FeedbackExportArgsSchema,
    NpsReportArgsSchema,
    NpsReportSchema,
)
from testimonials.stats import METHOD
from testimonials.tracking.analysis import experiment_result
from testimonials.tracking.experiments import get_experiment
from testimonials.tracking.jobs import refresh_before_reading
from testimonials.web import api_blueprint, current_workspace_id

blp = api_blueprint(
    "report_api",
    __name__,
    "Reports: the NPS report, the feedback export and the experiments' lift reports",
)


DESCRIPTION = (
    "Counts every answer of the key's workspace that has an NPS score, including answers "
    "whose respondent was erased (a bare 0-10 score detached from a person is not personal "
    "data; dropping it would rewrite past figures). Each answer is dated by "
    f"{services.DATE_BASIS}; `from`/`to` (inclusive days) and the trend use that date. "
    "Trend periods between the first and last answer are all present, empty ones with "
    "n = 0. Segments: survey, channel, country and tag (an answer counts once under each tag "
    "of its testimonial, untagged answers under no tag); `tag_id` narrows the whole report "
    "to answers carrying that tag. "
    f"{METHOD}"
)


@blp.route("/reports/nps")
class NpsReport(MethodView):
    @blp.doc(description=DESCRIPTION)
    @blp.arguments(NpsReportArgsSchema, location="query", as_kwargs=True, unknown=ma.RAISE)
    @blp.response(200, NpsReportSchema)
    def get(self, filters: services.NpsFilters, granularity: str) -> Any:
        """NPS with a 95% interval, groups, trend by week or month, and segments."""
        return services.nps_report(get_session(), current_workspace_id(), filters, granularity)


EXPORT_DESCRIPTION = (
    "Every item of the key's workspace matching the filters, as CSV: UTF-8 with a byte-order "
    "mark, CRLF line ends, one row per item, oldest stored first (by id), streamed as it is "
    f"read. Columns, in this order: {', '.join(export.COLUMNS)}. Times are ISO 8601 UTC; "
    "`inbox_status` and `tags` (names joined by `; `) are empty for items without an inbox "
    "entry. `from`/`to` (inclusive days) use the NPS report's date: "
    f"{export.DATE_BASIS}. Never exported: the author's e-mail address, its domain, client "
    "and device fingerprints, the consent wording, photos or any other hidden personal data. "
    "Erased items appear with their score and `[erased]` as stored. A cell that a "
    "spreadsheet would run as a formula (starting with = + - @, tab or carriage return) gets "
    "a leading `'`."
)


@blp.route("/feedback/export.csv")
class FeedbackExport(MethodView):
    @blp.doc(description=EXPORT_DESCRIPTION)
    @blp.arguments(FeedbackExportArgsSchema, location="query", as_kwargs=True, unknown=ma.RAISE)
    @blp.response(200, description="CSV, one row per item", content_type="text/csv")
    def get(self, filters: export.ExportFilters) -> Any:
        """Harvested feedback as a CSV download (no e-mail addresses or other hidden data)."""
        return export_response(current_workspace_id(), filters)


def export_response(workspace_id: int, filters: export.ExportFilters) -> Response:
    """The feedback export as a streamed CSV attachment, written batch by batch."""
    session = get_session()
    filename = export.export_filename(session, workspace_id, utcnow().date())
    chunks = export.feedback_csv(session, workspace_id, filters)
    return Response(
        stream_with_context(between_batches_hold_no_connection(session, chunks)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def between_batches_hold_no_connection(session: Session, chunks: Iterator[str]) -> Iterator[str]:
    """Stream `chunks`, ending the read transaction before each is sent.

    A slow client takes minutes to download a large export; a transaction held open
    meanwhile sat "idle in transaction" with its locks, blocking VACUUM and schema changes.
    Each batch is read in a short transaction of its own and the connection goes back to
    the pool while the client reads (keyset batches need no snapshot across them).
    """
    try:
        for chunk in chunks:
            session.close()
            yield chunk
    finally:
        if isinstance(chunks, Generator):
            chunks.close()
        session.close()


EXPERIMENT_DESCRIPTION = (
    "Read from the daily roll-ups only (never raw events); without a job queue the "
    "experiment's last two days are rolled up first. Per arm: exposed units analysed, units "
    "left out (bots, Sec-GPC/DNT) and their share, viewable, engagement and conversion rates. "
    "Click-through (clicks per viewable impression, visitor as the unit, delta-method "
    "interval) is the treatment's alone: the holdout sees no widget. The lift of conversion "
    "rate uses the experiment's `analysis_method` (sequential: always-valid, safe to read "
    "daily). A sample-ratio mismatch (p < 0.001) blocks the verdict and the ROI. The power "
    "screen plans for the experiment's `minimum_detectable_lift` at the holdout's observed "
    "rate and never ends before a full week. Per-testimonial contribution compares the "
    "randomised treatment units shown a testimonial with those not shown it, "
    "Benjamini-Hochberg adjusted (only when the experiment randomises them). Each "
    "testimonial's card engagement (any action, expand, play, click-through) is a share of "
    "the viewable units shown it with a 95% Wilson interval; `engagement_note` says when too "
    "few saw it to compare. `over_time` is the cumulative lift at each day's end, recomputed "
    "from today's roll-ups; `snapshots` are what the daily analysis said at each day's end."
)


def _experiment_report(experiment_id: int, args: dict[str, Any]) -> ExperimentReport:
    session = get_session()
    experiment = get_experiment(session, current_workspace_id(), experiment_id)
    refresh_before_reading(current_app, experiment.id)
    return experiment_report(
        session, experiment, args.get("value_per_conversion"), args.get("cost")
    )


@blp.route("/reports/experiments/<int:experiment_id>")
class ExperimentReportItem(MethodView):
    @blp.doc(description=EXPERIMENT_DESCRIPTION)
    @blp.arguments(ExperimentReportArgsSchema, location="query", unknown=ma.RAISE)
    @blp.response(200, ExperimentReportSchema)
    def get(self, args: dict[str, Any], experiment_id: int) -> Any:
        """An experiment's lift report: arms, lift over time, SRM, power, testimonials, ROI."""
        return report_document(_experiment_report(experiment_id, args))


@blp.route("/reports/experiments/<int:experiment_id>/export.csv")
class ExperimentReportExport(MethodView):
    @blp.doc(
        description="One row per rolled-up day, UTF-8 with a byte-order mark, CRLF line ends. "
        f"Columns, in this order: {', '.join(CSV_COLUMNS)}. Counts are that day's; the "
        "`cumulative_*` columns are the lift and interval as they stood at the day's end."
    )
    @blp.response(200, description="CSV, one row per day", content_type="text/csv")
    def get(self, experiment_id: int) -> Any:
        """An experiment's daily figures as CSV."""
        return experiment_csv_response(_experiment_report(experiment_id, {}))


@blp.route("/reports/experiments/<int:experiment_id>/testimonials.csv")
class ExperimentTestimonialsExport(MethodView):
    @blp.doc(
        description="One row per featured testimonial, UTF-8 with a byte-order mark, CRLF "
        f"line ends. Columns, in this order: {', '.join(TESTIMONIAL_CSV_COLUMNS)}. Card "
        "rates are shares of the viewable units shown the testimonial, with 95% Wilson "
        "intervals (`_low`, `_high`); `engagement_note` says when too few visitors saw it "
        "to compare. Text cells never start a spreadsheet formula."
    )
    @blp.response(200, description="CSV, one row per testimonial", content_type="text/csv")
    def get(self, experiment_id: int) -> Any:
        """An experiment's per-testimonial engagement and contribution as CSV."""
        report = _experiment_report(experiment_id, {})
        return testimonials_csv_response(get_session(), report)


@blp.route("/reports/widgets/<string:widget_key>")
class WidgetReport(MethodView):
    @blp.response(200, WidgetReportSchema)
    def get(self, widget_key: str) -> Any:
        """A widget's experiments, newest first, with units analysed and each verdict."""
        return widget_document(get_session(), current_workspace_id(), widget_key)


def widget_document(session: Session, workspace_id: int, widget_key: str) -> dict[str, Any]:
    """The widget's experiments with their verdicts (read from roll-ups)."""
    rows = []
    for experiment in workspace_experiments(session, workspace_id, widget_key):
        found = experiment_result(session, experiment)
        units = sum(arm.units for arm in found.arms.values())
        rows.append(
            {
                "experiment": experiment,
                "units": units,
                "verdict": verdict_document(found.verdict),
            }
        )
    return {"widget_key": widget_key, "experiments": rows}


def _csv_download(text: str, filename: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def experiment_csv_response(report: ExperimentReport) -> Response:
    """The report's CSV as a download."""
    return _csv_download(report_csv(report), csv_filename(report))


def testimonials_csv_response(session: Session, report: ExperimentReport) -> Response:
    """The report's per-testimonial CSV as a download, testimonials named as on the page."""
    ids = [c.testimonial_id for c in report.testimonials]
    labels = testimonial_labels(session, report.experiment.workspace_id, ids)
    return _csv_download(testimonials_csv(report, labels), testimonials_csv_filename(report))
