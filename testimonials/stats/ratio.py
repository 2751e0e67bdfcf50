"""Ratio metrics (click-through per viewable impression) and capped revenue per visitor.

A ratio metric divides two per-unit sums, e.g. clicks / viewable impressions with the
visitor as the unit: M = sum(clicks) / sum(viewables). Clicks and viewables of one visitor
are correlated, so the variance of M comes from the delta method on the pair (gbstats'
RatioStatistic), with mean numerator m, mean denominator d per unit, their variances and
covariance:

    Var_unit(M) = v_m / d^2 - 2 cov m / d^3 + m^2 v_d / d^4

Revenue per visitor is a mean over *all* units in the arm (zero for those who bought
nothing). One whale order can swing it, so each unit's value is capped first, at a fixed
amount or at a percentile of the values seen; both arms must use the same cap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .summaries import Totals, checked_count


@dataclass(frozen=True)
class RatioTotals:
    """Per-unit sums of a numerator and a denominator, and of their products."""

    units: int
    numerator_total: float
    numerator_squares: float
    denominator_total: float
    denominator_squares: float
    cross_products: float  # sum over units of numerator * denominator

    def __post_init__(self) -> None:
        checked_count(self.units, "units")
        if self.denominator_total < 0 or self.numerator_squares < 0:
            raise ValueError("ratio sums cannot be negative")

    @classmethod
    def of(cls, pairs: Sequence[tuple[float, float]]) -> RatioTotals:
        """Totals of one (numerator, denominator) pair per unit."""
        return cls(
            units=len(pairs),
            numerator_total=float(sum(m for m, _ in pairs)),
            numerator_squares=float(sum(m * m for m, _ in pairs)),
            denominator_total=float(sum(d for _, d in pairs)),
            denominator_squares=float(sum(d * d for _, d in pairs)),
            cross_products=float(sum(m * d for m, d in pairs)),
        )

    @property
    def numerator(self) -> Totals:
        """The numerator as a per-unit metric."""
        return Totals(self.units, self.numerator_total, self.numerator_squares)

    @property
    def denominator(self) -> Totals:
        """The denominator as a per-unit metric."""
        return Totals(self.units, self.denominator_total, self.denominator_squares)

    @property
    def mean(self) -> float:
        """The ratio itself, e.g. click-through = clicks / viewables (0 with no denominator)."""
        return self.numerator_total / self.denominator_total if self.denominator_total else 0.0

    @property
    def covariance(self) -> float:
        """Sample covariance of numerator and denominator across units."""
        if self.units <= 1:
            return 0.0
        return (
            self.cross_products - self.numerator_total * self.denominator_total / self.units
        ) / (self.units - 1)

    @property
    def variance(self) -> float:
        """Per-unit delta-method variance of the ratio (0 when it cannot be estimated)."""
        d = self.denominator.mean
        if d == 0 or self.units <= 1:
            return 0.0
        m = self.numerator.mean
        return (
            self.numerator.variance / d**2
            - 2 * self.covariance * m / d**3
            + m**2 * self.denominator.variance / d**4
        )


def percentile_cap(values: Sequence[float], percentile: float) -> float:
    """The value at `percentile` (0-100, linear interpolation) of the positive `values`."""
    if not 0 < percentile <= 100:
        raise ValueError("a capping percentile is above 0 and at most 100")
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return 0.0
    rank = (len(positive) - 1) * percentile / 100
    low, high = math.floor(rank), math.ceil(rank)
    return positive[low] + (positive[high] - positive[low]) * (rank - low)


def capped_revenue(units: int, values: Sequence[float], cap: float | None = None) -> Totals:
    """Revenue per unit over `units` units, of which those listed had `values` (capped)."""
    checked_count(units, "units")
    if len(values) > units:
        raise ValueError("more revenue values than units in the arm")
    if any(not math.isfinite(v) or v < 0 for v in values):
        raise ValueError("revenue values must be finite and not negative")
    if cap is not None and (not math.isfinite(cap) or cap <= 0):
        raise ValueError("a revenue cap must be a positive amount")
    kept = [min(v, cap) for v in values] if cap is not None else list(values)
    return Totals(units, float(sum(kept)), float(sum(v * v for v in kept)))
