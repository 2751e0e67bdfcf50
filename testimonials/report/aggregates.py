"""The NPS report's counts, read from `nps_counts` (see report.models) instead of the answers.

A report filtered by at most one dimension (survey, channel, country or tag) and any dates
is answered from these counts: the trend from one slice's daily rows; segments from the
slice of that dimension with each other one, whole months from monthly rows and the days
at either end of the range from daily rows. So a report reads a few thousand rows however
many answers there are. Two dimension filters at once read their trend from the pair's
slice; their segments (a third dimension within two) have no slice, so the service counts
them from the answers, which migration 0042's indexes find without reading the others.
Three or more filters are recomputed from the answers.
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    and_,
    cast,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from testimonials.report.models import NpsCount

# A dimension's letter in the slices, and how its value is written as a key.
SURVEY, CHANNEL, COUNTRY, TAG = "s", "c", "k", "t"
ANSWER_DIMENSIONS = {SURVEY: "survey", CHANNEL: "channel", COUNTRY: "country"}
# The pair slices the migration keeps, each in its one stored order.
PAIRS = ("sc", "sk", "ck", "ts", "tc", "tk", "tt")
DIALECTS = ("sqlite", "postgresql")  # the databases whose migrations keep the counts


@dataclass(frozen=True)
class Narrowing:
    """The report's one dimension filter, as a slice letter and key (or none at all)."""

    dimension: str | None = None
    key: str = ""


@dataclass(frozen=True)
class Counts:
    """Answers per score: overall, per trend row, and per segment key of each dimension."""

    days: list[tuple[date, int, int]]
    segments: dict[str, dict[str, Counter[int]]]


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _in_range(date_from: date | None, date_to: date | None) -> list[tuple[bool, Any]]:
    """Rows covering [date_from, date_to] once: whole months monthly, the ends daily.

    As separate parts (whether daily, condition), each one span and one range of periods,
    so that each part is one range of an index: an OR of the parts made SQLite read the
    slice's every row.
    """
    period, span = NpsCount.period, NpsCount.span
    end = None if date_to is None else date_to + timedelta(days=1)  # exclusive
    first_month = (
        None if date_from is None else date_from if date_from.day == 1 else _next_month(date_from)
    )
    last_month_end = None if end is None else end.replace(day=1)  # exclusive
    if first_month and last_month_end and first_month >= last_month_end:
        # No whole month inside: days only.
        return [(True, and_(span == "d", period >= date_from, period < end))]
    months = [span == "m"]
    parts = []
    if first_month is not None and first_month != date_from:
        parts.append((True, and_(span == "d", period >= date_from, period < first_month)))
    if first_month is not None:
        months.append(period >= first_month)
    if last_month_end is not None:
        months.append(period < last_month_end)
        if last_month_end != end:
            parts.append((True, and_(span == "d", period >= last_month_end, period < end)))
    return [(False, and_(*months)), *parts]


def _daily(date_from: date | None, date_to: date | None) -> ColumnElement[bool]:
    conditions = [NpsCount.span == "d"]
    if date_from is not None:
        conditions.append(NpsCount.period >= date_from)
    if date_to is not None:
        conditions.append(NpsCount.period <= date_to)
    return and_(*conditions)


def period_of_day(dialect: str, day: Any, granularity: str) -> ColumnElement[date]:
    """The Monday starting the ISO week of a date column (as `stats.period_start` has it),
    or the first of its month."""
    if dialect == "sqlite":
        if granularity == "week":  # the Sunday on or after the day, minus six days
            return type_coerce(func.date(day, "weekday 0", "-6 days"), Date())
        return type_coerce(func.date(day, "start of month"), Date())
    # As a timestamp without time zone: a date alone would be read in the session's zone.
    return cast(func.date_trunc(granularity, cast(day, DateTime())), Date)


def _slice_of(narrowing: Narrowing, dimension: str) -> tuple[str, Any, list[Any]]:
    """Slice, grouped key column and conditions for `dimension`'s segments when narrowed."""
    narrowed = narrowing.dimension
    if narrowed == dimension == TAG:  # the other tags on answers carrying this one
        return TAG + TAG, NpsCount.key_b, [NpsCount.key_a == narrowing.key]
    if narrowed is None or narrowed == dimension:
        conditions = [] if narrowed is None else [NpsCount.key_a == narrowing.key]
        return dimension, NpsCount.key_a, conditions
    if narrowed + dimension in PAIRS:
        return narrowed + dimension, NpsCount.key_b, [NpsCount.key_a == narrowing.key]
    return dimension + narrowed, NpsCount.key_a, [NpsCount.key_b == narrowing.key]


def read_trend(
    session: Session,
    workspace_id: int,
    slice_name: str,
    keys: tuple[str, str],
    date_from: date | None,
    date_to: date | None,
    by_weeks: bool,
) -> list[tuple[date, int, int]]:
    """(period start, score, answers) of one slice's keys: by ISO week if `by_weeks`, else
    by month (whole months from monthly rows, the days at either end from daily rows)."""
    answers = func.sum(NpsCount.answers)
    dialect = session.get_bind().dialect.name
    period = period_of_day(dialect, NpsCount.period, "week") if by_weeks else NpsCount.period
    parts = (
        [_daily(date_from, date_to)] if by_weeks else [c for _, c in _in_range(date_from, date_to)]
    )
    selects = [
        select(period.label("period"), NpsCount.score, answers.label("answers"))
        .where(
            NpsCount.workspace_id == workspace_id,
            NpsCount.slice == slice_name,
            NpsCount.key_a == keys[0],
            NpsCount.key_b == keys[1],
            when,
        )
        .group_by(period, NpsCount.score)
        .having(answers > 0)
        for when in parts
    ]
    statement = selects[0] if len(selects) == 1 else union_all(*selects)
    # A month's start can come from its monthly row and a day of it: the trend buckets both.
    return list(typing.cast(Iterable[tuple[date, int, int]], session.execute(statement)))


def pair_of(given: dict[str, str]) -> tuple[str, tuple[str, str]] | None:
    """The pair slice and its (key_a, key_b) for exactly two dimension filters {letter: key}."""
    if len(given) != 2:
        return None
    (first, a), (second, b) = given.items()
    if first + second in PAIRS:
        return first + second, (a, b)
    if second + first in PAIRS:
        return second + first, (b, a)
    return None


def read_counts(
    session: Session,
    workspace_id: int,
    narrowing: Narrowing,
    date_from: date | None,
    date_to: date | None,
    by_weeks: bool,
) -> Counts:
    """The counts a report needs; the trend's rows by ISO week if `by_weeks`, else by month."""
    answers = func.sum(NpsCount.answers)
    mine = NpsCount.workspace_id == workspace_id
    days = read_trend(
        session,
        workspace_id,
        narrowing.dimension or "",
        (narrowing.key, ""),
        date_from,
        date_to,
        by_weeks,
    )
    segments: dict[str, dict[str, Counter[int]]] = {}
    if days:
        # Every dimension's segments in one statement: one grouped range per slice and part.
        parts = []
        for dimension in (*ANSWER_DIMENSIONS, TAG):
            slice_name, column, conditions = _slice_of(narrowing, dimension)
            # Narrowed, grouped by an expression, not the column: SQLite (without
            # statistics) would pick whichever index is ordered by the grouped column over
            # the one that finds the narrowed key (the "ts" slice of one tag: 1,470 -> 1 ms
            # at 1M). Not narrowed, the column's order is the primary key's: kept.
            key = column.concat("") if conditions else column
            segments[dimension] = {}
            for daily, when in _in_range(date_from, date_to):
                # key_b is always "" in a one-dimension slice: said of a range of days when
                # every key is wanted, it lets the range be found by the second key's index.
                # Not of months: the primary key, which holds the counts, reads them faster.
                every_day = [NpsCount.key_b == ""] if daily and not narrowing.dimension else []
                parts.append(
                    select(literal(dimension), key, NpsCount.score, answers)
                    .where(mine, NpsCount.slice == slice_name, *conditions, *every_day, when)
                    .group_by(key, NpsCount.score)
                    .having(answers > 0)
                )
        rows = session.execute(union_all(*parts))
        for dimension, value, score, count in typing.cast(
            Iterable[tuple[str, str, int, int]], rows
        ):
            segments[dimension].setdefault(value, Counter())[score] += count
    return Counts(days, segments)
