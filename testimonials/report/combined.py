"""NPS reports narrowed by two or more of survey, channel, country and tag.

No slice of `nps_counts` holds a dimension's segments within two others, so these reports
count their matching rows by index, each read a range of one covering index:
- without a tag filter, the overall and the survey, channel and country segments from the
  scored answers (migration 0042's indexes), the tag segments from `nps_tagged_answers`
  (migration 0049: a tag link of a scored answer with the answer's dimensions beside it);
- with a tag filter, all of them from that tag's rows of `nps_tagged_answers`, the tag
  segments (the tags beside it on those answers) from the testimonials' tag sets.
The trend of exactly two filters comes from their pair's slice of `nps_counts`; of three or
more, from the same rows as the segments. Both tables are kept by triggers in every write's
transaction, so the report is correct to the last answer.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from testimonials.report import aggregates
from testimonials.report.models import NpsTaggedAnswer
from testimonials.report.nps import (
    NpsFilters,
    NpsReport,
    Segment,
    assembled,
    column_segments,
    tag_segments,
    trend_of,
    workspace_tags,
)
from testimonials.report.recompute import answer_segments, answer_trend
from testimonials.stats import NpsSummary, TrendPoint, summarise_score_counts


def _tagged_conditions(
    workspace_id: int, filters: NpsFilters, row: Any = NpsTaggedAnswer
) -> list[ColumnElement[bool]]:
    """The tagged answers (`row`: the table or an alias) the filters cover, tag included."""
    conditions = [row.workspace_id == workspace_id]
    if filters.tag_id is not None:
        conditions.append(row.tag_id == filters.tag_id)
    if filters.survey_id is not None:
        conditions.append(row.survey_id == filters.survey_id)
    if filters.channel is not None:
        conditions.append(row.channel == filters.channel.value)
    if filters.country is not None:
        conditions.append(row.country == filters.country.upper())
    if filters.date_from is not None:
        conditions.append(row.answered_on >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(row.answered_on <= filters.date_to)
    return conditions


def _tag_segments(
    session: Session, workspace_id: int, filters: NpsFilters, names: dict[int, str] | None
) -> list[Segment]:
    """Every tag on the answers the filters cover; with a tag filter, the tags beside it."""
    rows: Iterable[tuple[int, int, int]]
    if filters.tag_id is None:
        rows = typing.cast(
            Iterable[tuple[int, int, int]],
            session.execute(
                select(NpsTaggedAnswer.tag_id, NpsTaggedAnswer.nps_score, func.count())
                .where(*_tagged_conditions(workspace_id, filters))
                .group_by(NpsTaggedAnswer.tag_id, NpsTaggedAnswer.nps_score)
            ),
        )
    else:
        # The tag's rows in one index range, grouped by their testimonial's whole tag set:
        # each set's answers count once under every tag in it (the filtered tag included).
        sets = session.execute(
            select(NpsTaggedAnswer.tag_set, NpsTaggedAnswer.nps_score, func.count())
            .where(*_tagged_conditions(workspace_id, filters))
            .group_by(NpsTaggedAnswer.tag_set, NpsTaggedAnswer.nps_score)
        )
        rows = [
            (int(tag), score, count)
            for tag_set, score, count in typing.cast(Iterable[tuple[str, int, int]], sets)
            for tag in tag_set.split(",")
        ]
    return tag_segments(session, workspace_id, rows, names)


def _tagged_segments(
    session: Session, workspace_id: int, filters: NpsFilters
) -> tuple[NpsSummary, dict[str, list[Segment]]]:
    """Overall and column segments of the answers carrying the filter's tag."""
    rows = session.execute(
        select(
            NpsTaggedAnswer.survey_id,
            NpsTaggedAnswer.channel,
            NpsTaggedAnswer.country,
            NpsTaggedAnswer.nps_score,
            func.count(),
        )
        .where(*_tagged_conditions(workspace_id, filters))
        .group_by(
            NpsTaggedAnswer.survey_id,
            NpsTaggedAnswer.channel,
            NpsTaggedAnswer.country,
            NpsTaggedAnswer.nps_score,
        )
    ).all()
    return column_segments(session, workspace_id, rows)


def _tagged_trend(
    session: Session, workspace_id: int, filters: NpsFilters, granularity: str
) -> list[TrendPoint]:
    """The trend of the answers carrying the filter's tag, by week or month of their day."""
    dialect = session.get_bind().dialect.name
    period = aggregates.period_of_day(dialect, NpsTaggedAnswer.answered_on, granularity)
    rows = session.execute(
        select(period, NpsTaggedAnswer.nps_score, func.count())
        .where(*_tagged_conditions(workspace_id, filters))
        .group_by(period, NpsTaggedAnswer.nps_score)
    )
    return trend_of(list(typing.cast(Iterable[tuple[Any, int, int]], rows)), granularity)


def combined_report(
    session: Session,
    workspace_id: int,
    filters: NpsFilters,
    granularity: str,
    given: dict[str, str],
) -> NpsReport:
    """The report of two or more dimension filters (`given`: {slice letter: key})."""
    tagged = filters.tag_id is not None
    # With a tag filter the workspace's tags are read first: they tell whether the tag is
    # the workspace's, and label the tag segments.
    names = dict(workspace_tags(session, workspace_id)) if tagged else None
    if names is not None and filters.tag_id not in names:
        # Another workspace's tag id finds nothing, as another workspace's survey id does.
        overall = summarise_score_counts({})
        empty: dict[str, list[Segment]] = {"survey": [], "channel": [], "country": []}
        return assembled(filters, granularity, overall, [], {**empty, "tag": []})
    if tagged:
        overall, segments = _tagged_segments(session, workspace_id, filters)
    else:
        overall, segments = answer_segments(session, workspace_id, filters)
    if not overall.n:
        return assembled(filters, granularity, overall, [], {**segments, "tag": []})
    segments["tag"] = _tag_segments(session, workspace_id, filters, names)
    pair = aggregates.pair_of(given)
    trend: list[TrendPoint]
    if pair is not None:
        days = aggregates.read_trend(
            session,
            workspace_id,
            pair[0],
            pair[1],
            filters.date_from,
            filters.date_to,
            by_weeks=granularity == "week",
        )
        trend = trend_of(days, granularity)
    elif tagged:
        trend = _tagged_trend(session, workspace_id, filters, granularity)
    else:
        trend = answer_trend(session, workspace_id, filters, granularity)
    return assembled(filters, granularity, overall, trend, segments)
