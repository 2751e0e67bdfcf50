"""Widget definitions as the API reads and writes them."""

from __future__ import annotations

import re

import marshmallow as ma

from testimonials.harvest.models import Channel
from testimonials.locales import LANGUAGES
from testimonials.schemas import id_field
from testimonials.widgets.models import WidgetKind

MAX_ITEMS = 50
MAX_PINNED = 50
MAX_CUSTOM_CSS = 10_000
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# schema.org types Google shows review snippets for; never Organization/LocalBusiness,
# whose reviews of themselves Google calls self-serving.
ELIGIBLE_ITEM_TYPES = (
    "Product",
    "SoftwareApplication",
    "Book",
    "Course",
    "CreativeWorkSeason",
    "CreativeWorkSeries",
    "Episode",
    "Event",
    "Game",
    "HowTo",
    "MediaObject",
    "Movie",
    "MusicPlaylist",
    "MusicRecording",
    "Recipe",
)


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE
        ordered = True


class SelectionSchema(_Strict):
    """Which approved testimonials a widget shows (never filtered by rating or sentiment)."""

    tag_ids = ma.fields.List(id_field(), load_default=list, validate=ma.validate.Length(max=50))
    languages = ma.fields.List(
        ma.fields.String(validate=ma.validate.Regexp(LANGUAGE_TAG, error="Not a language tag.")),
        load_default=list,
        validate=ma.validate.Length(max=50),
    )
    channels = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf([c.value for c in Channel])),
        load_default=list,
    )
    min_specificity = ma.fields.Float(
        load_default=0.0, validate=ma.validate.Range(min=0.0, max=1.0)
    )
    pinned_ids = ma.fields.List(
        id_field(), load_default=list, validate=ma.validate.Length(max=MAX_PINNED)
    )
    max_items = ma.fields.Integer(load_default=12, validate=ma.validate.Range(min=1, max=MAX_ITEMS))


class ThemeSchema(_Strict):
    """How a widget looks; the font is the host page's unless a family is chosen."""

    mode = ma.fields.String(
        load_default="light", validate=ma.validate.OneOf(["light", "dark", "auto"])
    )
    accent = ma.fields.String(
        load_default="#2457d6",
        validate=ma.validate.Regexp(HEX_COLOUR, error="A colour like #2457d6."),
    )
    radius = ma.fields.Integer(load_default=12, validate=ma.validate.Range(min=0, max=32))
    density = ma.fields.String(
        load_default="comfortable", validate=ma.validate.OneOf(["compact", "comfortable"])
    )
    font = ma.fields.String(
        load_default="inherit", validate=ma.validate.OneOf(["inherit", "sans", "serif"])
    )


class FieldsSchema(_Strict):
    """What each card shows besides the quote and the name."""

    photo = ma.fields.Boolean(load_default=True)
    role = ma.fields.Boolean(load_default=True)
    company = ma.fields.Boolean(load_default=True)
    date = ma.fields.Boolean(load_default=False)
    source = ma.fields.Boolean(load_default=False)
    rating = ma.fields.Boolean(load_default=True)


class StructuredDataSchema(_Strict):
    """The thing the reviews are about, for schema.org JSON-LD (opt-in)."""

    type = ma.fields.String(required=True, validate=ma.validate.OneOf(ELIGIBLE_ITEM_TYPES))
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


def _origin(value: str) -> None:
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?", value):
        raise ma.ValidationError("An origin such as https://www.example.com (no path).")


class WidgetSchema(_Strict):
    """A widget as the API shows it, and as a client creates or replaces one."""

    id = ma.fields.Integer(dump_only=True)
    public_key = ma.fields.String(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    kind = ma.fields.String(
        required=True, validate=ma.validate.OneOf([k.value for k in WidgetKind])
    )
    selection = ma.fields.Nested(SelectionSchema, load_default=lambda: SelectionSchema().load({}))
    theme = ma.fields.Nested(ThemeSchema, load_default=lambda: ThemeSchema().load({}))
    # marshmallow moves declared fields off the class, so this does not shadow Schema.fields.
    fields = ma.fields.Nested(  # type: ignore[assignment]
        FieldsSchema, load_default=lambda: FieldsSchema().load({})
    )
    custom_css = ma.fields.String(load_default="", validate=ma.validate.Length(max=MAX_CUSTOM_CSS))
    caption = ma.fields.String(
        load_default="Selected by {company}", validate=ma.validate.Length(min=1, max=200)
    )
    structured_data = ma.fields.Nested(StructuredDataSchema, allow_none=True, load_default=None)
    language = ma.fields.String(
        load_default="en",
        validate=ma.validate.OneOf(list(LANGUAGES)),
        metadata={
            "description": "The visitors' language: the widget's own wording (caption left "
            "at its default, Read more, counts), plurals, numbers, dates and direction"
        },
    )
    allowed_origins = ma.fields.List(
        ma.fields.String(validate=_origin), load_default=list, validate=ma.validate.Length(max=20)
    )
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)
    embed = ma.fields.Dict(
        dump_only=True,
        metadata={"description": "Paste-ready embed code and URLs for each delivery mode"},
    )


class WidgetListArgsSchema(ma.Schema):
    """`?page=&per_page=` for the widget list."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=25, validate=ma.validate.Range(min=1, max=100))


class RatingBasisSchema(ma.Schema):
    """The workspace's rating as widgets show it, and what was left out and why."""

    average = ma.fields.String(allow_none=True)
    count = ma.fields.Integer()
    distribution = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    exclusions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


class WidgetUpdateSchema(WidgetSchema):
    """A partial change (PATCH): only the fields sent change."""
