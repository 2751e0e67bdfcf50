"""API: the NPS report and the feedback export (read models across features)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import marshmallow as ma
from flask import Response, stream_with_context
from flask.views import MethodView
from sqlalchemy.orm import Session

from testimonials.db import get_session, utcnow
from testimonials.report import export, services
from testimonials.report.schemas import (
    FeedbackExportArgsSchema,
    NpsReportArgsSchema,
    NpsReportSchema,
)
from testimonials.stats import METHOD
from testimonials.web import api_blueprint, current_workspace_id

blp = api_blueprint("report_api", __name__, "Reports: the NPS report and the feedback export")


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
