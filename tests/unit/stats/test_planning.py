"""Power screen, Benjamini-Hochberg and ROI: hand-checked values and simulated behaviour."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import false_discovery_control

from testimonials.stats import Conversions, fixed_horizon_test, sequential_test
from testimonials.stats.lift import LiftResult
from testimonials.stats.multiple import benjamini_hochberg
from testimonials.stats.power import plan_experiment
from testimonials.stats.roi import roi_interval


def test_power_needs_more_than_the_textbook_absolute_difference_figure() -> None:
    # 5% -> 6% at 80% power and alpha 0.05 needs 8,158 per arm for a test on the absolute
    # difference (Fleiss); a relative lift also carries the control rate's noise.
    plan = plan_experiment(0.05, 0.20)
    assert 8158 < plan.control_units < 9500
    assert plan.control_units == pytest.approx(plan.treatment_units, abs=1)
    assert plan.days is None


@pytest.mark.parametrize(("baseline", "lift", "share"), [(0.04, 0.25, 0.2), (0.01, 0.1, 0.5)])
def test_power_plan_reaches_its_power_in_simulation(baseline, lift, share) -> None:
    plan = plan_experiment(baseline, lift, control_share=share)
    rng = np.random.default_rng(5)
    runs, hits = 1000, 0
    c = rng.binomial(plan.control_units, baseline, runs)
    t = rng.binomial(plan.treatment_units, baseline * (1 + lift), runs)
    for ci, ti in zip(c, t, strict=True):
        result = fixed_horizon_test(
            Conversions(plan.control_units, int(ci)), Conversions(plan.treatment_units, int(ti))
        )
        hits += result.ci[0] > 0
    assert 0.77 <= hits / runs <= 0.87  # 80% target; 1.3 points is one standard error


def test_sequential_reads_need_more_visitors_and_still_have_power() -> None:
    fixed = plan_experiment(0.03, 0.2)
    plan = plan_experiment(0.03, 0.2, sequential=True)
    assert plan.units > fixed.units
    rng = np.random.default_rng(8)
    half = plan.control_units
    hits = 0
    for _ in range(400):
        result = sequential_test(
            Conversions(half, int(rng.binomial(half, 0.03))),
            Conversions(half, int(rng.binomial(half, 0.036))),
        )
        hits += result.ci[0] > 0
    assert hits / 400 >= 0.75


def test_a_short_experiment_still_runs_a_full_week() -> None:
    assert plan_experiment(0.05, 0.5, daily_units=100_000).days == 7
    plan = plan_experiment(0.01, 0.1, daily_units=2000)
    assert plan.days == -(-plan.units // 2000) > 7


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"baseline_rate": 0, "minimum_detectable_lift": 0.1}, "baseline"),
        ({"baseline_rate": 0.5, "minimum_detectable_lift": 1.5}, "below 1"),
        ({"baseline_rate": 0.05, "minimum_detectable_lift": -0.1}, "positive"),
        ({"baseline_rate": 0.05, "minimum_detectable_lift": 0.1, "power": 0.3}, "power"),
        ({"baseline_rate": 0.05, "minimum_detectable_lift": 0.1, "daily_units": 0}, "daily"),
    ],
)
def test_impossible_plans_are_refused(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        plan_experiment(**kwargs)


def test_benjamini_hochberg_equals_scipy_and_keeps_input_order() -> None:
    rng = np.random.default_rng(3)
    for size in (1, 2, 7, 40):
        p = [*rng.uniform(0, 0.2, size).tolist(), 0.0, 1.0]
        ours = benjamini_hochberg(p)
        assert [d.adjusted_p_value for d in ours] == pytest.approx(list(false_discovery_control(p)))
    found = benjamini_hochberg([0.01, 0.04, 0.03, 0.20], q=0.05)
    # m=4: sorted 0.01, 0.03, 0.04, 0.20 -> 0.04, 0.053, 0.053, 0.20: only the first.
    assert [d.discovered for d in found] == [True, False, False, False]
    with pytest.raises(ValueError, match="between 0 and 1"):
        benjamini_hochberg([0.5, 1.2])


def test_roi_interval_follows_the_lift_interval() -> None:
    lift = LiftResult("frequentist", 0.05, 0.10, (0.02, 0.18), 0.01, None)
    roi = roi_interval(
        lift, control_rate=0.05, treated_units=80_000, value_per_conversion=40, cost=5000
    )
    assert roi is not None
    assert roi.extra_conversions == pytest.approx((80, 400, 720))
    assert roi.extra_value == pytest.approx((3200, 16000, 28800))
    assert roi.roi == pytest.approx((-0.36, 2.2, 4.76))
    free = roi_interval(lift, 0.05, 80_000, 40)
    assert free is not None and free.roi is None
    undefined = LiftResult("frequentist", 0.05, 0, (0, 0), 1, None, "no conversions")
    assert roi_interval(undefined, 0.05, 100, 40, 10) is None
