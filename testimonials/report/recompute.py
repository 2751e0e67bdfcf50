"""The NPS report recomputed from every answer: the reference the kept aggregates must equal.

Reads `feedback_items`, `testimonials` and `testimonial_tags` themselves, never the
aggregates (`nps_counts`, `nps_tagged_answers`), so the tests can compare the two. The
report's answer-side filters (`answer_conditions`) and trend are shared with the combined
reports, which read the same answers through migration 0042's indexes.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from testimonials.curation.models import Tag, Testimonial, testimonial_tags
from testimonials.db import UTCDateTime
from testimonials.harvest.models import FeedbackItem
from testimonials.report.nps import (
    NpsFilters,
    NpsReport,
    Segment,
    assembled,
    check_dates,
    column_segments,
    tag_segments,
    trend_of,
)
from testimonials.stats import NpsSummary, TrendPoint


def answered_at_expression() -> ColumnElement[datetime]:
    """When the respondent answered, if known, else when we received it (the report's date)."""
    # type_coerce keeps UTCDateTime's conversions (naive UTC on SQLite, aware results).
    return type_coerce(
        func.coalesce(FeedbackItem.submitted_at, FeedbackItem.received_at), UTCDateTime()
    )


def answer_conditions(
    workspace_id: int, filters: NpsFilters, with_tag: bool = True
) -> list[ColumnElement[bool]]:
    """The scored answers of the workspace the filters cover (`with_tag`: the tag filter too)."""
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
    if with_tag and filters.tag_id is not None:
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


def answer_segments(
    session: Session, workspace_id: int, filters: NpsFilters
) -> tuple[NpsSummary, dict[str, list[Segment]]]:
    """Overall summary and survey, channel and country segments, counted from the answers."""
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
        .where(*answer_conditions(workspace_id, filters))
        .group_by(
            FeedbackItem.survey_id,
            FeedbackItem.channel,
            FeedbackItem.country,
            FeedbackItem.nps_score,
        )
    ).all()
    return column_segments(session, workspace_id, rows)


def _tag_segments(session: Session, workspace_id: int, filters: NpsFilters) -> list[Segment]:
    """One segment per tag on the answers: an answer counts once under each of its tags."""
    tag_id = testimonial_tags.c.tag_id
    # Grouped by the link's tag id, names looked up after rather than joined: joined to
    # tags, PostgreSQL misjudges the tag filter's selectivity and loops over every link.
    rows = session.execute(
        select(tag_id, FeedbackItem.nps_score, func.count())
        .join(Testimonial, Testimonial.item_id == FeedbackItem.id)
        .join(testimonial_tags, testimonial_tags.c.testimonial_id == Testimonial.id)
        .where(*answer_conditions(workspace_id, filters), Testimonial.workspace_id == workspace_id)
        .group_by(tag_id, FeedbackItem.nps_score)
    )
    return tag_segments(session, workspace_id, typing.cast(Iterable[tuple[int, int, int]], rows))


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


def answer_trend(
    session: Session, workspace_id: int, filters: NpsFilters, granularity: str
) -> list[TrendPoint]:
    """The trend counted from the answers the filters cover (the tag filter included)."""
    # Answers per (period, score): at most 11 rows a period, however many answers.
    day = _answered_period(session.get_bind().dialect.name, granularity).label("period")
    rows = [
        (_as_day(when), score, count)
        for when, score, count in typing.cast(
            Iterable[tuple[Any, int, int]],
            session.execute(
                select(day, FeedbackItem.nps_score, func.count())
                .where(*answer_conditions(workspace_id, filters))
                .group_by(day, FeedbackItem.nps_score)
            ),
        )
    ]
    return trend_of(rows, granularity)


def recomputed_nps_report(
    session: Session, workspace_id: int, filters: NpsFilters, granularity: str = "month"
) -> NpsReport:
    """The same report computed from every answer: the aggregates' reference."""
    check_dates(filters)
    overall, segments = answer_segments(session, workspace_id, filters)
    segments["tag"] = _tag_segments(session, workspace_id, filters) if overall.n else []
    trend = answer_trend(session, workspace_id, filters, granularity) if overall.n else []
    return assembled(filters, granularity, overall, trend, segments)
