"""Chance to win: the posterior probability that the treatment's relative lift is positive.

The delta-method estimate L with variance V is the likelihood of the relative lift. With
gbstats' default flat (improper) prior the posterior is Normal(L, V); with a proper prior
Normal(mu0, tau^2) on the relative lift it is Normal with precision 1/V + 1/tau^2 and mean
(L/V + mu0/tau^2) / precision. Chance to win is P(lift > 0) under that posterior and the
credible interval its alpha/2 and 1 - alpha/2 quantiles. This is gbstats'
EffectBayesianABTest with prior_type="relative".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .distributions import normal_ppf, normal_sf
from .lift import LiftResult, checked_alpha, estimate_lift, undefined_result
from .summaries import MetricSummary


@dataclass(frozen=True)
class LiftPrior:
    """A Normal prior on the relative lift (e.g. mean 0, sd 0.1: most changes are small)."""

    mean: float = 0.0
    variance: float = 0.01

    def __post_init__(self) -> None:
        if not (math.isfinite(self.mean) and math.isfinite(self.variance)) or self.variance <= 0:
            raise ValueError("a prior needs a finite mean and a positive finite variance")


def bayesian_test(
    control: MetricSummary,
    treatment: MetricSummary,
    alpha: float = 0.05,
    prior: LiftPrior | None = None,
) -> LiftResult:
    """Chance to win and (1 - alpha) credible interval of the relative lift."""
    alpha = checked_alpha(alpha)
    if control.units == 0 or treatment.units == 0:
        return undefined_result("bayesian", alpha, "An arm has no units yet.")
    estimate = estimate_lift(control, treatment)
    if estimate.undefined_reason:
        return undefined_result("bayesian", alpha, estimate.undefined_reason)
    precision = 1 / estimate.variance
    mean = estimate.relative_lift
    if prior is not None:
        precision += 1 / prior.variance
        mean = (estimate.relative_lift / estimate.variance + prior.mean / prior.variance) / (
            precision
        )
    sd = math.sqrt(1 / precision)
    return LiftResult(
        method="bayesian",
        alpha=alpha,
        relative_lift=mean,
        ci=(mean + sd * normal_ppf(alpha / 2), mean + sd * normal_ppf(1 - alpha / 2)),
        p_value=None,
        chance_to_win=normal_sf(-mean / sd),
    )
