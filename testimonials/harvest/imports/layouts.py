"""Which column holds what: well-known export layouts, common header names, and mappings.

A mapping is `{field: column}` with the fields below. Without one, a file whose headers
match a known export layout is mapped by that layout (and the layout's name is kept on the
import), else columns are recognised by common names ("Review", "Stars", ...). An explicit
mapping always wins, field by field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FIELDS: dict[str, str] = {
    "text": "The review or comment (required)",
    "rating": "Star rating, 1–5",
    "score": "Likelihood to recommend, 0–10 (NPS)",
    "author": "Author's name",
    "title": "Review title",
    "date": "When it was written (kept as the submission time)",
    "source": "Where it was posted, per row (default: the import's source name)",
    "external_id": "The review's id at the source (makes re-imports exact)",
    "location": "Where the author is",
    "avatar_url": "Author's picture (http or https address)",
    "language": "Language code, e.g. en, km",
    "country": "Two-letter country code",
    "email": "Author's e-mail (private: never shown publicly)",
    "consent": "Whether the author allowed quoting (granted / declined), if the file says",
}
FIELD_ALIASES = {
    "nps": "score",
    "nps_score": "score",
    "name": "author",
    "author_name": "author",
    "id": "external_id",
    "review_id": "external_id",
    "submitted_at": "date",
    "avatar": "avatar_url",
    "author_email": "email",
}


@dataclass(frozen=True)
class Layout:
    """A review platform's export format, recognised by a set of distinctive headers."""

    name: str
    source_label: str
    signature: frozenset[str]
    columns: Mapping[str, str]


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        "trustpilot",
        "Trustpilot",
        frozenset({"Review ID", "Review Created (UTC)", "Review Content", "Review Stars"}),
        {
            "external_id": "Review ID",
            "date": "Review Created (UTC)",
            "title": "Review Title",
            "text": "Review Content",
            "rating": "Review Stars",
            "language": "Review Language",
            "author": "Consumer Name",
            "email": "Consumer Email",
            "location": "Location Name",
        },
    ),
    Layout(
        "google_play",
        "Google Play",
        frozenset({"Review Submit Date and Time", "Star Rating", "Review Text"}),
        {
            "date": "Review Submit Date and Time",
            "rating": "Star Rating",
            "title": "Review Title",
            "text": "Review Text",
            "language": "Reviewer Language",
        },
    ),
    Layout(
        "google_business",
        "Google",
        frozenset({"reviewId", "starRating", "comment"}),
        {
            "external_id": "reviewId",
            "rating": "starRating",
            "text": "comment",
            "author": "reviewer.displayName",
            "avatar_url": "reviewer.profilePhotoUrl",
            "date": "createTime",
        },
    ),
    Layout(
        "app_store",
        "App Store",
        frozenset({"reviewerNickname", "rating", "body", "createdDate"}),
        {
            "external_id": "id",
            "rating": "rating",
            "title": "title",
            "text": "body",
            "author": "reviewerNickname",
            "date": "createdDate",
            "location": "territory",
        },
    ),
    Layout(
        "generic_reviews",
        "import",
        frozenset({"review", "rating", "name", "date"}),
        {"text": "review", "rating": "rating", "author": "name", "date": "date"},
    ),
)

# Headers recognised without a layout, compared without case, spaces or punctuation.
COMMON_HEADERS: dict[str, tuple[str, ...]] = {
    "text": (
        "review", "text", "reviewtext", "reviewbody", "reviewcontent", "comment", "comments",
        "body", "content", "feedback", "message", "testimonial",
    ),
    "rating": ("rating", "stars", "starrating", "reviewrating", "reviewstars"),
    "score": ("nps", "npsscore", "likelihoodtorecommend", "recommendscore"),
    "author": (
        "author", "name", "authorname", "reviewer", "reviewername", "customername",
        "customer", "displayname", "username",
    ),
    "title": ("title", "reviewtitle", "headline", "subject"),
    "date": (
        "date", "reviewdate", "createdat", "created", "submittedat", "submitted",
        "publishedat", "datetime",
    ),
    "source": ("source", "platform", "site"),
    "external_id": ("id", "reviewid", "externalid"),
    "location": ("location", "city"),
    "avatar_url": ("avatar", "avatarurl", "photo", "photourl", "profilephotourl"),
    "language": ("language", "lang", "locale"),
    "country": ("country", "countrycode"),
    "email": ("email", "emailaddress", "authoremail", "customeremail"),
    "consent": ("consent", "permission", "canquote", "consenttoquote"),
}  # fmt: skip


class MappingError(ValueError):
    """The mapping (given or found) cannot work with this file's columns."""


@dataclass(frozen=True)
class ColumnMapping:
    """The columns to read each field from, and the export layout recognised, if any."""

    columns: dict[str, str]
    layout: Layout | None = None


def _squash(header: str) -> str:
    return re.sub(r"[\W_]+", "", header.casefold())


def parse_mapping_text(pairs: Sequence[str]) -> dict[str, str]:
    """`["text=Review,rating=Stars", "author=Name"]` -> {"text": "Review", ...}."""
    mapping: dict[str, str] = {}
    for chunk in pairs:
        for pair in chunk.split(","):
            if not pair.strip():
                continue
            field, sep, column = pair.partition("=")
            if not sep or not field.strip() or not column.strip():
                raise MappingError(f"{pair.strip()!r} is not field=Column.")
            mapping[field.strip()] = column.strip()
    return mapping


def detect_layout(columns: Sequence[str]) -> Layout | None:
    """The known export layout whose distinctive headers all appear, if any."""
    present = {_squash(c) for c in columns}
    for layout in LAYOUTS:
        if {_squash(h) for h in layout.signature} <= present:
            return layout
    return None


def resolve_mapping(
    columns: Sequence[str], given: Mapping[str, str] | None = None
) -> ColumnMapping:
    """Combine the layout, common headers and the given mapping into columns per field."""
    by_squash: dict[str, str] = {}
    for column in columns:
        by_squash.setdefault(_squash(column), column)
    explicit = _normalise_fields(given or {})
    layout = detect_layout(columns)
    result: dict[str, str] = {}
    if layout is not None:
        for field, header in layout.columns.items():
            if _squash(header) in by_squash:
                result[field] = by_squash[_squash(header)]
    used = set(result.values()) | set(explicit.values())
    for field, names in COMMON_HEADERS.items():
        if field in result or field in explicit:
            continue
        for name in names:
            match = by_squash.get(name)
            if match is not None and match not in used:
                result[field] = match
                used.add(match)
                break
    for field, wanted in explicit.items():
        result[field] = _find_column(wanted, columns, by_squash)
    if "text" not in result:
        raise MappingError(
            "No text column found. Map the column that holds the review, e.g. text=Comment. "
            f"The file's columns are: {_list(columns)}."
        )
    return ColumnMapping(result, layout)


def _normalise_fields(given: Mapping[str, str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for raw_field, column in given.items():
        field = FIELD_ALIASES.get(raw_field.strip().lower(), raw_field.strip().lower())
        if field not in FIELDS:
            raise MappingError(f"Unknown field {raw_field!r}; the fields are: {_list(FIELDS)}.")
        if column and column.strip():
            fields[field] = column.strip()
    return fields


def _find_column(wanted: str, columns: Sequence[str], by_squash: dict[str, str]) -> str:
    if wanted in columns:
        return wanted
    folded = [c for c in columns if c.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    if _squash(wanted) in by_squash:
        return by_squash[_squash(wanted)]
    raise MappingError(
        f"There is no column {wanted!r} in the file; its columns are: {_list(columns)}."
    )


def _list(names: Sequence[str] | Mapping[str, str]) -> str:
    names = list(names)
    shown = ", ".join(names[:30])
    return (
        shown + (f" and {len(names) - 30} more" if len(names) > 30 else "") if names else "(none)"
    )
