"""The NPS report of a workspace: overall score, trend and segments, computed in the database.

What counts: every item of the workspace with an NPS answer (`nps_score` not null). Items
whose respondent was erased still count: erasure removes who said it and what they wrote,
but a bare 0-10 answer detached from any person is not personal data, and dropping it
would silently rewrite past NPS figures.

Which date: the respondent's `submitted_at` when the channel knows it (imports and
webhooks often deliver answers days later), else the `received_at` we stored. The date
filters and the trend both use that same date, in UTC.

Where: a report narrowed by at most one of survey, channel, country and tag reads the
counts per day and month that the database keeps as answers are written (report.aggregates,
migration 0033), so it reads a few thousand rows however many answers there are. Two or
more of them at once count their matching answers and tag links by index (report.combined,
migrations 0042 and 0049). `recomputed_nps_report` (report.recompute) counts every answer
itself: the tests' reference, and the way on a database without the kept aggregates.
The report's shape and labels are in report.nps.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from testimonials.report import aggregates
from testimonials.report.combined import combined_report
from testimonials.report.nps import (
    DATE_BASIS,
    NpsFilters,
    NpsReport,
    Segment,
    assembled,
    check_dates,
    labelled,
    own_tag,
    tag_segments,
    trend_of,
    workspace_surveys,
    workspace_tags,
)
from testimonials.report.recompute import answered_at_expression, recomputed_nps_report
from testimonials.stats import summarise_score_counts

__all__ = [
    "DATE_BASIS",
    "NpsFilters",
    "NpsReport",
    "Segment",
    "answered_at_expression",
    "nps_report",
    "recomputed_nps_report",
    "workspace_surveys",
    "workspace_tags",
]


def nps_report(
    session: Session, workspace_id: int, filters: NpsFilters, granularity: str = "month"
) -> NpsReport:
    """The workspace's NPS: overall with a 95% interval, groups, trend and segments."""
    check_dates(filters)
    if session.get_bind().dialect.name not in aggregates.DIALECTS:
        return recomputed_nps_report(session, workspace_id, filters, granularity)
    given = _dimension_filters(filters)
    if len(given) > 1:
        return combined_report(session, workspace_id, filters, granularity, given)
    narrowing = aggregates.Narrowing(*next(iter(given.items()), (None, "")))
    if filters.tag_id is not None and not own_tag(session, workspace_id, filters.tag_id):
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
    trend = trend_of(counts.days, granularity)
    return assembled(filters, granularity, overall, trend, segments)


def _dimension_filters(filters: NpsFilters) -> dict[str, str]:
    """The report's dimension filters as {slice letter: key}, in the slices' letter order."""
    given = (
        (aggregates.SURVEY, filters.survey_id),
        (aggregates.CHANNEL, filters.channel and filters.channel.value),
        (aggregates.COUNTRY, filters.country and filters.country.upper()),
        (aggregates.TAG, filters.tag_id),
    )
    return {dimension: str(key) for dimension, key in given if key is not None}


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
    segments = labelled(session, workspace_id, by_dimension)
    tagged = found.get(aggregates.TAG, {})
    segments["tag"] = tag_segments(
        session,
        workspace_id,
        (
            (int(key), score, count)
            for key, scores in tagged.items()
            for score, count in scores.items()
        ),
    )
    return segments
