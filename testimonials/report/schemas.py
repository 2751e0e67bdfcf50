"""API representations of the reports: the NPS report and the feedback export."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from testimonials.harvest.models import Channel, NpsGroup
from testimonials.harvest.search import MAX_SEARCH_LENGTH
from testimonials.report.export import ExportFilters
from testimonials.report.services import NpsFilters
from testimonials.schemas import AnswerDateFilterSchema, id_field


class NpsReportArgsSchema(AnswerDateFilterSchema):
    """`?from=&to=&survey_id=&channel=&country=&tag_id=&granularity=` (empty = no filter)."""

    survey_id = id_field(load_default=None)
    channel = ma.fields.Enum(Channel, by_value=True, load_default=None)
    country = ma.fields.String(
        load_default=None,
        validate=ma.validate.Regexp(r"^[A-Za-z]{2}$", error="Use a two-letter country code."),
        metadata={"description": "ISO 3166-1 alpha-2 code, e.g. GB"},
    )
    tag_id = id_field(
        load_default=None,
        metadata={"description": "Only answers whose testimonial carries this tag (curation)"},
    )
    granularity = ma.fields.String(
        load_default="month",
        validate=ma.validate.OneOf(["week", "month"]),
        metadata={"description": "Trend periods: ISO weeks (from Monday, UTC) or months"},
    )

    @ma.post_load
    def _to_filters(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        country = data.get("country")
        return {
            "filters": NpsFilters(
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                survey_id=data.get("survey_id"),
                channel=data.get("channel"),
                country=country.upper() if country else None,
                tag_id=data.get("tag_id"),
            ),
            "granularity": data["granularity"],
        }


class Points(ma.fields.Float):
    """A figure in NPS points or percent, rounded to 2 decimals (null stays null)."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else round(float(value), 2)


class SharesSchema(ma.Schema):
    """Group shares in percent of the answers."""

    promoter = Points(allow_none=True)
    passive = Points(allow_none=True)
    detractor = Points(allow_none=True)


class NpsSummarySchema(ma.Schema):
    """The NPS of a set of answers, with its uncertainty, band and small-sample warning."""

    n = ma.fields.Integer(metadata={"description": "Answers counted"})
    promoters = ma.fields.Integer()
    passives = ma.fields.Integer()
    detractors = ma.fields.Integer()
    shares = ma.fields.Nested(SharesSchema)
    nps = Points(allow_none=True, metadata={"description": "-100..100; null when n = 0"})
    margin_of_error = Points(
        allow_none=True,
        metadata={
            "description": "Classic 95% ± points (normal approximation); null when every "
            "answer is in one group (n = 1 included), where it would wrongly be 0"
        },
    )
    interval = ma.fields.Method(
        "_interval",
        metadata={
            "description": "95% adjusted-Wald interval; null when n = 0",
            "type": "object",
            "nullable": True,
            "properties": {"low": {"type": "number"}, "high": {"type": "number"}},
        },
    )
    band = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Bain's band: world class (>80), excellent (>50), favourable "
            "(>20), good (>0), needs improvement (<=0)"
        },
    )
    too_small = ma.fields.Boolean(metadata={"description": "Too few answers to trust"})
    warning = ma.fields.String(allow_none=True)

    def _interval(self, summary: Any) -> dict[str, float] | None:
        if summary.interval is None:
            return None
        low, high = summary.interval
        return {"low": round(low, 2), "high": round(high, 2)}


class GroupSchema(ma.Schema):
    """One of Bain's three groups in the overall result."""

    group = ma.fields.String()
    scores = ma.fields.String(metadata={"description": "Answers that fall in the group"})
    count = ma.fields.Integer()
    share = Points(allow_none=True, metadata={"description": "Percent of the answers"})


class TrendPointSchema(ma.Schema):
    """One week or month of the trend (empty periods are present with n = 0)."""

    period = ma.fields.String(metadata={"description": "2026-W03 (ISO week) or 2026-01"})
    start = ma.fields.Date(metadata={"description": "First day, UTC"})
    end = ma.fields.Date(metadata={"description": "Last day, UTC, inclusive"})
    summary = ma.fields.Nested(NpsSummarySchema)


class SegmentSchema(ma.Schema):
    """The NPS of one survey, channel, country or tag."""

    key = ma.fields.Raw(
        allow_none=True,
        metadata={"description": "Survey id, channel, country code or tag id; null = none/unknown"},
    )
    label = ma.fields.String()
    summary = ma.fields.Nested(NpsSummarySchema)


class SegmentsSchema(ma.Schema):
    """Segments by dimension, biggest first."""

    survey = ma.fields.List(ma.fields.Nested(SegmentSchema))
    channel = ma.fields.List(ma.fields.Nested(SegmentSchema))
    country = ma.fields.List(ma.fields.Nested(SegmentSchema))
    tag = ma.fields.List(
        ma.fields.Nested(SegmentSchema),
        metadata={
            "description": "One per tag of the curated testimonials: an answer with two "
            "tags counts under each, untagged answers under none, so these need not add up "
            "to the overall"
        },
    )


class FiltersSchema(ma.Schema):
    """The filters the report was computed with."""

    date_from = ma.fields.Date(data_key="from", allow_none=True)
    date_to = ma.fields.Date(data_key="to", allow_none=True)
    survey_id = ma.fields.Integer(allow_none=True)
    channel = ma.fields.Enum(Channel, by_value=True, allow_none=True)
    country = ma.fields.String(allow_none=True)
    tag_id = ma.fields.Integer(allow_none=True)


class NpsReportSchema(ma.Schema):
    """The NPS report: overall, groups, trend, segments, warnings and how it is computed."""

    filters = ma.fields.Nested(FiltersSchema)
    granularity = ma.fields.String()
    date_basis = ma.fields.String(metadata={"description": "Which date places an answer"})
    overall = ma.fields.Nested(NpsSummarySchema)
    groups = ma.fields.List(ma.fields.Nested(GroupSchema), metadata={"description": "Overall"})
    trend = ma.fields.List(ma.fields.Nested(TrendPointSchema))
    segments = ma.fields.Nested(SegmentsSchema)
    warnings = ma.fields.List(ma.fields.String())
    small_sample_rule = ma.fields.String()
    method = ma.fields.String()


class FeedbackExportArgsSchema(AnswerDateFilterSchema):
    """`?channel=&group=&from=&to=&survey_id=&q=` for the CSV export (empty = no filter)."""

    channel = ma.fields.Enum(Channel, by_value=True, load_default=None)
    group = ma.fields.Enum(NpsGroup, by_value=True, load_default=None)
    survey_id = id_field(load_default=None)
    search = ma.fields.String(
        data_key="q",
        load_default=None,
        validate=ma.validate.Length(
            max=MAX_SEARCH_LENGTH, error=f"At most {MAX_SEARCH_LENGTH} characters."
        ),
        metadata={"description": "Words in the text, the author's name or company"},
    )

    @ma.post_load
    def _to_filters(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {"filters": ExportFilters(**data)}
