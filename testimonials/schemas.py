"""API conventions shared by every feature: ids, pagination arguments and the page envelope."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import marshmallow as ma
from flask import Response
from werkzeug.routing import IntegerConverter

from testimonials.db import MAX_PAGE, Page
from testimonials.fast_json import json_response

MAX_PER_PAGE = 100
# The largest id a key column holds on every database we run on (PostgreSQL `integer`). A
# bigger number in a URL, a query or a body can name nothing; sent to the database it
# would overflow (a crash), so it is refused as input instead.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: 1 to MAX_ID, else the URL names nothing (404)."""

    def __init__(self, map: object, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


def parse_id(raw: str) -> int | None:
    """An object id typed into a form: decimal digits naming 1 to MAX_ID, else None.

    `isdecimal`, not `isdigit`: "²" is a digit that `int` refuses; "១២" (Khmer) is decimal.
    """
    raw = raw.strip()
    if not raw.isdecimal() or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def id_field(**kwargs: object) -> ma.fields.Integer:
    """An object id as a client sends it, in a body or a query (1 to MAX_ID)."""
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)  # type: ignore[arg-type]


class PageArgsSchema(ma.Schema):
    """`?page=&per_page=` query arguments."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(
        load_default=25, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE)
    )


class AnswerDateFilterSchema(ma.Schema):
    """`?from=&to=` days of the answer date, for the NPS report and the export alike.

    Strict about names (a misspelt filter must not silently widen what is counted), lenient
    about blanks: a GET form sends every field, filled in or not, and empty means no filter.
    """

    class Meta:
        unknown = ma.RAISE

    date_from = ma.fields.Date(
        data_key="from",
        load_default=None,
        metadata={"description": "First day (UTC, inclusive), YYYY-MM-DD, of the answer date"},
    )
    date_to = ma.fields.Date(
        data_key="to",
        load_default=None,
        metadata={"description": "Last day (UTC, inclusive), YYYY-MM-DD, of the answer date"},
    )

    @ma.pre_load
    def _drop_empty(self, data: Any, **_: Any) -> Any:
        if hasattr(data, "items"):
            return {k: v for k, v in data.items() if v not in ("", None)}
        return data

    @ma.validates_schema(skip_on_field_errors=False)
    def _dates_in_order(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ma.ValidationError("Must be on or before `to`.", "from")


@cache
def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """An envelope schema `{items, total, page, per_page, pages}` around `item_schema`."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "total": ma.fields.Integer(metadata={"description": "Items across all pages"}),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
            "pages": ma.fields.Integer(),
        },
        name=name,
    )


def page_response(page: Page[Any], document: Callable[[Any], dict[str, Any]]) -> Response:
    """The page envelope as `page_schema` dumps it, each item built by `document`.

    For hot list endpoints whose item dump is written out by hand (tested to the byte
    against the schema); the schema still documents the answer in OpenAPI.
    """
    return json_response(
        {
            "items": [document(item) for item in page.items],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "pages": page.pages,
        }
    )
