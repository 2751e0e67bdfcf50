"""The dashboard's widget form, read into the same shape the API accepts."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from werkzeug.datastructures import MultiDict

from testimonials.widgets.schemas import WidgetSchema

FIELD_NAMES = ("photo", "role", "company", "date", "source", "rating")


def _ids(raw: str) -> list[Any]:
    # Kept as strings when not numbers, so the schema names the bad one.
    return [int(p) if p.isdecimal() else p for p in raw.replace(",", " ").split()]


def form_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """The submitted form as a widget definition (not yet validated)."""
    structured = None
    if form.get("structured_type"):
        structured = {"type": form["structured_type"], "name": form.get("structured_name", "")}
    return {
        "name": form.get("name", "").strip(),
        "kind": form.get("kind", ""),
        "caption": form.get("caption", "").strip() or "Selected by {company}",
        "custom_css": form.get("custom_css", ""),
        "selection": {
            "tag_ids": _ids(" ".join(form.getlist("tag_ids"))),
            "languages": [p for p in form.get("languages", "").replace(",", " ").split()],
            "channels": form.getlist("channels"),
            "min_specificity": form.get("min_specificity") or 0,
            "pinned_ids": _ids(form.get("pinned_ids", "")),
            "max_items": form.get("max_items") or 12,
        },
        "theme": {
            "mode": form.get("mode", "light"),
            "accent": form.get("accent", "#2457d6"),
            "radius": form.get("radius") or 12,
            "density": form.get("density", "comfortable"),
            "font": form.get("font", "inherit"),
        },
        "fields": {name: f"show_{name}" in form for name in FIELD_NAMES},
        "structured_data": structured,
        "allowed_origins": form.get("allowed_origins", "").split(),
        "language": form.get("language", "en"),
    }


def read_widget_form(form: MultiDict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(validated values, {}) or (raw values, errors by field) for the form page."""
    raw = form_values(form)
    try:
        return WidgetSchema().load(raw), {}
    except ma.ValidationError as error:
        return raw, error.messages if isinstance(error.messages, dict) else {"_": error.messages}


def flat_errors(errors: dict[str, Any], prefix: str = "") -> list[str]:
    """Errors as readable lines ("theme › accent: A colour like #2457d6.")."""
    lines = []
    for name, value in errors.items():
        label = "" if name == "_" else f"{prefix}{name}".replace("_", " ")
        if isinstance(value, dict):
            lines.extend(flat_errors(value, f"{label} › "))
        else:
            for message in value if isinstance(value, list) else [value]:
                if isinstance(message, dict):
                    lines.extend(flat_errors(message, f"{label} › "))
                else:
                    lines.append(f"{label}: {message}" if label else str(message))
    return lines
