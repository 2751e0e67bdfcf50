"""Always-valid relative lift: an interval you may look at every day without peeking bias.

A fixed-horizon interval is valid at one pre-planned look; read daily, its false-positive
rate climbs well past alpha (five looks at 0.05 give ~14%). The asymptotic confidence
sequence of Waudby-Smith et al. (2023, "Time-uniform central limit theory and asymptotic
confidence sequences", eq. 9) holds at every sample size simultaneously. With N units in
both arms, s^2 = N Var(L) from the delta method and the mixing parameter

    rho = sqrt((-2 ln alpha + ln(-2 ln alpha + 1)) / N*)

(tuned so the sequence is tightest at N* units), the half-width is

    sqrt(s^2) sqrt(2 (N rho^2 + 1) ln(sqrt(N rho^2 + 1) / alpha) / (N rho)^2)

and the always-valid p-value is the reciprocal of the mixture e-value (eq. 155), capped
at 1. This is gbstats' SequentialTwoSidedTTest; N* defaults to its 5,000.
"""

from __future__ import annotations

import math

from .lift import LiftResult, checked_alpha, estimate_lift, undefined_result
from .summaries import MetricSummary

DEFAULT_TUNING = 5000


def checked_tuning(tuning: object) -> float:
    """`tuning` (N*, the sample size the sequence is tuned for) as a number of units >= 1."""
    if isinstance(tuning, bool) or not isinstance(tuning, int | float):
        raise ValueError(f"sequential_tuning must be a number of units >= 1, not {tuning!r}")
    if not 1 <= tuning <= 1e15:
        raise ValueError(f"sequential_tuning must be between 1 and 1e15 units, got {tuning}")
    return float(tuning)


def mixing_rho(alpha: float, tuning: float) -> float:
    """The mixture parameter rho that makes the sequence tightest near `tuning` units."""
    log_alpha = math.log(alpha)
    return math.sqrt((-2 * log_alpha + math.log(-2 * log_alpha + 1)) / tuning)


def sequential_test(
    control: MetricSummary,
    treatment: MetricSummary,
    alpha: float = 0.05,
    tuning: float = DEFAULT_TUNING,
) -> LiftResult:
    """Always-valid interval and p-value for relative lift, safe to read after every look."""
    alpha = checked_alpha(alpha)
    tuning = checked_tuning(tuning)
    estimate = estimate_lift(control, treatment)
    if estimate.undefined_reason:
        return undefined_result("sequential", alpha, estimate.undefined_reason)
    n = estimate.units
    rho = mixing_rho(alpha, tuning)
    n_rho2_1 = n * rho**2 + 1
    s2 = estimate.variance * n
    width = math.sqrt(s2) * math.sqrt(
        2 * n_rho2_1 * math.log(math.sqrt(n_rho2_1) / alpha) / (n * rho) ** 2
    )
    st2 = estimate.relative_lift**2 * n / estimate.variance
    # log of the mixture e-value; in logs so a huge effect cannot overflow exp().
    log_e = rho**2 * st2 / (2 * n_rho2_1) - 0.5 * math.log(n_rho2_1)
    p_value = 1.0 if log_e <= 0 else math.exp(-log_e)
    return LiftResult(
        method="sequential",
        alpha=alpha,
        relative_lift=estimate.relative_lift,
        ci=(estimate.relative_lift - width, estimate.relative_lift + width),
        p_value=p_value,
        chance_to_win=None,
    )
