"""Power screen before launch: how many visitors and days a minimum detectable lift needs.

For a baseline rate p, a relative lift x (treatment rate p (1 + x)) and a control share s
of N units, the delta-method variance of the estimated lift is K(x) / N with

    K(x) = p_t (1 - p_t) / (p^2 (1 - s)) + p (1 - p) p_t^2 / (p^4 s),  p_t = p (1 + x)

The tests compute that variance at the *observed* rates, so an estimate L is declared a
lift when L > c(N) sqrt(K(L) / N), where c is z_{1-alpha/2} for a fixed horizon and the
confidence sequence's (larger, N-dependent) factor for sequential reads. The smallest
estimate that passes, L*, solves that equation (a fixed point). The ratio L itself is
skewed, but "L > L*" is the linear event p^_t - (1 + L*) p^_c > 0, whose mean is
p (delta - L*) and variance p_t (1 - p_t) / n_t + (1 + L*)^2 p (1 - p) / n_c, so the power
is Phi(p (delta - L*) / sqrt(that variance)); the plan is the smallest N where it reaches
the target (bisection). Both steps matter: the textbook shortcut
(z_a + z_b)^2 K(delta) / delta^2 misses the target power by several points on relative
lift, in either direction depending on the lift.
Days round up to at least seven, so weekday and weekend visitors are both represented.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .distributions import normal_ppf
from .lift import checked_alpha
from .sequential import DEFAULT_TUNING, mixing_rho
from .srm import checked_share

MINIMUM_DAYS = 7


@dataclass(frozen=True)
class PowerPlan:
    """Units and days an experiment needs to detect its minimum detectable lift."""

    units: int  # both arms together
    control_units: int
    treatment_units: int
    days: int | None  # None when no daily traffic was given
    sequential: bool


def _lift_variance_factor(baseline: float, lift: float, control_share: float) -> float:
    treated = baseline * (1 + lift)
    return treated * (1 - treated) / (baseline**2 * (1 - control_share)) + baseline * (
        1 - baseline
    ) * treated**2 / (baseline**4 * control_share)


def _sequential_half_width(n: float, se: float, alpha: float, rho: float) -> float:
    n_rho2_1 = n * rho**2 + 1
    return (
        se
        * math.sqrt(n)
        * math.sqrt(2 * n_rho2_1 * math.log(math.sqrt(n_rho2_1) / alpha) / (n * rho) ** 2)
    )


def plan_experiment(
    baseline_rate: float,
    minimum_detectable_lift: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    control_share: float = 0.5,
    daily_units: int | None = None,
    sequential: bool = False,
    tuning: float = DEFAULT_TUNING,
) -> PowerPlan:
    """Units (and days, given daily traffic) to detect a relative lift with `power`."""
    alpha = checked_alpha(alpha)
    share = checked_share(control_share)
    if not 0 < baseline_rate < 1:
        raise ValueError("the baseline conversion rate must be between 0 and 1")
    if minimum_detectable_lift <= 0 or baseline_rate * (1 + minimum_detectable_lift) >= 1:
        raise ValueError("the minimum detectable lift must be positive and keep the rate below 1")
    if not 0.5 <= power < 1:
        raise ValueError("power must be at least 0.5 and below 1")
    delta = minimum_detectable_lift
    k_delta = _lift_variance_factor(baseline_rate, delta, share)
    z_power = normal_ppf(power)
    z_alpha = normal_ppf(1 - alpha / 2)
    rho = mixing_rho(alpha, tuning)

    def critical(units: float) -> float:
        if not sequential:
            return z_alpha
        # The confidence sequence's half-width divided by the standard error.
        return _sequential_half_width(units, 1.0, alpha, rho)

    def detects(units: float) -> bool:
        factor, boundary = critical(units), delta
        for _ in range(60):
            # L* = c sqrt(K(L*) / N); K grows slowly with L, so this contracts quickly.
            lifted = baseline_rate * (1 + boundary) < 1
            k = _lift_variance_factor(baseline_rate, boundary, share) if lifted else k_delta
            boundary = factor * math.sqrt(k / units)
        treated = baseline_rate * (1 + delta)
        n_c, n_t = units * share, units * (1 - share)
        spread = math.sqrt(
            treated * (1 - treated) / n_t
            + (1 + boundary) ** 2 * baseline_rate * (1 - baseline_rate) / n_c
        )
        return baseline_rate * (delta - boundary) >= z_power * spread

    low, high = 2.0, 4.0
    while not detects(high):
        low, high = high, high * 2
        if high > 1e15:
            raise ValueError("this lift is too small to detect with any realistic traffic")
    while high - low > 1:
        mid = (low + high) / 2
        low, high = (low, mid) if detects(mid) else (mid, high)
    n = high
    units = math.ceil(n)
    control = math.ceil(units * share)
    days = None
    if daily_units is not None:
        if daily_units <= 0:
            raise ValueError("daily units must be positive")
        days = max(MINIMUM_DAYS, math.ceil(units / daily_units))
    return PowerPlan(units, control, units - control, days, sequential)
