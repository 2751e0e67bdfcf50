"""Relative lift of treatment over control with a delta-method interval (fixed horizon).

For arms with means m_c, m_t, per-unit variances v_c, v_t and n_c, n_t units, the relative
lift is L = (m_t - m_c) / m_c. The delta method linearises that ratio of two independent
means, giving

    Var(L) ~= v_t / (m_c^2 n_t) + v_c m_t^2 / (m_c^4 n_c)

with Welch-Satterthwaite degrees of freedom for the Student t. The two-sided p-value is
2 P(T > |L| / sqrt(Var L)) and the (1 - alpha) interval is L +- t_{1-alpha/2} sqrt(Var L).
This is gbstats' TwoSidedTTest with difference_type="relative".

When the control mean is zero the relative lift does not exist, and when an arm has no
variation (no unit or every unit converted) the variance is zero and a "certain" interval
would be a lie; both give an *undefined* result that carries the reason. Its numbers are
gbstats' uninformative defaults (lift 0, interval [0, 0], p = 1, chance to win 0.5) so the
two engines stay comparable, and reports must show the reason, never those numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from .distributions import student_t_ppf, student_t_sf
from .summaries import MetricSummary

Method = Literal["frequentist", "sequential", "bayesian"]

ZERO_BASELINE = "The control arm has no conversions yet, so a relative lift is not defined."
NO_VARIATION = (
    "An arm shows no variation yet (no unit converted, or every unit did), "
    "so the uncertainty cannot be estimated."
)


@dataclass(frozen=True)
class LiftEstimate:
    """The delta-method estimate of relative lift: point, variance and Welch dof."""

    relative_lift: float
    variance: float
    dof: float
    units: int  # both arms together
    undefined_reason: str | None = None

    @property
    def standard_error(self) -> float:
        """Standard error of the relative lift."""
        return math.sqrt(self.variance)


@dataclass(frozen=True)
class LiftResult:
    """A test's verdict on relative lift: interval, p-value or chance to win, and why not."""

    method: Method
    alpha: float
    relative_lift: float
    ci: tuple[float, float]
    p_value: float | None
    chance_to_win: float | None
    undefined_reason: str | None = None

    @property
    def is_defined(self) -> bool:
        """False when the data cannot support any statement about the lift yet."""
        return self.undefined_reason is None

    @property
    def significant(self) -> bool:
        """True when the interval excludes zero (a lift or a loss is detected)."""
        return self.is_defined and (self.ci[0] > 0 or self.ci[1] < 0)


def estimate_lift(control: MetricSummary, treatment: MetricSummary) -> LiftEstimate:
    """Relative lift of `treatment` over `control` with its delta-method variance."""
    units = control.units + treatment.units
    if control.mean == 0:
        return LiftEstimate(0.0, 0.0, 0.0, units, ZERO_BASELINE)
    if control.variance <= 0 or treatment.variance <= 0:
        return LiftEstimate(0.0, 0.0, 0.0, units, NO_VARIATION)
    m_c, m_t = control.mean, treatment.mean
    n_c, n_t = control.units, treatment.units
    v_c, v_t = control.variance, treatment.variance
    lift = (m_t - m_c) / m_c
    variance = v_t / (m_c**2 * n_t) + v_c * m_t**2 / (m_c**4 * n_c)
    # Welch-Satterthwaite, on the absolute difference as gbstats computes it.
    dof = (v_t / n_t + v_c / n_c) ** 2 / (
        v_t**2 / (n_t**2 * (n_t - 1)) + v_c**2 / (n_c**2 * (n_c - 1))
    )
    return LiftEstimate(lift, variance, dof, units)


def undefined_result(method: Method, alpha: float, reason: str) -> LiftResult:
    """gbstats' uninformative output for `method`, carrying the reason it is undefined."""
    return LiftResult(
        method=method,
        alpha=alpha,
        relative_lift=0.0,
        ci=(0.0, 0.0),
        p_value=None if method == "bayesian" else 1.0,
        chance_to_win=0.5 if method == "bayesian" else None,
        undefined_reason=reason,
    )


def checked_alpha(alpha: object) -> float:
    """`alpha` as a significance level strictly between 0 and 1, or ValueError."""
    if isinstance(alpha, bool) or not isinstance(alpha, int | float):
        raise ValueError(f"alpha must be a number between 0 and 1, not {alpha!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha}")
    return float(alpha)


def fixed_horizon_test(
    control: MetricSummary, treatment: MetricSummary, alpha: float = 0.05
) -> LiftResult:
    """Two-sided Welch t-test on relative lift, valid for one look at a planned end date."""
    alpha = checked_alpha(alpha)
    estimate = estimate_lift(control, treatment)
    if estimate.undefined_reason:
        return undefined_result("frequentist", alpha, estimate.undefined_reason)
    se = estimate.standard_error
    width = student_t_ppf(1 - alpha / 2, estimate.dof) * se
    z = abs(estimate.relative_lift) / se
    p_value = min(1.0, 2 * student_t_sf(z, estimate.dof))
    return LiftResult(
        method="frequentist",
        alpha=alpha,
        relative_lift=estimate.relative_lift,
        ci=(estimate.relative_lift - width, estimate.relative_lift + width),
        p_value=p_value,
        chance_to_win=None,
    )
