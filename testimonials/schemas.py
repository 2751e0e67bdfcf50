"""API conventions shared by every feature: pagination arguments and the page envelope."""

from __future__ import annotations

from functools import cache

import marshmallow as ma

MAX_PER_PAGE = 100


class PageArgsSchema(ma.Schema):
    """`?page=&per_page=` query arguments."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(
        load_default=25, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE)
    )


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
