"""What an NPS report is: its filters, segments and shape, and how its parts are labelled.

Shared by every way a report is computed (services: from the counts; combined: from the
answers and the tagged answers; recompute: from every answer, the reference).
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Tag
from testimonials.errors import InvalidInputError
from testimonials.harvest.models import Channel
from testimonials.harvest.surveys.models import Survey
from testimonials.stats import (
    DETRACTOR,
    METHOD,
    PASSIVE,
    PROMOTER,
    SMALL_SAMPLE_RULE,
    NpsSummary,
    TrendPoint,
    nps_trend_from_counts,
    period_start,
    summarise_score_counts,
)
from testimonials.stats.nps import Granularity

DATE_BASIS = "submitted_at when the respondent's answer time is known, else received_at (UTC)"
# Beyond this a chart is unreadable and the request is probably a mistake (a date in 1970).
MAX_TREND_PERIODS = 520
# Segments: survey, channel and country are columns of feedback_items. Tags are a
# many-to-many (curation's testimonial_tags): an item with two tags counts once under each,
# an untagged item under none, so tag segments need not add up to the overall.
COLUMN_DIMENSIONS = ("survey", "channel", "country")
NO_SURVEY_LABEL = "No survey (API, imports, webhooks)"
UNKNOWN_COUNTRY_LABEL = "Unknown"


@dataclass(frozen=True)
class NpsFilters:
    """Which answers the report covers; `date_to` is inclusive (the whole day, UTC)."""

    date_from: date | None = None
    date_to: date | None = None
    survey_id: int | None = None
    channel: Channel | None = None
    country: str | None = None
    tag_id: int | None = None


@dataclass(frozen=True)
class Segment:
    """The NPS of one value of a dimension (one survey, channel, country or tag)."""

    dimension: str
    key: int | str | None
    label: str
    summary: NpsSummary


@dataclass(frozen=True)
class GroupCount:
    """One of Bain's groups in a result: which answers, how many, what share."""

    group: str
    scores: str
    count: int
    share: float | None


@dataclass(frozen=True)
class NpsReport:
    """Everything the NPS report shows, for one workspace and one set of filters."""

    filters: NpsFilters
    granularity: str
    overall: NpsSummary
    trend: list[TrendPoint]
    segments: dict[str, list[Segment]]
    warnings: list[str] = field(default_factory=list)
    method: str = METHOD
    small_sample_rule: str = SMALL_SAMPLE_RULE
    date_basis: str = DATE_BASIS

    @property
    def groups(self) -> list[GroupCount]:
        """The overall promoters, passives and detractors, with their shares."""
        o = self.overall
        return [
            GroupCount(PROMOTER, "9-10", o.promoters, o.promoter_share),
            GroupCount(PASSIVE, "7-8", o.passives, o.passive_share),
            GroupCount(DETRACTOR, "0-6", o.detractors, o.detractor_share),
        ]


def workspace_surveys(session: Session, workspace_id: int) -> list[tuple[int, str]]:
    """(id, name) of the workspace's surveys, by name, for the report's survey filter."""
    rows = session.execute(
        select(Survey.id, Survey.name)
        .where(Survey.workspace_id == workspace_id)
        .order_by(Survey.name, Survey.id)
    )
    return [(survey_id, name) for survey_id, name in rows]


def workspace_tags(session: Session, workspace_id: int) -> list[tuple[int, str]]:
    """(id, name) of the workspace's tags, by name, for the report's tag filter."""
    rows = session.execute(
        select(Tag.id, Tag.name).where(Tag.workspace_id == workspace_id).order_by(Tag.name, Tag.id)
    )
    return [(tag_id, name) for tag_id, name in rows]


def own_tag(session: Session, workspace_id: int, tag_id: int) -> bool:
    """Whether the tag is the workspace's: another workspace's tag id finds nothing."""
    found = session.scalar(select(Tag.id).where(Tag.id == tag_id, Tag.workspace_id == workspace_id))
    return found is not None


def _survey_names(session: Session, workspace_id: int, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(Survey.id, Survey.name).where(
            Survey.workspace_id == workspace_id, Survey.id.in_(ids)
        )
    )
    return {survey_id: name for survey_id, name in rows}


def biggest_first(segments: list[Segment]) -> list[Segment]:
    """The segments that move the overall score lead."""
    return sorted(segments, key=lambda s: (-s.summary.n, s.label))


def column_segments(
    session: Session, workspace_id: int, rows: Iterable[Any]
) -> tuple[NpsSummary, dict[str, list[Segment]]]:
    """Overall summary and column segments from (survey, channel, country, score, n) rows."""
    overall: Counter[int] = Counter()
    by_dimension: dict[str, dict[Any, Counter[int]]] = {
        dimension: {} for dimension in COLUMN_DIMENSIONS
    }
    for survey_id, channel, country, score, count in rows:
        overall[score] += count
        for dimension, key in zip(COLUMN_DIMENSIONS, (survey_id, channel, country), strict=True):
            by_dimension[dimension].setdefault(key, Counter())[score] += count
    return summarise_score_counts(overall), labelled(session, workspace_id, by_dimension)


def labelled(
    session: Session, workspace_id: int, by_dimension: Mapping[str, Mapping[Any, Counter[int]]]
) -> dict[str, list[Segment]]:
    """Segments of each column dimension from {dimension: {key: score counts}}, labelled."""
    names = _survey_names(
        session, workspace_id, {k for k in by_dimension["survey"] if k is not None}
    )
    labels = {
        "survey": lambda key: NO_SURVEY_LABEL if key is None else names.get(key, f"Survey {key}"),
        "channel": lambda key: str(key).replace("_", " "),
        "country": lambda key: UNKNOWN_COUNTRY_LABEL if key is None else key,
    }
    return {
        dimension: biggest_first(
            [
                Segment(dimension, key, labels[dimension](key), summarise_score_counts(scores))
                for key, scores in counts.items()
            ]
        )
        for dimension, counts in by_dimension.items()
    }


def tag_segments(
    session: Session,
    workspace_id: int,
    rows: Iterable[tuple[int, int, int]],
    names: dict[int, str] | None = None,
) -> list[Segment]:
    """Tag segments from (tag id, score, answers) rows, labelled with the workspace's tags
    (`names`, if already read)."""
    counts: dict[int, Counter[int]] = {}
    for key, score, count in rows:
        counts.setdefault(key, Counter())[score] += count
    if names is None:
        names = dict(workspace_tags(session, workspace_id)) if counts else {}
    return biggest_first(
        [
            Segment("tag", key, names[key], summarise_score_counts(scores))
            for key, scores in counts.items()
            # A link to another workspace's tag (the services never make one) stays out.
            if key in names
        ]
    )


def trend_of(rows: list[tuple[Any, int, int]], granularity: str) -> list[TrendPoint]:
    """The trend of (day or moment, score, count) rows, refused if it has too many periods."""
    if not rows:
        return []
    by = typing.cast(Granularity, granularity)
    first = period_start(min(when for when, _, _ in rows), by)
    last = period_start(max(when for when, _, _ in rows), by)
    span = _period_count(first, last, granularity)
    if span > MAX_TREND_PERIODS:
        raise InvalidInputError(
            f"These answers span {span} {granularity}s; a trend shows at most "
            f"{MAX_TREND_PERIODS}. Narrow the dates"
            + (" or use granularity=month." if granularity == "week" else "."),
            {"granularity": [f"Too many {granularity}s for one trend."]},
        )
    return nps_trend_from_counts(rows, by)


def _period_count(first: date, last: date, granularity: str) -> int:
    """How many periods a trend from `first` to `last` (period starts) has, inclusive."""
    if granularity == "week":
        return (last - first).days // 7 + 1
    return (last.year - first.year) * 12 + last.month - first.month + 1


def check_dates(filters: NpsFilters) -> None:
    """Refuse a range that ends before it starts."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInputError(
            "The start date is after the end date.", {"from": ["Must be on or before `to`."]}
        )


def assembled(
    filters: NpsFilters,
    granularity: str,
    overall: NpsSummary,
    trend: list[TrendPoint],
    segments: dict[str, list[Segment]],
) -> NpsReport:
    """The report with its warnings: a small overall sample, segments too small to compare."""
    warnings = [overall.warning] if overall.warning else []
    shaky = sum(s.summary.too_small for found in segments.values() for s in found)
    if overall.n and shaky:
        warnings.append(
            f"{shaky} segment{' rests' if shaky == 1 else 's rest'} on too few answers to "
            "compare; they are marked."
        )
    return NpsReport(filters, granularity, overall, trend, segments, warnings)
