"""Ratio metrics and capped revenue: our lift and intervals equal gbstats' on the same sums."""

from __future__ import annotations

import random

import pytest

from testimonials.stats import bayesian_test, fixed_horizon_test, sequential_test
from testimonials.stats.ratio import RatioTotals, capped_revenue, percentile_cap

gb_freq = pytest.importorskip("gbstats.frequentist.tests")
from gbstats.bayesian.tests import EffectBayesianABTest  # noqa: E402
from gbstats.models.statistics import RatioStatistic, SampleMeanStatistic  # noqa: E402


def gb_ratio(t: RatioTotals) -> RatioStatistic:
    return RatioStatistic(
        n=t.units,
        m_statistic=SampleMeanStatistic(
            n=t.units, sum=t.numerator_total, sum_squares=t.numerator_squares
        ),
        d_statistic=SampleMeanStatistic(
            n=t.units, sum=t.denominator_total, sum_squares=t.denominator_squares
        ),
        m_d_sum_of_products=t.cross_products,
    )


def visitors(rng: random.Random, n: int, view_rate: float, ctr: float) -> RatioTotals:
    pairs = []
    for _ in range(n):
        viewables = sum(rng.random() < view_rate for _ in range(4))
        clicks = sum(rng.random() < ctr for _ in range(viewables))
        pairs.append((float(clicks), float(viewables)))
    return RatioTotals.of(pairs)


@pytest.mark.parametrize("seed", range(8))
def test_click_through_lift_equals_gbstats_ratio_statistic(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.choice([50, 400, 3000])
    control = visitors(rng, n, 0.5, 0.05)
    treatment = visitors(rng, n + rng.randint(-20, 20), 0.5, 0.05 * rng.uniform(0.8, 1.5))
    a, b = gb_ratio(control), gb_ratio(treatment)
    assert control.mean == pytest.approx(a.mean) and control.variance == pytest.approx(a.variance)
    ours = fixed_horizon_test(control, treatment, 0.05)
    want = gb_freq.TwoSidedTTest(a, b).compute_result()
    assert ours.relative_lift == pytest.approx(want.expected, abs=1e-4)
    assert ours.ci == pytest.approx(tuple(want.ci), abs=1e-4)
    assert ours.p_value == pytest.approx(want.p_value, abs=1e-4)
    seq = sequential_test(control, treatment, 0.05, 1000)
    want = gb_freq.SequentialTwoSidedTTest(
        a, b, gb_freq.SequentialConfig(sequential_tuning_parameter=1000)
    ).compute_result()
    assert seq.ci == pytest.approx(tuple(want.ci), abs=1e-4)
    assert seq.p_value == pytest.approx(want.p_value, abs=1e-4)
    bayes = bayesian_test(control, treatment)
    assert bayes.chance_to_win == pytest.approx(
        EffectBayesianABTest(a, b).compute_result().chance_to_win, abs=1e-4
    )


def test_capped_revenue_per_visitor_equals_gbstats_and_tames_a_whale() -> None:
    rng = random.Random(7)
    orders_c = [rng.lognormvariate(3.5, 0.6) for _ in range(120)]
    orders_t = [rng.lognormvariate(3.5, 0.6) for _ in range(150)] + [25_000.0]  # one whale
    cap = percentile_cap(orders_c + orders_t, 99)
    assert cap < 1000
    control, treatment = capped_revenue(5000, orders_c, cap), capped_revenue(5000, orders_t, cap)
    a = SampleMeanStatistic(n=5000, sum=control.total, sum_squares=control.total_squares)
    b = SampleMeanStatistic(n=5000, sum=treatment.total, sum_squares=treatment.total_squares)
    ours = fixed_horizon_test(control, treatment)
    want = gb_freq.TwoSidedTTest(a, b).compute_result()
    assert ours.ci == pytest.approx(tuple(want.ci), abs=1e-4)
    assert ours.p_value == pytest.approx(want.p_value, abs=1e-4)
    uncapped = fixed_horizon_test(capped_revenue(5000, orders_c), capped_revenue(5000, orders_t))
    assert uncapped.relative_lift > 3 * ours.relative_lift  # the whale alone "wins" uncapped
    assert ours.ci[1] - ours.ci[0] < (uncapped.ci[1] - uncapped.ci[0]) / 3


@pytest.mark.parametrize(
    ("units", "values", "cap", "message"),
    [
        (2, [1.0, 2.0, 3.0], None, "more revenue values"),
        (5, [-1.0], None, "not negative"),
        (5, [float("nan")], None, "finite"),
        (5, [1.0], 0.0, "positive amount"),
        (-1, [], None, "negative"),
    ],
)
def test_bad_revenue_is_refused(units, values, cap, message) -> None:
    with pytest.raises(ValueError, match=message):
        capped_revenue(units, values, cap)


def test_percentile_cap_interpolates_and_ignores_non_buyers() -> None:
    assert percentile_cap([0, 0, 10, 20, 30, 40, 50], 50) == 30
    assert percentile_cap([10, 20], 75) == 17.5
    assert percentile_cap([0, 0], 99) == 0
    with pytest.raises(ValueError, match="percentile"):
        percentile_cap([1], 0)
