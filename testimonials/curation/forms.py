"""Dashboard forms for curation, and the tolerant parsing of inbox filters and snooze choices."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any, TypeVar

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from testimonials.curation.inbox import SORTS, InboxFilters
from testimonials.curation.models import Status
from testimonials.curation.services import MAX_EXCERPT_LENGTH
from testimonials.errors import InvalidInputError
from testimonials.harvest.models import Channel, NpsGroup

E = TypeVar("E", bound=Enum)
SNOOZE_CHOICES = {"day": timedelta(days=1), "week": timedelta(days=7)}


class EditForm(FlaskForm):
    """The public words and how the author is shown; the original text is not a field."""

    excerpt = TextAreaField(
        "Public excerpt", validators=[DataRequired(), Length(max=MAX_EXCERPT_LENGTH)]
    )
    display_name = StringField("Name", validators=[Optional(), Length(max=200)])
    display_role = StringField("Role", validators=[Optional(), Length(max=200)])
    display_company = StringField("Company", validators=[Optional(), Length(max=200)])
    disclosure = SelectField(
        "Disclosure shown with the quote",
        choices=[
            SelectChoice("", "None: an independent customer"),
            SelectChoice("employee", "Works for us"),
            SelectChoice("family", "Friend or family of the team"),
            SelectChoice("partner", "Business partner"),
            SelectChoice("incentivised", "Received an incentive (free product, payment, discount)"),
        ],
        validators=[Optional()],
    )


class PhotoForm(FlaskForm):
    photo = FileField("Photo", validators=[FileRequired("Choose a photo to upload.")])


class TagForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=60)])
    is_collection = BooleanField("Collection (widgets can show it)")


def _enum(enum_type: type[E], raw: str | None) -> E | None:
    try:
        return enum_type(raw) if raw else None
    except ValueError:
        return None


def _int(raw: str | None, low: int, high: int) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if low <= value <= high else None


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def inbox_filters_from(args: Mapping[str, str]) -> InboxFilters:
    """Filters from the inbox's query string; an unusable value means "no filter", not an error."""
    raw_status = args.get("status", Status.PENDING.value)
    flagged = {"yes": True, "no": False}.get(args.get("flagged", ""))
    sort = args.get("sort", "rank")
    return InboxFilters(
        status=None if raw_status == "all" else _enum(Status, raw_status) or Status.PENDING,
        channel=_enum(Channel, args.get("channel")),
        source=(args.get("source") or "").strip() or None,
        group=_enum(NpsGroup, args.get("group")),
        rating=_int(args.get("rating"), 1, 5),
        tag_id=_int(args.get("tag"), 1, 2**31 - 1),
        # As typed: the page matches it to a language of the workspace (any case) or says so.
        language=(args.get("language") or "").strip()[:64] or None,
        received_from=_date(args.get("from")),
        received_to=_date(args.get("to")),
        flagged=flagged,
        needs_fix=True if args.get("needs_fix") == "yes" else None,
        search=(args.get("q") or "").strip()[:200] or None,
        sort=sort if sort in SORTS else "rank",
    )


def snooze_until(form: Mapping[str, Any], now: datetime) -> datetime:
    """When a snooze ends: a day, a week, or the start of a chosen date (UTC)."""
    choice = form.get("snooze") or "week"
    if choice in SNOOZE_CHOICES:
        return now + SNOOZE_CHOICES[choice]
    chosen = _date(form.get("until"))
    if chosen is None:
        raise InvalidInputError("Choose a date to snooze until.", {"until": ["Missing."]})
    return datetime.combine(chosen, time.min, tzinfo=UTC)
