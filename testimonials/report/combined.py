"""NPS reports narrowed by two or more of survey, channel, country and tag.

No slice of `nps_counts` holds a dimension's segments within two others, so these reports
count their matching rows by index, each read a range of one covering index:
- without a tag filter, the overall and the survey, channel and country segments from the
  scored answers (migration 0042's indexes), the tag segments from `nps_tagged_answers`
  (migration 0049: a tag link of a scored answer with the answer's dimensions beside it);
- with a tag filter, all of them from that tag's rows of `nps_tagged_answers`, the tag
  segments (the other tags on those answers) by the link's key.
The trend of exactly two filters comes from their pair's slice of `nps_counts`; of three or
more, from the same rows as the segments. Both tables are kept by triggers in every write's
transaction, so the report is correct to the last answer.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from testimonials.report import aggregates
from testimonials.report.models import NpsTaggedAnswer
from testimonials.report.nps import (
    NpsFilters,
    NpsReport,
    Segment,
    assembled,
    column_segments,
    own_tag,
    tag_segments,
    trend_of,
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


def _tag_segments(session: Session, workspace_id: int, filters: NpsFilters) -> list[Segment]:
    """Every tag on the answers the filters cover; with a tag filter, the tags beside it."""
    if filters.tag_id is None:
        rows = session.execute(
            select(NpsTaggedAnswer.tag_id, NpsTaggedAnswer.nps_score, func.count())
            .where(*_tagged_conditions(workspace_id, filters))
            .group_by(NpsTaggedAnswer.tag_id, NpsTaggedAnswer.nps_score)
        )
    else:
        # The tag's rows found by index, then each one's links by the table's key.
        other = aliased(NpsTaggedAnswer)
        rows = session.execute(
            select(other.tag_id, NpsTaggedAnswer.nps_score, func.count())
            .join(other, other.testimonial_id == NpsTaggedAnswer.testimonial_id)
            .where(*_tagged_conditions(workspace_id, filters))
            .group_by(other.tag_id, NpsTaggedAnswer.nps_score)
        )
    return tag_segments(session, workspace_id, typing.cast(Iterable[tuple[int, int, int]], rows))


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
    if tagged and not own_tag(session, workspace_id, typing.cast(int, filters.tag_id)):
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
    segments["tag"] = _tag_segments(session, workspace_id, filters)
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
