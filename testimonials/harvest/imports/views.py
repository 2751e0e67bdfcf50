"""API: review imports (multipart upload, history, and each import's report as CSV)."""

from __future__ import annotations

from typing import Any

from flask import Request, Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from testimonials.accounts.auth import api_caller, authenticate_api_request
from testimonials.db import get_session, paginate
from testimonials.harvest.imports import services
from testimonials.harvest.imports.schemas import (
    ImportRunSchema,
    ImportUploadSchema,
    parse_mapping_json,
)
from testimonials.harvest.intake import intake_scorer_for
from testimonials.schemas import PageArgsSchema, page_schema


class MultipartParser(FlaskParser):
    """Reads `files` arguments from the whole multipart body: the file and its form fields.

    One schema then documents the upload as a single multipart/form-data request body
    (OpenAPI 3 cannot describe separate `form` and `files` arguments).
    """

    def load_files(self, req: Request, schema: Any) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class ImportBlueprint(Blueprint):
    ARGUMENTS_PARSER = MultipartParser()


blp = ImportBlueprint(
    "imports_api",
    __name__,
    url_prefix="/api/v1",
    description="Review imports (CSV, JSON, JSONL, XLSX)",
)
blp.before_request(authenticate_api_request)


def import_workers() -> int | None:
    """Worker processes for scoring large imports (None: one per CPU)."""
    return current_app.config.get("IMPORT_WORKERS")


@blp.route("/imports")
class Imports(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(ImportRunSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Past imports, newest first."""
        query = services.imports_query(api_caller().workspace_id)
        return paginate(get_session(), query, args["page"], args["per_page"])

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
            api_caller().workspace_id,
            upload.stream,
            upload.filename or "upload",
            form["source_name"],
            intake_scorer_for(current_app),
            mapping=parse_mapping_json(form["mapping"]),
            encoding=form["encoding"],
            workers=import_workers(),
        )
        db.commit()
        return run


@blp.route("/imports/<int:import_id>")
class ImportRunView(MethodView):
    @blp.response(200, ImportRunSchema)
    def get(self, import_id: int) -> Any:
        """One import with its counts and first errors."""
        return services.get_import(get_session(), api_caller().workspace_id, import_id)


@blp.route("/imports/<int:import_id>/report.csv")
class ImportReport(MethodView):
    @blp.response(
        200,
        description="CSV with a `row,reason` line per invalid row",
        content_type="text/csv",
    )
    def get(self, import_id: int) -> Any:
        """The import's report as CSV (every stored problem, by row number)."""
        run = services.get_import(get_session(), api_caller().workspace_id, import_id)
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
