"""GrowthBook's gbstats, called the way its engine calls it, as the reference for our maths."""

from __future__ import annotations

import random
import warnings
from dataclasses import dataclass

import pytest

gbstats_tests = pytest.importorskip("gbstats.frequentist.tests")
from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig  # noqa: E402
from gbstats.frequentist.tests import (  # noqa: E402
    FrequentistConfig,
    SequentialConfig,
    SequentialTwoSidedTTest,
    TwoSidedTTest,
)
from gbstats.models.statistics import ProportionStatistic  # noqa: E402
from gbstats.utils import check_srm  # noqa: E402


@dataclass(frozen=True)
class Case:
    """One comparison: counts per arm and the settings of the test."""

    control_units: int
    control_conversions: int
    treatment_units: int
    treatment_conversions: int
    alpha: float = 0.05
    tuning: float = 5000
    control_share: float = 0.5


def reference(case: Case, method: str) -> dict:
    """gbstats' relative lift, interval, p-value / chance to win and SRM p-value."""
    with warnings.catch_warnings():
        # gbstats lets numpy overflow to inf on huge effects (its p-value is then 0).
        warnings.simplefilter("ignore", RuntimeWarning)
        return _reference(case, method)


def _reference(case: Case, method: str) -> dict:
    a = ProportionStatistic(n=case.control_units, sum=case.control_conversions)
    b = ProportionStatistic(n=case.treatment_units, sum=case.treatment_conversions)
    if method == "frequentist":
        res = TwoSidedTTest(a, b, FrequentistConfig(alpha=case.alpha)).compute_result()
        p, ctw = res.p_value, None
    elif method == "sequential":
        config = SequentialConfig(alpha=case.alpha, sequential_tuning_parameter=case.tuning)
        res = SequentialTwoSidedTTest(a, b, config).compute_result()
        p, ctw = res.p_value, None
    else:
        res = EffectBayesianABTest(a, b, EffectBayesianConfig(alpha=case.alpha)).compute_result()
        p, ctw = None, res.chance_to_win
    srm = check_srm(
        [case.control_units, case.treatment_units],
        [case.control_share, 1 - case.control_share],
    )
    return {
        "relative_lift": float(res.expected),
        "ci": [float(res.ci[0]), float(res.ci[1])],
        "p_value": None if p is None else float(p),
        "chance_to_win": None if ctw is None else float(ctw),
        "srm_p_value": float(srm),
    }


EDGE_CASES = [
    Case(1000, 0, 1000, 0),  # nobody converted
    Case(1000, 0, 1000, 5),  # control has no conversions: lift undefined
    Case(1000, 5, 1000, 0),  # treatment has none: no variation there
    Case(10, 10, 10, 9),  # everyone converted in control
    Case(1, 0, 1, 1),  # one visitor per arm
    Case(1, 1, 2, 1),
    Case(2, 1, 2, 1),  # tiny and equal
    Case(3, 1, 4, 2),
    Case(5, 1, 5, 2),
    Case(20, 1, 20, 1),
    Case(5000, 100, 5000, 100),  # equal arms
    Case(10**9, 2 * 10**7, 10**9, 2 * 10**7 + 30000),  # huge
    Case(10**12, 10**10, 10**12 + 10**6, 10**10 + 10**5),
    Case(9463, 300, 7681, 260),  # the SRM story
    Case(1000, 50, 1000, 65, alpha=0.1),
    Case(1000, 50, 1000, 65, alpha=0.01),
    Case(1000, 50, 1000, 65, alpha=0.2, tuning=100),
    Case(100000, 2000, 100000, 2300, tuning=1),
    Case(100000, 2000, 100000, 2300, tuning=10**9),
    Case(100000, 2000, 100000, 2300, tuning=2500.5),  # N* need not be whole
    Case(20000, 400, 80000, 1700, control_share=0.2),  # a 20% holdout
    Case(20000, 400, 80000, 1700, control_share=0.5),  # ... checked against 50/50
    Case(100, 99, 100, 1),  # a collapse
    Case(100, 1, 100, 99),  # a 98x lift
]


def random_cases(count: int, seed: int = 12) -> list[Case]:
    """Seeded cases across baselines 0.1-60%, sizes 2-10^7, lifts -50%..+100%, alphas."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        n_c = int(10 ** rng.uniform(0.3, 7))
        n_t = max(1, int(n_c * rng.uniform(0.5, 2)))
        base = 10 ** rng.uniform(-3, -0.2)
        lift = rng.uniform(-0.5, 1.0)
        c = min(n_c, round(n_c * base * rng.uniform(0.8, 1.2)))
        t = min(n_t, round(n_t * base * (1 + lift)))
        cases.append(
            Case(
                n_c,
                c,
                n_t,
                t,
                alpha=rng.choice([0.01, 0.05, 0.1, 0.2]),
                tuning=rng.choice([100, 1000, 5000, 50000]),
                control_share=rng.choice([0.5, 0.5, 0.2, 0.8, 0.33]),
            )
        )
    return cases
