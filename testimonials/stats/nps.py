"""Net Promoter Score: groups, score, honest 95% intervals, Bain's bands, and trends.

Definitions (Bain & Company): a 0-10 "how likely are you to recommend us" answer is a
*promoter* at 9-10, a *passive* at 7-8 and a *detractor* at 0-6; NPS is the percentage of
promoters minus the percentage of detractors, from -100 to +100.

Uncertainty is given two ways, both at 95%:

* ``margin_of_error`` is the classic normal-approximation (Wald) figure most NPS tools
  print. Each answer counts +1 / 0 / -1, so with shares p_P and p_D the variance is
  p_P + p_D - (p_P - p_D)^2, SE = sqrt(variance / n) and the margin is 1.96 * SE * 100
  points. When every answer falls in one group (n = 1, all promoters, all passives, all
  detractors) that variance is 0 and the formula claims certainty; we return ``None``
  ("undefined") instead of a misleading ±0.
* ``interval`` is the adjusted-Wald interval (Rocks 2016, "Interval estimation for the
  Net Promoter Score", The American Statistician 70(4)), which covers close to 95% even
  for small samples: add 3/4 of a respondent to promoters and to detractors (and so 3/2
  to passives), i.e. n + 3 in all, compute the Wald interval on those adjusted counts
  (centred on the adjusted NPS, which is pulled slightly towards 0), and clip it to
  -100..+100. It is defined for every n >= 1 and never has zero width. With one or two
  answers the pull towards 0 can leave the observed NPS outside it (one promoter: +100,
  interval -48.5 to +98.5), which would state that the one thing the data shows is
  implausible; the summary's interval is then widened to reach the observed NPS (a wider
  interval covers at least as often, so coverage only rises).

A result is *too small to trust* when it rests on fewer than 30 answers or its 95%
interval is wider than ±10 points (more than 20 points from low to high).

Pure: plain values in, frozen dataclasses out; no Flask, no SQLAlchemy, nothing of ours.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

PROMOTER, PASSIVE, DETRACTOR = "promoter", "passive", "detractor"
Z95 = 1.96
MIN_TRUSTED_N = 30
MAX_TRUSTED_MARGIN = 10.0  # points either side
# Pseudo-respondents of the adjusted-Wald interval (Rocks 2016): 3/4 each to promoters and
# detractors, the remaining 3/2 to passives.
ADJUST_PROMOTERS = ADJUST_DETRACTORS = 0.75
ADJUST_N = 3.0

SMALL_SAMPLE_RULE = (
    f"A result is flagged as too small to trust when it rests on fewer than {MIN_TRUSTED_N} "
    f"answers or its 95% interval is wider than ±{MAX_TRUSTED_MARGIN:g} points."
)
METHOD = (
    "Promoters answered 9-10, passives 7-8, detractors 0-6; NPS = % promoters - % "
    "detractors (-100 to +100). margin_of_error is the classic 95% normal approximation, "
    "1.96 x sqrt((p_P + p_D - (p_P - p_D)^2) / n) x 100 points; it is null when every answer "
    "falls in one group (including n = 1), where that formula would claim a false ±0. "
    "interval is the 95% adjusted-Wald interval (Rocks 2016): 3/4 of a respondent added to "
    "promoters and to detractors (n + 3 in all), the same formula on the adjusted counts, "
    "clipped to -100..+100, and widened to reach the observed NPS where the adjustment "
    "would leave it outside (one or two answers); it is defined for any n >= 1. "
    + SMALL_SAMPLE_RULE
)

# Bain's bands, highest first: (NPS must be above this, label).
BANDS: tuple[tuple[float, str], ...] = (
    (80.0, "world class"),
    (50.0, "excellent"),
    (20.0, "favourable"),
    (0.0, "good"),
)
NEEDS_IMPROVEMENT = "needs improvement"

Granularity = Literal["week", "month"]
GRANULARITIES: tuple[str, ...] = ("week", "month")


def _checked_score(score: object) -> int:
    # bool is an int in Python; True is not a likelihood-to-recommend answer.
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValueError(f"An NPS answer is a whole number from 0 to 10, not {score!r}.")
    return score


def nps_group(score: int) -> str:
    """The group of a 0-10 answer: 'promoter' (9-10), 'passive' (7-8) or 'detractor' (0-6)."""
    score = _checked_score(score)
    if score >= 9:
        return PROMOTER
    return PASSIVE if score >= 7 else DETRACTOR


def bain_band(nps: float | None) -> str | None:
    """Bain's label for an NPS: above 80 world class, 50 excellent, 20 favourable, 0 good."""
    if nps is None:
        return None
    for floor, label in BANDS:
        if nps > floor:
            return label
    return NEEDS_IMPROVEMENT


@dataclass(frozen=True)
class NpsSummary:
    """NPS of a set of answers, with group counts and shares, uncertainty, band and warning."""

    n: int
    promoters: int
    passives: int
    detractors: int
    promoter_share: float | None  # percent of n, None when n = 0
    passive_share: float | None
    detractor_share: float | None
    nps: float | None
    margin_of_error: float | None  # classic Wald ± points; None when undefined
    interval: tuple[float, float] | None  # adjusted-Wald 95% (low, high)
    band: str | None
    too_small: bool
    warning: str | None

    @property
    def shares(self) -> dict[str, float | None]:
        """Group shares in percent, keyed by group."""
        return {
            PROMOTER: self.promoter_share,
            PASSIVE: self.passive_share,
            DETRACTOR: self.detractor_share,
        }


def _wald(promoters: float, detractors: float, n: float) -> tuple[float, float]:
    """(NPS in points, 95% margin in points) of the normal approximation."""
    p_p, p_d = promoters / n, detractors / n
    variance = max(0.0, p_p + p_d - (p_p - p_d) ** 2)  # max: rounding can dip below 0
    return (p_p - p_d) * 100.0, Z95 * math.sqrt(variance / n) * 100.0


def adjusted_wald_interval(promoters: int, detractors: int, n: int) -> tuple[float, float] | None:
    """The 95% adjusted-Wald interval of an NPS (Rocks 2016), clipped to -100..100."""
    if n <= 0:
        return None
    centre, margin = _wald(
        promoters + ADJUST_PROMOTERS, detractors + ADJUST_DETRACTORS, n + ADJUST_N
    )
    return max(-100.0, centre - margin), min(100.0, centre + margin)


def summarise_counts(promoters: int, passives: int, detractors: int) -> NpsSummary:
    """The NPS summary of given group counts."""
    if min(promoters, passives, detractors) < 0:
        raise ValueError("Group counts cannot be negative.")
    n = promoters + passives + detractors
    if n == 0:
        return NpsSummary(
            n=0,
            promoters=0,
            passives=0,
            detractors=0,
            promoter_share=None,
            passive_share=None,
            detractor_share=None,
            nps=None,
            margin_of_error=None,
            interval=None,
            band=None,
            too_small=True,
            warning="No responses yet, so there is no NPS to report.",
        )
    nps, margin = _wald(promoters, detractors, n)
    one_group = n in (promoters, passives, detractors)
    adjusted = adjusted_wald_interval(promoters, detractors, n)
    assert adjusted is not None
    interval = (min(adjusted[0], nps), max(adjusted[1], nps))
    half_width = (interval[1] - interval[0]) / 2
    warning = None
    if n < MIN_TRUSTED_N:
        warning = (
            f"Only {n} answer{'' if n == 1 else 's'} (fewer than {MIN_TRUSTED_N}): a few more "
            "could move this NPS a lot. Treat it as a hint, not a result."
        )
    elif half_width > MAX_TRUSTED_MARGIN:
        warning = (
            f"The 95% interval ({interval[0]:+.1f} to {interval[1]:+.1f}) is wider than "
            f"±{MAX_TRUSTED_MARGIN:g} points: collect more answers before comparing."
        )
    return NpsSummary(
        n=n,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        promoter_share=promoters / n * 100.0,
        passive_share=passives / n * 100.0,
        detractor_share=detractors / n * 100.0,
        nps=nps,
        margin_of_error=None if one_group else margin,
        interval=interval,
        band=bain_band(nps),
        too_small=warning is not None,
        warning=warning,
    )


def summarise_score_counts(counts: Mapping[int, int]) -> NpsSummary:
    """The NPS summary of {score: how many answered it} (e.g. a GROUP BY nps_score)."""
    groups = Counter[str]()
    for score, count in counts.items():
        if count < 0:
            raise ValueError("A count of answers cannot be negative.")
        groups[nps_group(score)] += count
    return summarise_counts(groups[PROMOTER], groups[PASSIVE], groups[DETRACTOR])


def summarise_nps(scores: Iterable[int]) -> NpsSummary:
    """The NPS summary of 0-10 answers; ValueError for anything outside 0-10."""
    return summarise_score_counts(Counter(_checked_score(s) for s in scores))


@dataclass(frozen=True)
class TrendPoint:
    """One period of an NPS trend: its label, first and last day (UTC), and its summary."""

    period: str  # "2026-W03" (ISO week) or "2026-01"
    start: date
    end: date  # last day, inclusive
    summary: NpsSummary


def period_start(moment: datetime | date, granularity: Granularity) -> date:
    """The first day (UTC) of the ISO week (Monday) or month that contains `moment`."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("Give timezone-aware datetimes; NPS periods are counted in UTC.")
        day = moment.astimezone(UTC).date()
    else:
        day = moment
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    raise ValueError(f"Granularity is 'week' or 'month', not {granularity!r}.")


def _next_start(start: date, granularity: Granularity) -> date:
    if granularity == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _label(start: date, granularity: Granularity) -> str:
    if granularity == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start.year}-{start.month:02d}"


def nps_trend_from_counts(
    counts: Iterable[tuple[datetime | date, int, int]], granularity: Granularity
) -> list[TrendPoint]:
    """A trend from (when, score, how many) rows; empty periods in between are n = 0 points."""
    buckets: dict[date, Counter[int]] = {}
    for moment, score, count in counts:
        _checked_score(score)
        buckets.setdefault(period_start(moment, granularity), Counter())[score] += count
    if not buckets:
        if granularity not in GRANULARITIES:
            raise ValueError(f"Granularity is 'week' or 'month', not {granularity!r}.")
        return []
    points = []
    start, last = min(buckets), max(buckets)
    while start <= last:
        following = _next_start(start, granularity)
        summary = summarise_score_counts(buckets.get(start, {}))
        points.append(
            TrendPoint(_label(start, granularity), start, following - timedelta(days=1), summary)
        )
        start = following
    return points


def nps_trend(points: Iterable[tuple[datetime, int]], granularity: Granularity) -> list[TrendPoint]:
    """NPS per ISO week (from Monday, UTC) or month, from (when, score) answers.

    Every period between the first and the last answer is present, empty ones as n = 0
    points, so a chart never draws a line straight across a gap in the data.
    """
    return nps_trend_from_counts(((when, score, 1) for when, score in points), granularity)
