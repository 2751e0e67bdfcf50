"""API: harvested feedback."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import marshmallow as ma
from flask import Response, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from testimonials.accounts.auth import api_caller, authenticate_api_request
from testimonials.db import get_session, paginate, utcnow
from testimonials.harvest import export, services
from testimonials.harvest.schemas import (
    FeedbackExportArgsSchema,
    FeedbackItemSchema,
    FeedbackQueryArgsSchema,
)
from testimonials.schemas import page_schema

blp = Blueprint("harvest_api", __name__, url_prefix="/api/v1", description="Harvested feedback")
blp.before_request(authenticate_api_request)


@blp.route("/feedback")
class FeedbackItems(MethodView):
    @blp.arguments(FeedbackQueryArgsSchema, location="query")
    @blp.response(200, page_schema(FeedbackItemSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Harvested feedback, newest first, filtered by channel or NPS group."""
        query = services.feedback_query(api_caller().workspace_id, args["channel"], args["group"])
        return paginate(get_session(), query, args["page"], args["per_page"])


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
        return export_response(api_caller().workspace_id, filters)


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


@blp.route("/feedback/<int:item_id>")
class FeedbackItem(MethodView):
    @blp.response(200, FeedbackItemSchema)
    def get(self, item_id: int) -> Any:
        """One harvested item."""
        return services.get_feedback(get_session(), api_caller().workspace_id, item_id)
