"""The plain-language verdict never overclaims; daily sequential reads stay honest."""

from __future__ import annotations

import numpy as np

from testimonials.stats import (
    Conversions,
    check_sample_ratio,
    fixed_horizon_test,
    sequential_test,
)
from testimonials.stats.verdict import MIN_CONVERSIONS, lift_verdict


def verdict(control: tuple[int, int], treatment: tuple[int, int], share: float = 0.5):
    c, t = Conversions(*control), Conversions(*treatment)
    srm = check_sample_ratio(c.units, t.units, share)
    return lift_verdict(fixed_horizon_test(c, t), srm, c.conversions, t.conversions)


def test_a_clear_lift_is_quoted_as_an_interval_not_a_point() -> None:
    v = verdict((20_000, 600), (20_000, 720))
    assert v.kind == "lift"
    assert v.message.startswith("Lift between +")
    assert "95% interval" in v.message and v.interval is not None and v.interval[0] > 0


def test_overlapping_zero_is_no_detectable_difference_and_a_drop_is_a_loss() -> None:
    flat = verdict((20_000, 600), (20_000, 610))
    assert flat.kind == "no_difference" and "between -" in flat.message
    assert verdict((20_000, 720), (20_000, 600)).kind == "loss"


def test_few_conversions_is_not_enough_data_whatever_the_interval_says() -> None:
    v = verdict((2_000, 3), (2_000, 25))
    assert v.kind == "not_enough_data"
    assert f"at least {MIN_CONVERSIONS} conversions" in v.message and "has 3" in v.message


def test_sample_ratio_mismatch_blocks_even_a_big_lift() -> None:
    v = verdict((9463, 300), (7681, 400))
    assert v.kind == "sample_ratio_mismatch"
    assert "Sample ratio mismatch" in v.message and v.interval is None
    # The same counts are fine when the experiment was set up for that split.
    assert verdict((9463, 300), (7681, 400), share=9463 / 17144).kind == "lift"


def test_undefined_lift_explains_itself() -> None:
    c, t = Conversions(5000, 40), Conversions(5000, 5000)
    v = lift_verdict(fixed_horizon_test(c, t), check_sample_ratio(5000, 5000), 40, 5000)
    assert v.kind == "undefined" and "no variation" in v.message


def test_daily_sequential_reads_keep_false_alarms_low_where_naive_peeking_does_not() -> None:
    rng = np.random.default_rng(11)
    runs, sequential_alarms, naive_alarms = 300, 0, 0
    for _ in range(runs):
        daily = rng.poisson(800, (30, 2))
        conversions = rng.binomial(daily, 0.03).cumsum(axis=0).tolist()
        units = daily.cumsum(axis=0).tolist()
        seq = naive = False
        for (n_c, n_t), (c_c, c_t) in zip(units, conversions, strict=True):
            c, t = Conversions(n_c, c_c), Conversions(n_t, c_t)
            enough = min(c_c, c_t) >= MIN_CONVERSIONS
            seq = seq or (enough and sequential_test(c, t).significant)
            naive = naive or (enough and fixed_horizon_test(c, t).significant)
        sequential_alarms += seq
        naive_alarms += naive
    assert sequential_alarms / runs <= 0.06
    assert naive_alarms / runs >= 0.15
