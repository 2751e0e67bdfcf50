"""API: review imports (multipart upload, history, and each import's report as CSV)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask.views import MethodView

from testimonials.config import settings_for
from testimonials.db import get_session
from testimonials.harvest.imports import services
from testimonials.harvest.imports.schemas import (
    ImportRunSchema,
    ImportUploadSchema,
    parse_mapping_json,
)
from testimonials.harvest.intake import intake_scorer_for
from testimonials.web import api_blueprint, current_workspace_id

blp = api_blueprint(
    "imports_api", __name__, "Review imports (CSV, JSON, JSONL, XLSX)", multipart=True
)


def import_workers() -> int | None:
    """Worker processes for scoring large imports (None: one per CPU)."""
    return settings_for(current_app).import_workers


@blp.route("/imports")
class Imports(MethodView):
    @blp.paged(ImportRunSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Past imports, newest first."""
        return services.imports_query(current_workspace_id())

    @blp.arguments(ImportUploadSchema, location="files")
    @blp.response(201, ImportRunSchema)
    @blp.alt_response(413, description="The file is larger than the upload limit")
    def post(self, form: dict[str, Any]) -> Any:
        """Import reviews from a CSV, JSON, JSON Lines or Excel (.xlsx) file; returns the report.

        Re-importing the same file adds nothing: rows are matched by external id within the
        source, else by text and author. Invalid rows are reported by row number (header =
        row 1, as Excel numbers them) and the valid ones are kept. A workbook is read from
        its first sheet with data (the report names any other sheets skipped); .xls, .xlsm
        and password-protected workbooks are refused. File-level problems (undecodable,
        damaged, empty, no text column) are 422 and store nothing.
        """
        upload = form["file"]
        db = get_session()
        run = services.import_reviews(
            db,
            current_workspace_id(),
            upload.stream,
            upload.filename or "upload",
            form["source_name"],
            intake_scorer_for(current_app),
            mapping=parse_mapping_json(form["mapping"]),
            encoding=form["encoding"],
            workers=import_workers(),
        )
        return run


@blp.route("/imports/<int:import_id>")
class ImportRunView(MethodView):
    @blp.response(200, ImportRunSchema)
    def get(self, import_id: int) -> Any:
        """One import with its counts and first errors."""
        return services.get_import(get_session(), current_workspace_id(), import_id)


@blp.route("/imports/<int:import_id>/report.csv")
class ImportReport(MethodView):
    @blp.response(
        200,
        description="CSV with a `row,reason` line per invalid row",
        content_type="text/csv",
    )
    def get(self, import_id: int) -> Any:
        """The import's report as CSV (every stored problem, by row number)."""
        run = services.get_import(get_session(), current_workspace_id(), import_id)
        return report_response(run)


def report_response(run: Any) -> Response:
    """A CSV download of an import's report (UTF-8 with BOM, so spreadsheets read it right)."""
    return Response(
        "\ufeff" + services.report_csv(run),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="import-{run.id}-report.csv"',
            "Cache-Control": "no-store",
        },
    )
