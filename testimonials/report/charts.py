"""Geometry for the report's server-rendered SVG charts (the template only draws it).

Numbers in, coordinates and plain-language descriptions out: no JavaScript library, and
every chart comes with a text alternative (its <title>/<desc> and a table of the same
numbers on the page).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from testimonials.stats import NpsSummary, TrendPoint

# Trend chart canvas (SVG user units; the SVG scales to the page width).
WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 20, 64
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
Y_TICKS = (100, 50, 0, -50, -100)
# More value labels or period ticks than these overlap; the table lists every period.
MAX_LABELS = 16
MAX_TICKS = 9


def points(value: float | None) -> str:
    """An NPS figure as shown everywhere on the page: signed, one decimal ('-' when none)."""
    if value is None:
        return "-"
    rounded = round(value, 1)
    return "0.0" if rounded == 0 else f"{rounded:+.1f}"


def percent(value: float | None) -> str:
    """A share as shown on the page: one decimal and a percent sign."""
    return "-" if value is None else f"{value:.1f}%"


@dataclass(frozen=True)
class BarPart:
    """One group's rectangle in the stacked bar (x and width in percent of the bar)."""

    group: str
    label: str
    count: int
    share: float
    x: float
    width: float
    show_label: bool  # wide enough to hold its own label


def group_bar(summary: NpsSummary) -> list[BarPart]:
    """Detractors, passives, promoters left to right, as the 0-10 scale runs."""
    if not summary.n:
        return []
    parts, x = [], 0.0
    for group, label, count, share in (
        ("detractor", "Detractors", summary.detractors, summary.detractor_share),
        ("passive", "Passives", summary.passives, summary.passive_share),
        ("promoter", "Promoters", summary.promoters, summary.promoter_share),
    ):
        share = share or 0.0
        parts.append(BarPart(group, label, count, share, x, share, share >= 12))
        x += share
    return parts


@dataclass(frozen=True)
class ChartPoint:
    """One period on the trend chart."""

    period: str
    x: float
    y: float | None  # None: no answers that period (the line breaks there)
    y_low: float | None
    y_high: float | None
    label: str
    show_label: bool
    show_tick: bool
    hollow: bool  # too few answers to trust


@dataclass(frozen=True)
class TrendChart:
    """Everything the template needs to draw the trend: scales, points, lines, text."""

    width: int
    height: int
    left: int
    right_edge: int
    top: int
    bottom_edge: int
    y_ticks: list[tuple[int, float]]
    zero_y: float
    points: list[ChartPoint]
    lines: list[str]  # SVG polyline "x,y x,y" runs, broken at empty periods
    x_title: str
    title: str
    desc: str


def _frame(left: int) -> dict[str, int]:
    """The canvas and plot edges every chart shares (SVG user units)."""
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": left,
        "right_edge": WIDTH - RIGHT,
        "top": TOP,
        "bottom_edge": TOP + PLOT_H,
    }


def y_of(value: float) -> float:
    """The SVG y of an NPS value on the fixed -100..+100 scale."""
    return round(TOP + (100 - value) / 200 * PLOT_H, 1)


def _describe(trend: list[TrendPoint], unit: str) -> str:
    filled = [p for p in trend if p.summary.nps is not None]
    if not filled:
        return "No answers in any period."
    first, last = filled[0], filled[-1]
    low = min(filled, key=lambda p: p.summary.nps or 0)
    high = max(filled, key=lambda p: p.summary.nps or 0)
    empty = len(trend) - len(filled)
    shaky = sum(p.summary.too_small for p in filled)
    parts = [
        f"NPS by {unit} from {trend[0].period} to {trend[-1].period}, on a scale of -100 to "
        f"+100. It starts at {points(first.summary.nps)} ({first.period}) and ends at "
        f"{points(last.summary.nps)} ({last.period}); lowest {points(low.summary.nps)} "
        f"({low.period}), highest {points(high.summary.nps)} ({high.period}).",
    ]
    if empty:
        parts.append(f"{empty} {unit}{'' if empty == 1 else 's'} had no answers.")
    if shaky:
        parts.append(
            f"{shaky} {unit}{'' if shaky == 1 else 's'} had too few answers to trust "
            "(hollow points)."
        )
    parts.append("The table below lists every period.")
    return " ".join(parts)


def trend_chart(trend: list[TrendPoint], granularity: str) -> TrendChart | None:
    """Lay out the trend on a fixed -100..+100 scale with a zero line; None when empty."""
    if not trend:
        return None
    unit = "week" if granularity == "week" else "month"
    count = len(trend)
    step = PLOT_W / count
    label_every = max(1, math.ceil(count / MAX_LABELS))
    tick_every = max(1, math.ceil(count / MAX_TICKS))
    chart_points: list[Any] = []
    lines: list[Any] = []
    run: list[Any] = []
    for i, period in enumerate(trend):
        s = period.summary
        x = round(LEFT + (i + 0.5) * step, 1)
        every = i % label_every == 0 or i == count - 1
        tick = i % tick_every == 0
        if s.nps is None:
            chart_points.append(
                ChartPoint(period.period, x, None, None, None, "", False, tick, False)
            )
            if run:
                lines.append(" ".join(run))
                run = []
            continue
        low, high = s.interval or (s.nps, s.nps)
        y = y_of(s.nps)
        run.append(f"{x},{y}")
        chart_points.append(
            ChartPoint(
                period.period,
                x,
                y,
                y_of(low),
                y_of(high),
                points(s.nps),
                every,
                tick,
                s.too_small,
            )
        )
    if run:
        lines.append(" ".join(run))
    return TrendChart(
        **_frame(LEFT),
        y_ticks=[(tick, y_of(tick)) for tick in Y_TICKS],
        zero_y=y_of(0),
        points=chart_points,
        lines=lines,
        x_title=f"{unit.capitalize()} (UTC{', ISO weeks from Monday' if unit == 'week' else ''})",
        title=f"NPS trend by {unit}",
        desc=_describe(trend, unit),
    )


LIFT_LEFT = 84  # room for "+150%" beside the rotated axis title


@dataclass(frozen=True)
class LiftChartPoint:
    """One day on the lift chart: cumulative lift and interval as they stood at its end."""

    day: str
    x: float
    y: float | None
    y_low: float | None
    y_high: float | None
    label: str
    show_tick: bool


@dataclass(frozen=True)
class LiftChart:
    """The daily cumulative lift with its interval band, on a symmetric percent scale."""

    width: int
    height: int
    left: int
    right_edge: int
    top: int
    bottom_edge: int
    y_ticks: list[tuple[str, float]]
    zero_y: float
    points: list[LiftChartPoint]
    line: str  # "x,y x,y ..." of the defined days
    band: str  # polygon "x,y ..." of the interval: highs left to right, lows back
    title: str
    desc: str


def signed_percent(value: float | None) -> str:
    """A relative lift as shown on the page: '+4.2%' ('-' when none)."""
    return "-" if value is None else f"{value * 100:+.1f}%"


def p_value(value: float | None) -> str:
    """A p-value as shown on the page: three decimals, '< 0.001' below that ('-' when none).

    Fixed decimals, so an always-valid p-value that never left 1 reads "1.000" beside
    "0.249", not a bare "1" that looks like a count.
    """
    if value is None:
        return "-"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def interval_percent(ci: tuple[float, float] | list[float] | None) -> str:
    """A lift interval as shown on the page: '-12.0% to +30.5%' ('-' when none).

    A conversion rate cannot fall below zero, so no relative lift is below -100%. Early
    intervals can reach further (the statistics are symmetric on the lift); their lower end
    is shown as "-100% (clipped)", and the exact figure stays in the API and the CSV.
    """
    if not ci:
        return "-"
    low, high = ci
    low_text = f"{signed_percent(-1.0)} (clipped)" if low < -1 else signed_percent(low)
    return f"{low_text} to {signed_percent(high)}"


def any_clipped(over_time: list[Any], *cis: Any) -> bool:
    """Whether any interval on the page has a lower end below -100% (shown clipped)."""
    lows = [p.ci[0] for p in over_time if p.ci] + [ci[0] for ci in cis if ci]
    return any(low < -1 for low in lows)


def _lift_scale(points: list[tuple[int, float, float]]) -> float:
    """Half-range of the y axis, in round steps up to 200%.

    Intervals are widest in the first days; scaling to them would flatten the weeks that
    matter, so the scale fits the later two thirds of the days (earlier bands are clipped
    at the edge, and the table and description give their numbers).
    """
    later = points[len(points) // 3 :]
    widest = max((max(abs(low), abs(high)) for _, low, high in later), default=0.1)
    for step in (0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0):
        if widest <= step:
            return step
    return 2.0


def lift_chart(over_time: list[Any], interval_name: str, level: str = "95%") -> LiftChart | None:
    """Lay out `over_time` (LiftPoint: day, relative_lift, ci); None without any day."""
    if not over_time:
        return None
    count = len(over_time)
    left = LIFT_LEFT
    step = (WIDTH - left - RIGHT) / count
    tick_every = max(1, math.ceil(count / MAX_TICKS))
    defined = [
        (i, p.ci[0], p.ci[1]) for i, p in enumerate(over_time) if p.relative_lift is not None
    ]
    half = _lift_scale(defined)

    def y_of_lift(value: float) -> float:
        clipped = max(-half, min(half, value))
        return round(TOP + (half - clipped) / (2 * half) * PLOT_H, 1)

    chart_points, line, highs, lows = [], [], [], []
    for i, p in enumerate(over_time):
        x = round(left + (i + 0.5) * step, 1)
        tick = i % tick_every == 0 or (i == count - 1 and i % tick_every >= tick_every / 2)
        if p.relative_lift is None:
            chart_points.append(LiftChartPoint(f"{p.day}", x, None, None, None, "-", tick))
            continue
        # The band stops at -100%: no conversion rate falls below zero.
        y, low = y_of_lift(p.relative_lift), y_of_lift(max(-1.0, p.ci[0]))
        high = y_of_lift(p.ci[1])
        line.append(f"{x},{y}")
        highs.append(f"{x},{high}")
        lows.append(f"{x},{low}")
        chart_points.append(
            LiftChartPoint(f"{p.day}", x, y, low, high, signed_percent(p.relative_lift), tick)
        )
    ticks = [half, half / 2, 0.0, -half / 2, -half]
    return LiftChart(
        **_frame(left),
        y_ticks=[(f"{t * 100:+.0f}%" if t else "0", y_of_lift(t)) for t in ticks],
        zero_y=y_of_lift(0.0),
        points=chart_points,
        line=" ".join(line),
        band=" ".join(highs + lows[::-1]),
        title=f"Cumulative lift in conversion rate by day, with its {interval_name}",
        desc=_describe_lift(over_time, interval_name, level, half),
    )


def _describe_lift(over_time: list[Any], interval_name: str, level: str, half: float) -> str:
    filled = [p for p in over_time if p.relative_lift is not None]
    span = f"from {over_time[0].day} to {over_time[-1].day}"
    if not filled:
        return f"No day {span} has a defined lift yet: the holdout has no conversions."
    last = filled[-1]
    above = sum(1 for p in filled if p.ci[0] > 0)
    below = sum(1 for p in filled if p.ci[1] < 0)
    parts = [
        f"Relative lift of the treatment over the holdout {span}, cumulative at each day's "
        f"end, with the {level} {interval_name} as a band (scale -{half:.0%} to +{half:.0%}, "
        "values beyond are drawn at the edge).",
        f"On {last.day} it stands at {signed_percent(last.relative_lift)}, interval "
        f"{interval_percent(last.ci)}.",
        f"The band was entirely above zero on {above} day{'' if above == 1 else 's'} and "
        f"entirely below zero on {below}.",
        "The table below lists every day.",
    ]
    return " ".join(parts)
