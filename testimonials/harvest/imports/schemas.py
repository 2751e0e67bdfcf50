"""API representations of review imports."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest.fields import Upload

from testimonials.harvest.imports.files import ENCODINGS
from testimonials.harvest.imports.layouts import FIELDS
from testimonials.json_limits import JsonTooComplexError, load_json

ERRORS_SHOWN = 100


class ImportUploadSchema(ma.Schema):
    """A file to import and how to read it (multipart/form-data)."""

    file = Upload(
        required=True,
        metadata={"description": "A CSV, JSON, JSON Lines or Excel workbook (.xlsx) file"},
    )
    source_name = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=120),
        metadata={"description": "Where the reviews come from, e.g. Trustpilot"},
    )
    mapping = ma.fields.String(
        load_default=None,
        metadata={
            "description": "JSON object {field: column}; fields: " + ", ".join(FIELDS),
            "example": '{"text": "Review", "rating": "Stars"}',
        },
    )
    encoding = ma.fields.String(
        load_default=None,
        metadata={
            "description": "A text file's encoding when it is not UTF-8 (with or without "
            "BOM), UTF-16 with BOM or Windows-1252, e.g. " + ", ".join(ENCODINGS) + ". Not "
            "used for .xlsx workbooks (the report notes it if given)."
        },
    )

    @ma.validates("mapping")
    def _mapping_is_an_object(self, value: str | None, **_kwargs: Any) -> None:
        parse_mapping_json(value)


def parse_mapping_json(value: str | None) -> dict[str, str] | None:
    """The `mapping` form field as a dict (ValidationError if it is not {str: str})."""
    if value is None or not value.strip():
        return None
    try:
        mapping = load_json(value)
    except (ValueError, JsonTooComplexError):
        raise ma.ValidationError('Must be a JSON object like {"text": "Review"}.') from None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise ma.ValidationError("Must be a JSON object of field names to column names.")
    return mapping


class ImportErrorSchema(ma.Schema):
    """One problem: the row (as a spreadsheet counts, header = 1) and the reason."""

    row = ma.fields.Integer(allow_none=True)
    reason = ma.fields.String()


class ImportRunSchema(ma.Schema):
    """One import and its report."""

    id = ma.fields.Integer()
    filename = ma.fields.String()
    file_format = ma.fields.String(metadata={"description": "csv, json, jsonl or xlsx"})
    source_name = ma.fields.String()
    layout = ma.fields.String(
        allow_none=True, metadata={"description": "Known export layout recognised, if any"}
    )
    mapping = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "Field: column"},
    )
    rows_total = ma.fields.Integer()
    rows_added = ma.fields.Integer()
    rows_duplicate = ma.fields.Integer()
    rows_invalid = ma.fields.Integer()
    notes = ma.fields.List(ma.fields.String(), metadata={"description": "About the file"})
    errors = ma.fields.List(
        ma.fields.Nested(ImportErrorSchema),
        metadata={"description": f"The first {ERRORS_SHOWN} invalid rows; all in report.csv"},
    )
    created_at = ma.fields.DateTime()
    finished_at = ma.fields.DateTime(allow_none=True)

    @ma.pre_dump
    def _split_notes_from_errors(self, run: Any, **_kwargs: Any) -> dict[str, Any]:
        # File-level notes (the encoding we read it with, where an import stopped) are
        # stored beside the row errors, without a row number.
        values = {name: getattr(run, name) for name in self.fields if hasattr(run, name)}
        values["notes"] = [str(e["reason"]) for e in run.errors if e.get("row") is None]
        values["errors"] = [e for e in run.errors if e.get("row") is not None][:ERRORS_SHOWN]
        return values
