"""One row of an import file -> the values of a review, or a reason it cannot be kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

MAX_TEXT_CHARS = 10_000
# Column sizes of feedback_items: longer values are reported rather than cut.
MAX_LENGTHS = {
    "title": 300,
    "author": 200,
    "external_id": 200,
    "location": 200,
    "avatar_url": 500,
    "language": 16,
    "email": 254,
    "source": 120,
}
_STAR_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_CONSENT = {
    "granted": {"granted", "yes", "y", "true", "1", "allowed", "opt-in", "opted in"},
    "declined": {"declined", "no", "n", "false", "0", "denied", "opt-out", "opted out"},
    "revoked": {"revoked", "withdrawn"},
}
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
)
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


class RowProblem(ValueError):
    """Why a row cannot be imported (the message is shown in the report)."""


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """The values of one review read from a file (everything but the text is optional)."""

    text: str
    rating: int | None = None
    nps_score: int | None = None
    author_name: str | None = None
    title: str | None = None
    submitted_at: datetime | None = None
    source_name: str | None = None
    external_id: str | None = None
    location: str | None = None
    avatar_url: str | None = None
    language: str | None = None
    country: str | None = None
    author_email: str | None = None
    consent_state: str | None = None


def show(value: str, limit: int = 40) -> str:
    """A cell value quoted for a report line, shortened."""
    value = " ".join(value.split())
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def review_from_cells(cells: dict[str, str], columns: dict[str, str]) -> ReviewRow:
    """Read one row with the mapping `columns` ({field: column}); RowProblem if invalid."""

    def cell(field: str) -> str | None:
        column = columns.get(field)
        value = cells.get(column) if column is not None else None
        if value is None or not value.strip():
            return None
        stripped = value.strip()
        limit = MAX_LENGTHS.get(field)
        if limit is not None and len(stripped) > limit:
            raise RowProblem(f"{field} is {len(stripped):,} characters; the limit is {limit:,}")
        return stripped

    # The text is kept exactly as written: not stripped, not normalised.
    text = cells.get(columns["text"]) or ""
    if not text.strip():
        raise RowProblem("missing text")
    if len(text) > MAX_TEXT_CHARS:
        raise RowProblem(f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    title_cell = cells.get(columns["title"]) if "title" in columns else None
    title = title_cell if title_cell and title_cell.strip() else None
    if title is not None and len(title) > MAX_LENGTHS["title"]:
        raise RowProblem(f"title is {len(title):,} characters; the limit is 300")
    rating = _whole_number(cell("rating"), "rating", 1, 5, words=_STAR_WORDS)
    nps_score = _whole_number(cell("score"), "score", 0, 10)
    return ReviewRow(
        text=text,
        rating=rating,
        nps_score=nps_score,
        author_name=cell("author"),
        title=title,
        submitted_at=_date(cell("date")),
        source_name=cell("source"),
        external_id=cell("external_id"),
        location=cell("location"),
        avatar_url=_avatar(cell("avatar_url")),
        language=_checked(cell("language"), _LANGUAGE, "language", "a code like en or pt-BR"),
        country=_checked(cell("country"), _COUNTRY, "country", "a two-letter code like DE"),
        author_email=_email(cell("email")),
        consent_state=_consent(cell("consent")),
    )


def _whole_number(
    raw: str | None, name: str, low: int, high: int, words: dict[str, int] | None = None
) -> int | None:
    if raw is None:
        return None
    if words and raw.lower() in words:
        return words[raw.lower()]
    if words and raw.upper() == "STAR_RATING_UNSPECIFIED":
        return None
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        raise RowProblem(f"{name} {show(raw)} is not a number") from None
    if not number.is_integer():
        raise RowProblem(f"{name} {show(raw)} is not a whole number {low}–{high}")
    if not low <= number <= high:
        raise RowProblem(f"{name} {raw} is outside {low}–{high}")
    return int(number)


def parse_date(raw: str) -> datetime:
    """A date or timestamp as found in review exports -> aware UTC (naive means UTC)."""
    value = raw.strip()
    if value.isdigit() and len(value) in (10, 13):  # Unix seconds or milliseconds
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC)
    try:
        parsed = datetime.fromisoformat(value.replace(" UTC", "+00:00"))
    except ValueError:
        parsed = _parse_other(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_other(value: str) -> datetime:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    match = _SLASH_DATE.match(value)
    if match:
        first, second, year = (int(g) for g in match.groups()[:3])
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            day, month = second, first
        elif first == second:
            day = month = first
        else:
            raise ValueError("ambiguous day and month")
        hour, minute, sec = (int(g or 0) for g in match.groups()[3:])
        return datetime(year, month, day, hour, minute, sec)
    raise ValueError("unknown date format")


def _date(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        return parse_date(raw)
    except (ValueError, OverflowError, OSError) as error:
        hint = (
            "day and month order is ambiguous"
            if "ambiguous" in str(error)
            else "not a date we can read"
        )
        raise RowProblem(f"date {show(raw)}: {hint} (use YYYY-MM-DD)") from None


def _avatar(raw: str | None) -> str | None:
    if raw is not None and not re.match(r"^https?://\S+$", raw, re.IGNORECASE):
        raise RowProblem(f"avatar_url {show(raw)} is not an http(s) address")
    return raw


def _checked(raw: str | None, pattern: re.Pattern[str], name: str, expected: str) -> str | None:
    if raw is not None and not pattern.match(raw):
        raise RowProblem(f"{name} {show(raw)} is not {expected}")
    return raw


def _email(raw: str | None) -> str | None:
    if raw is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", raw):
        raise RowProblem("email is not an e-mail address")  # never echo personal data
    return raw


def _consent(raw: str | None) -> str | None:
    if raw is None:
        return None
    for state, words in _CONSENT.items():
        if raw.lower() in words:
            return state
    raise RowProblem(f"consent {show(raw)} is not granted/declined (or yes/no)")
