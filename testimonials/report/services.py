"""The NPS report of a workspace: overall score, trend and segments, computed in the database.

What counts: every item of the workspace with an NPS answer (`nps_score` not null). Items
whose respondent was erased still count: erasure removes who said it and what they wrote,
but a bare 0-10 answer detached from any person is not personal data, and dropping it
would silently rewrite past NPS figures.

Which date: the respondent's `submitted_at` when the channel knows it (imports and
webhooks often deliver answers days later), else the `received_at` we stored. The date
filters and the trend both use that same date, in UTC.

Where: from the counts per day and month that the database keeps as answers are written
(report.aggregates, migration 0033), so a report reads a few thousand rows however many
answers there are. A report narrowed by two of survey, channel, country and tag reads its
trend from the pair's counts and its segments from the answers (found by migration 0042's
indexes); three or more at once are recomputed from the answers
(`recomputed_nps_report`, also the tests' reference).
"""

from __future__ import annotations

import typing
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from testimonials.curation.models import Tag, Testimonial, testimonial_tags
from testimonials.db import UTCDateTime
from testimonials.errors import InvalidInputError
from testimonials.harvest.models import Channel, FeedbackItem
from testimonials.harvest.surveys.models import Survey
from testimonials.report import aggregates
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

DATE_BASIS = "submitted_at when the respondent's answer time is known, else received_at (UTC)"
# Beyond this a chart is unreadable and the request is probably a mistake (a date in 1970).
MAX_TREND_PERIODS = 520
# Segments: survey, channel and country are columns of feedback_items, so all three come
# from one GROUP BY. Tags are a many-to-many (curation's testimonial_tags), so the "tag"
# segments have their own query grouping by (tag, nps_score): an item with two tags counts
# once under each, an untagged item under none, so tag segments need not add up to the
# overall.
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


def answered_at_expression() -> ColumnElement[datetime]:
    """When the respondent answered, if known, else when we received it (the report's date)."""
    # type_coerce keeps UTCDateTime's conversions (naive UTC on SQLite, aware results).
    return type_coerce(
        func.coalesce(FeedbackItem.submitted_at, FeedbackItem.received_at), UTCDateTime()
    )


def _conditions(workspace_id: int, filters: NpsFilters) -> list[ColumnElement[bool]]:
    answered_at = answered_at_expression()
    conditions = [FeedbackItem.workspace_id == workspace_id, FeedbackItem.nps_score.is_not(None)]
    if filters.date_from is not None:
        conditions.append(answered_at >= datetime.combine(filters.date_from, time(), UTC))
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), UTC)
        conditions.append(answered_at < end)
    if filters.survey_id is not None:
        conditions.append(FeedbackItem.survey_id == filters.survey_id)
    if filters.channel is not None:
        conditions.append(FeedbackItem.channel == filters.channel.value)
    if filters.country is not None:
        conditions.append(FeedbackItem.country == filters.country.upper())
    if filters.tag_id is not None:
        # Only this workspace's tag on this workspace's testimonials: another workspace's
        # tag id finds nothing, as another workspace's survey id does.
        conditions.append(
            FeedbackItem.id.in_(
                select(Testimonial.item_id)
                .join(testimonial_tags, testimonial_tags.c.testimonial_id == Testimonial.id)
                .join(Tag, Tag.id == testimonial_tags.c.tag_id)
                .where(
                    Testimonial.workspace_id == workspace_id,
                    Tag.workspace_id == workspace_id,
                    Tag.id == filters.tag_id,
                )
            )
        )
    return conditions


def _survey_names(session: Session, workspace_id: int, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(Survey.id, Survey.name).where(
            Survey.workspace_id == workspace_id, Survey.id.in_(ids)
        )
    )
    return {survey_id: name for survey_id, name in rows}


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


def _tag_segments(session: Session, workspace_id: int, filters: NpsFilters) -> list[Segment]:
    """One segment per tag on the answers: an answer counts once under each of its tags."""
    names = dict(workspace_tags(session, workspace_id))
    if not names:
        return []  # skip scanning the testimonials of a workspace that never tagged
    tag_id = testimonial_tags.c.tag_id
    # Grouped by the link's tag id, names looked up above rather than joined: joined to
    # tags, PostgreSQL misjudges the tag filter's selectivity and loops over every link.
    rows = session.execute(
        select(tag_id, FeedbackItem.nps_score, func.count())
        .join(Testimonial, Testimonial.item_id == FeedbackItem.id)
        .join(testimonial_tags, testimonial_tags.c.testimonial_id == Testimonial.id)
        .where(*_conditions(workspace_id, filters), Testimonial.workspace_id == workspace_id)
        .group_by(tag_id, FeedbackItem.nps_score)
    )
    counts: defaultdict[int, Counter[int]] = defaultdict(Counter)
    for key, score, count in typing.cast(Iterable[tuple[int, int, int]], rows):
        # A link to another workspace's tag (the services never make one) stays out.
        if key in names:
            counts[key][score] += count
    return _biggest_first(
        [
            Segment("tag", key, names[key], summarise_score_counts(scores))
            for key, scores in counts.items()
        ]
    )


def _biggest_first(segments: list[Segment]) -> list[Segment]:
    # The segments that move the overall score lead.
    return sorted(segments, key=lambda s: (-s.summary.n, s.label))


def _segments(
    session: Session, workspace_id: int, rows: list[Any]
) -> tuple[NpsSummary, dict[str, list[Segment]]]:
    """Overall summary and column segments from (survey, channel, country, score, n) rows."""
    overall: Counter[int] = Counter()
    by_dimension: dict[str, defaultdict[Any, Counter[int]]] = {
        dimension: defaultdict(Counter) for dimension in COLUMN_DIMENSIONS
    }
    for survey_id, channel, country, score, count in rows:
        overall[score] += count
        by_dimension["survey"][survey_id][score] += count
        by_dimension["channel"][channel][score] += count
        by_dimension["country"][country][score] += count
    return summarise_score_counts(overall), _labelled(session, workspace_id, by_dimension)


def _labelled(
    session: Session, workspace_id: int, by_dimension: dict[str, Any]
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
    segments = {
        dimension: _biggest_first(
            [
                Segment(dimension, key, labels[dimension](key), summarise_score_counts(scores))
                for key, scores in counts.items()
            ]
        )
        for dimension, counts in by_dimension.items()
    }
    return segments


def _answered_period(dialect: str, granularity: str) -> ColumnElement[Any]:
    """The first day (UTC) of each answer's week or month, computed by the database.

    The same rule as `stats.period_start` (ISO weeks from Monday); the pure function
    buckets the rows again, so a dialect without a fast path stays correct.
    """
    stored = func.coalesce(FeedbackItem.submitted_at, FeedbackItem.received_at)
    if dialect == "sqlite":
        # Stored as naive UTC text "YYYY-MM-DD HH:MM:SS.ffffff". Cut to the day first:
        # SQLite rounds 23:59:59.999999 up to the next day.
        day = func.substr(stored, 1, 10)
        if granularity == "week":
            return func.date(day, "weekday 0", "-6 days")  # the Sunday on/after, minus 6
        return func.date(day, "start of month")
    if dialect == "postgresql":
        return cast(func.date_trunc(granularity, func.timezone("UTC", stored)), Date)
    # Portable fallback: group by the exact time; still correct, only more rows come back.
    return answered_at_expression()


def _as_day(value: str | date | datetime) -> date | datetime:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _trend(
    session: Session, workspace_id: int, filters: NpsFilters, granularity: str
) -> list[TrendPoint]:
    # Answers per (period, score): at most 11 rows a period, however many answers.
    day = _answered_period(session.get_bind().dialect.name, granularity).label("period")
    rows = [
        (_as_day(when), score, count)
        for when, score, count in typing.cast(
            Iterable[tuple[Any, int, int]],
            session.execute(
                select(day, FeedbackItem.nps_score, func.count())
                .where(*_conditions(workspace_id, filters))
                .group_by(day, FeedbackItem.nps_score)
            ),
        )
    ]
    return _trend_of(rows, granularity)


def _trend_of(rows: list[tuple[Any, int, int]], granularity: str) -> list[TrendPoint]:
    """The trend of (day or moment, score, count) rows, refused if it has too many periods."""
    if not rows:
        return []
    first = period_start(min(when for when, _, _ in rows), granularity)  # type: ignore[arg-type]
    last = period_start(max(when for when, _, _ in rows), granularity)  # type: ignore[arg-type]
    span = _period_count(first, last, granularity)
    if span > MAX_TREND_PERIODS:
        raise InvalidInputError(
            f"These answers span {span} {granularity}s; a trend shows at most "
            f"{MAX_TREND_PERIODS}. Narrow the dates"
            + (" or use granularity=month." if granularity == "week" else "."),
            {"granularity": [f"Too many {granularity}s for one trend."]},
        )
    return nps_trend_from_counts(rows, granularity)  # type: ignore[arg-type]


def _period_count(first: date, last: date, granularity: str) -> int:
    """How many periods a trend from `first` to `last` (period starts) has, inclusive."""
    if granularity == "week":
        return (last - first).days // 7 + 1
    return (last.year - first.year) * 12 + last.month - first.month + 1


def nps_report(
    session: Session, workspace_id: int, filters: NpsFilters, granularity: str = "month"
) -> NpsReport:
    """The workspace's NPS: overall with a 95% interval, groups, trend and segments."""
    _check_dates(filters)
    if session.get_bind().dialect.name not in aggregates.DIALECTS:
        return recomputed_nps_report(session, workspace_id, filters, granularity)
    given = _dimension_filters(filters)
    pair = aggregates.pair_of(given)
    if pair is not None:
        return _combined_report(session, workspace_id, filters, granularity, pair)
    if len(given) > 1:
        return recomputed_nps_report(session, workspace_id, filters, granularity)
    narrowing = aggregates.Narrowing(*next(iter(given.items()), (None, "")))
    if filters.tag_id is not None and not _own_tag(session, workspace_id, filters.tag_id):
        # Another workspace's tag id finds nothing, as another workspace's survey id does.
        counts = aggregates.Counts([], {})
    else:
        counts = aggregates.read_counts(
            session,
            workspace_id,
            narrowing,
            filters.date_from,
            filters.date_to,
            by_weeks=granularity == "week",
        )
    overall_counts: Counter[int] = Counter()
    for _, score, count in counts.days:
        overall_counts[score] += count
    overall = summarise_score_counts(overall_counts)
    segments = _segments_of_counts(session, workspace_id, counts.segments)
    trend = _trend_of(counts.days, granularity)
    return _assembled(filters, granularity, overall, trend, segments)


def _own_tag(session: Session, workspace_id: int, tag_id: int) -> bool:
    found = session.scalar(select(Tag.id).where(Tag.id == tag_id, Tag.workspace_id == workspace_id))
    return found is not None


def _check_dates(filters: NpsFilters) -> None:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInputError(
            "The start date is after the end date.", {"from": ["Must be on or before `to`."]}
        )


def _dimension_filters(filters: NpsFilters) -> dict[str, str]:
    """The report's dimension filters as {slice letter: key}, in the slices' letter order."""
    given = (
        (aggregates.SURVEY, filters.survey_id),
        (aggregates.CHANNEL, filters.channel and filters.channel.value),
        (aggregates.COUNTRY, filters.country and filters.country.upper()),
        (aggregates.TAG, filters.tag_id),
    )
    return {dimension: str(key) for dimension, key in given if key is not None}


def _combined_report(
    session: Session,
    workspace_id: int,
    filters: NpsFilters,
    granularity: str,
    pair: tuple[str, tuple[str, str]],
) -> NpsReport:
    """A report narrowed by two dimensions: the trend from their pair's slice, the segments
    (a third dimension within the two, which no slice holds) from the answers themselves."""
    # Another workspace's tag finds no answers here, and then no trend is read.
    overall, segments = _segments_of_answers(session, workspace_id, filters)
    trend: list[TrendPoint] = []
    if overall.n:
        days = aggregates.read_trend(
            session,
            workspace_id,
            pair[0],
            pair[1],
            filters.date_from,
            filters.date_to,
            by_weeks=granularity == "week",
        )
        trend = _trend_of(days, granularity)
    return _assembled(filters, granularity, overall, trend, segments)


def _segments_of_counts(
    session: Session, workspace_id: int, found: dict[str, dict[str, Counter[int]]]
) -> dict[str, list[Segment]]:
    """Segments from the counts' keys (text) turned back into ids, channels and countries."""
    keys: dict[str, Any] = {
        "survey": lambda key: int(key) if key else None,
        "channel": lambda key: key,
        "country": lambda key: key or None,
    }
    by_dimension = {
        name: {keys[name](key): scores for key, scores in found.get(letter, {}).items()}
        for letter, name in aggregates.ANSWER_DIMENSIONS.items()
    }
    segments = _labelled(session, workspace_id, by_dimension)
    tagged = found.get(aggregates.TAG, {})
    names = dict(workspace_tags(session, workspace_id)) if tagged else {}
    segments["tag"] = _biggest_first(
        [
            Segment("tag", int(key), names[int(key)], summarise_score_counts(scores))
            for key, scores in tagged.items()
            # A link to another workspace's tag (the services never make one) stays out.
            if int(key) in names
        ]
    )
    return segments


def recomputed_nps_report(
    session: Session, workspace_id: int, filters: NpsFilters, granularity: str = "month"
) -> NpsReport:
    """The same report computed from every answer (several dimension filters at once)."""
    _check_dates(filters)
    overall, segments = _segments_of_answers(session, workspace_id, filters)
    trend = _trend(session, workspace_id, filters, granularity) if overall.n else []
    return _assembled(filters, granularity, overall, trend, segments)


def _segments_of_answers(
    session: Session, workspace_id: int, filters: NpsFilters
) -> tuple[NpsSummary, dict[str, list[Segment]]]:
    """Overall summary and every dimension's segments, counted from the answers."""
    # One pass over the answers, aggregated by the database: a few hundred rows at most
    # come back however many answers there are.
    rows = session.execute(
        select(
            FeedbackItem.survey_id,
            FeedbackItem.channel,
            FeedbackItem.country,
            FeedbackItem.nps_score,
            func.count(),
        )
        .where(*_conditions(workspace_id, filters))
        .group_by(
            FeedbackItem.survey_id,
            FeedbackItem.channel,
            FeedbackItem.country,
            FeedbackItem.nps_score,
        )
    ).all()
    overall, segments = _segments(session, workspace_id, list(rows))
    segments["tag"] = _tag_segments(session, workspace_id, filters) if overall.n else []
    return overall, segments


def _assembled(
    filters: NpsFilters,
    granularity: str,
    overall: NpsSummary,
    trend: list[TrendPoint],
    segments: dict[str, list[Segment]],
) -> NpsReport:
    warnings = [overall.warning] if overall.warning else []
    shaky = sum(s.summary.too_small for found in segments.values() for s in found)
    if overall.n and shaky:
        warnings.append(
            f"{shaky} segment{' rests' if shaky == 1 else 's rest'} on too few answers to "
            "compare; they are marked."
        )
    return NpsReport(filters, granularity, overall, trend, segments, warnings)
