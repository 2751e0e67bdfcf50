"""The share of visitors with a Wilson interval: equal to scipy, honest at small counts."""

from __future__ import annotations

import random

import pytest
from scipy.stats import binomtest

from testimonials.stats import MIN_VISITORS, wilson_share


@pytest.mark.parametrize(
    ("k", "n"), [(0, 1), (1, 1), (0, 4), (1, 5), (3, 7), (50, 100), (0, 10_000), (9_999, 10_000)]
)
def test_the_interval_equals_scipys_wilson_interval(k: int, n: int) -> None:
    share = wilson_share(k, n)
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert share.rate == pytest.approx(k / n)
    assert share.ci == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_random_cases_and_other_levels_equal_scipy() -> None:
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 5000)
        k = rng.randint(0, n)
        alpha = rng.choice([0.01, 0.05, 0.1])
        ci = binomtest(k, n).proportion_ci(confidence_level=1 - alpha, method="wilson")
        assert wilson_share(k, n, alpha).ci == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_zero_of_a_few_is_not_certainty_and_nobody_is_no_rate() -> None:
    none_of_four = wilson_share(0, 4)
    assert none_of_four.rate == 0 and none_of_four.ci is not None
    assert none_of_four.ci[0] == 0 and none_of_four.ci[1] > 0.4  # not "0% ± 0%"
    assert none_of_four.too_few and not wilson_share(3, MIN_VISITORS).too_few
    empty = wilson_share(0, 0)
    assert (empty.rate, empty.ci) == (None, None)
    with pytest.raises(ValueError):
        wilson_share(3, 2)
    with pytest.raises(ValueError):
        wilson_share(-1, 2)
