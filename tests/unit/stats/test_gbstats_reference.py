"""Our lift, intervals, p-values, chance to win and SRM equal gbstats' to 1e-4."""

from __future__ import annotations

import pytest

from testimonials.stats import Conversions, check_sample_ratio
from testimonials.stats.cli import analyse_line

from .gbstats_reference import EDGE_CASES, Case, random_cases, reference

TOLERANCE = 1e-4
CASES = EDGE_CASES + random_cases(400)


def ours(case: Case, method: str) -> dict:
    line = {
        "control": {"units": case.control_units, "conversions": case.control_conversions},
        "treatment": {"units": case.treatment_units, "conversions": case.treatment_conversions},
        "method": method,
        "alpha": case.alpha,
        "sequential_tuning": case.tuning,
        "control_share": case.control_share,
    }
    return analyse_line(line)


def assert_same(got: dict, want: dict) -> None:
    for key in ("relative_lift", "p_value", "chance_to_win", "srm_p_value"):
        if want[key] is None:
            assert got[key] is None, key
        else:
            assert got[key] == pytest.approx(want[key], abs=TOLERANCE, rel=1e-9), key
    assert got["ci"] == pytest.approx(want["ci"], abs=TOLERANCE, rel=1e-9)


@pytest.mark.parametrize("method", ["frequentist", "sequential", "bayesian"])
def test_every_method_equals_gbstats_on_edge_and_random_cases(method: str) -> None:
    compared = 0
    for case in CASES:
        assert_same(ours(case, method), reference(case, method))
        compared += 1
    assert compared == len(CASES) >= 400


def test_undefined_lifts_say_why_while_matching_gbstats_defaults() -> None:
    result = ours(Case(1000, 0, 1000, 5), "frequentist")
    assert result["ci"] == [0.0, 0.0]
    assert "no conversions" in result["warning"]
    assert "no variation" in ours(Case(1000, 5, 1000, 0), "bayesian")["warning"]
    assert "warning" not in ours(Case(1000, 5, 1000, 6), "sequential")


def test_the_published_srm_story_is_blocked_with_a_diagnostic() -> None:
    check = check_sample_ratio(9463, 7681, 0.5)
    assert check.mismatch
    assert "50.0% was expected" in check.diagnostic
    want = reference(Case(9463, 1, 7681, 1), "bayesian")["srm_p_value"]
    assert check.p_value == pytest.approx(want)
    assert not check_sample_ratio(5012, 4988).mismatch
    assert Conversions(10, 3).mean == 0.3
