"""NPS maths: hand-computed scores, honest intervals at the edges, bands, and trends."""

from __future__ import annotations

import math
import statistics
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from testimonials.stats import (
    SMALL_SAMPLE_RULE,
    adjusted_wald_interval,
    bain_band,
    nps_group,
    nps_trend,
    nps_trend_from_counts,
    summarise_counts,
    summarise_nps,
)


@pytest.mark.parametrize(
    ("score", "group"),
    [
        (0, "detractor"),
        (6, "detractor"),
        (7, "passive"),
        (8, "passive"),
        (9, "promoter"),
        (10, "promoter"),
    ],
)
def test_groups_follow_bains_cut_offs(score: int, group: str) -> None:
    assert nps_group(score) == group


@pytest.mark.parametrize("bad", [-1, 11, 7.5, True, "9", None])
def test_answers_outside_0_to_10_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        summarise_nps([9, bad])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        nps_group(bad)  # type: ignore[arg-type]


def test_no_answers_gives_no_nps_and_says_so() -> None:
    s = summarise_nps([])
    assert (s.n, s.nps, s.margin_of_error, s.interval, s.band) == (0, None, None, None, None)
    assert s.shares == {"promoter": None, "passive": None, "detractor": None}
    assert s.too_small and "No responses yet" in (s.warning or "")


def test_a_single_promoter_is_plus_100_with_an_undefined_margin_and_a_wide_interval() -> None:
    s = summarise_nps([10])
    assert s.nps == 100 and s.band == "world class"
    # The textbook margin would be ±0 (no spread in one answer): we refuse to claim that.
    assert s.margin_of_error is None
    # Adjusted Wald by hand: P' = 1.75, D' = 0.75, n' = 4 -> centre 25, SE 0.375,
    # margin 1.96 * 0.375 * 100 = 73.5: -48.5 to +98.5, which leaves out the +100 observed,
    # so the shown interval reaches it.
    assert adjusted_wald_interval(1, 0, 1) == pytest.approx((25 - 73.5, 25 + 73.5))
    assert s.interval == pytest.approx((25 - 73.5, 100))
    assert s.too_small and "Only 1 answer " in (s.warning or "")


def test_all_passives_is_zero_and_all_detractors_is_minus_100() -> None:
    passives = summarise_nps([7, 8] * 20)
    assert passives.nps == 0 and passives.band == "needs improvement"
    assert passives.margin_of_error is None
    assert passives.passive_share == 100 and passives.promoter_share == 0
    low, high = passives.interval or (0, 0)
    assert low < 0 < high and low == pytest.approx(-high)  # symmetric, never zero-width

    detractors = summarise_nps([0, 3, 6] * 20)
    assert detractors.nps == -100 and detractors.margin_of_error is None
    assert detractors.band == "needs improvement"
    # P' = 0.75, D' = 60.75, n' = 63: the interval hugs -100 without pretending to be a point.
    low, high = detractors.interval or (0, 0)
    assert low == -100 and -100 < high < -85


def test_all_promoters_is_plus_100() -> None:
    s = summarise_nps([9, 10] * 250)
    assert (s.nps, s.promoters, s.band, s.margin_of_error) == (100, 500, "world class", None)
    assert s.interval is not None and s.interval[1] == 100 and 97 < s.interval[0] < 100
    assert not s.too_small and s.warning is None


def test_a_mixed_sample_matches_the_hand_computed_nps_and_margin() -> None:
    # 50 promoters, 30 passives, 20 detractors.
    s = summarise_nps([10] * 25 + [9] * 25 + [8] * 15 + [7] * 15 + [6] * 10 + [0] * 10)
    assert (s.n, s.promoters, s.passives, s.detractors) == (100, 50, 30, 20)
    assert s.shares == {"promoter": 50, "passive": 30, "detractor": 20}
    assert s.nps == pytest.approx(30)
    # variance = 0.5 + 0.2 - 0.3^2 = 0.61; SE = sqrt(0.61 / 100); MoE = 1.96 * SE * 100.
    assert s.margin_of_error == pytest.approx(1.96 * math.sqrt(0.0061) * 100)
    assert s.margin_of_error == pytest.approx(15.308, abs=1e-3)
    assert s.band == "favourable"
    # ±15 is wider than ±10: flagged, with the reason.
    assert s.too_small and "wider than ±10" in (s.warning or "")


def test_margin_is_the_textbook_one_for_answers_counted_plus_one_zero_minus_one() -> None:
    scores = [10, 9, 9, 8, 7, 6, 3, 10, 10, 2, 9, 8, 5]
    values = [1 if x >= 9 else 0 if x >= 7 else -1 for x in scores]
    expected = 1.96 * math.sqrt(statistics.pvariance(values) / len(values)) * 100
    s = summarise_nps(scores)
    assert s.margin_of_error == pytest.approx(expected)
    assert s.nps == pytest.approx(statistics.mean(values) * 100)


def test_a_large_balanced_sample_is_trusted() -> None:
    s = summarise_counts(promoters=600, passives=300, detractors=100)
    assert s.nps == pytest.approx(50) and s.band == "favourable"  # above 50 is excellent
    assert s.margin_of_error == pytest.approx(1.96 * math.sqrt(0.45 / 1000) * 100)
    assert not s.too_small and s.warning is None


def test_29_answers_are_flagged_even_when_they_agree() -> None:
    assert summarise_nps([10] * 29).too_small
    assert summarise_nps([10] * 29).warning.startswith("Only 29 answers")  # type: ignore[union-attr]
    assert "fewer than 30" in SMALL_SAMPLE_RULE and "±10" in SMALL_SAMPLE_RULE


@pytest.mark.parametrize(
    ("nps", "band"),
    [
        (-100, "needs improvement"),
        (0, "needs improvement"),
        (0.1, "good"),
        (20, "good"),
        (20.01, "favourable"),
        (50, "favourable"),
        (50.5, "excellent"),
        (80, "excellent"),
        (80.1, "world class"),
        (100, "world class"),
        (None, None),
    ],
)
def test_bain_bands_use_strict_thresholds(nps: float | None, band: str | None) -> None:
    assert bain_band(nps) == band


def _exact_coverage(n: int, p_p: float, p_d: float) -> tuple[float, float]:
    """Probability that the Wald and the adjusted interval contain the true NPS."""
    p_a, true = 1 - p_p - p_d, (p_p - p_d) * 100
    wald = adjusted = 0.0
    for promoters in range(n + 1):
        for detractors in range(n + 1 - promoters):
            passives = n - promoters - detractors
            probability = (
                math.factorial(n)
                / (
                    math.factorial(promoters)
                    * math.factorial(detractors)
                    * math.factorial(passives)
                )
                * p_p**promoters
                * p_d**detractors
                * p_a**passives
            )
            s = summarise_counts(promoters, passives, detractors)
            moe = s.margin_of_error or 0.0  # what a tool printing ±0 would claim
            assert s.nps is not None and s.interval is not None
            wald += probability * (s.nps - moe <= true <= s.nps + moe)
            adjusted += probability * (s.interval[0] <= true <= s.interval[1])
    return wald, adjusted


@pytest.mark.parametrize(
    ("n", "p_p", "p_d"), [(5, 0.8, 0.05), (10, 0.9, 0.02), (20, 0.5, 0.2), (30, 0.3, 0.3)]
)
def test_the_adjusted_interval_keeps_close_to_95_percent_where_wald_does_not(
    n: int, p_p: float, p_d: float
) -> None:
    wald, adjusted = _exact_coverage(n, p_p, p_d)
    assert adjusted >= 0.91
    assert adjusted >= wald


def test_adjusted_interval_is_clipped_and_undefined_without_answers() -> None:
    assert adjusted_wald_interval(0, 0, 0) is None
    low, high = adjusted_wald_interval(3, 0, 3) or (0, 0)
    assert -100 <= low < high <= 100


def _at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_weekly_trend_uses_iso_weeks_from_monday_and_fills_gaps_with_empty_points() -> None:
    answers = [
        (_at("2026-01-05"), 10),  # Monday, week 2
        (_at("2026-01-11", 23), 0),  # Sunday 23:00, still week 2
        (_at("2026-01-26"), 9),  # Monday, week 5 (weeks 3 and 4 empty)
    ]
    trend = nps_trend(answers, "week")
    assert [p.period for p in trend] == ["2026-W02", "2026-W03", "2026-W04", "2026-W05"]
    assert [p.summary.n for p in trend] == [2, 0, 0, 1]
    assert [p.summary.nps for p in trend] == [0, None, None, 100]
    assert trend[0].start == date(2026, 1, 5) and trend[0].end == date(2026, 1, 11)
    assert all(p.start.weekday() == 0 for p in trend)


def test_iso_week_years_and_time_zones_are_respected() -> None:
    # 2025-12-29 (Monday) is in ISO week 1 of 2026.
    assert nps_trend([(_at("2025-12-31"), 9)], "week")[0].period == "2026-W01"
    # 01:30 on Monday in UTC+02:00 is still Sunday in UTC: the previous week.
    plus_two = timezone(timedelta(hours=2))
    monday_early = datetime(2026, 1, 12, 1, 30, tzinfo=plus_two)
    assert nps_trend([(monday_early, 9)], "week")[0].start == date(2026, 1, 5)
    with pytest.raises(ValueError, match="timezone-aware"):
        nps_trend([(datetime(2026, 1, 12), 9)], "week")


def test_monthly_trend_crosses_a_year_and_keeps_empty_months() -> None:
    trend = nps_trend([(_at("2025-11-30"), 10), (_at("2026-02-01"), 3)], "month")
    assert [(p.period, p.summary.n) for p in trend] == [
        ("2025-11", 1),
        ("2025-12", 0),
        ("2026-01", 0),
        ("2026-02", 1),
    ]
    assert trend[0].end == date(2025, 11, 30) and trend[1].end == date(2025, 12, 31)


def test_trend_from_counts_matches_the_trend_from_answers() -> None:
    answers = [(_at("2026-03-02"), 9)] * 3 + [(_at("2026-03-04"), 5)] * 2
    counted = nps_trend_from_counts([(date(2026, 3, 2), 9, 3), (_at("2026-03-04"), 5, 2)], "week")
    assert counted == nps_trend(answers, "week")
    assert counted[0].summary.nps == pytest.approx(20)


def test_an_empty_trend_is_empty_and_a_bad_granularity_is_refused() -> None:
    assert nps_trend([], "month") == []
    with pytest.raises(ValueError, match="week' or 'month"):
        nps_trend([], "day")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="week' or 'month"):
        nps_trend([(_at("2026-01-01"), 9)], "day")  # type: ignore[arg-type]
