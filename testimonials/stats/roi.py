"""Return on the testimonials, as an interval carried over from the lift's interval.

With a control (holdout) conversion rate p, N treated units and relative lift L, the
widgets caused N p L extra conversions; at a value V per conversion and a cost C for the
period, ROI = (N p L V - C) / C. Both are increasing in L, so the lift interval maps to
an ROI interval end to end (the control rate's own noise is much smaller than the lift's
and is left out, which the docs state).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .lift import LiftResult


@dataclass(frozen=True)
class RoiEstimate:
    """Extra conversions, extra value and ROI, each as (low, estimate, high)."""

    extra_conversions: tuple[float, float, float]
    extra_value: tuple[float, float, float]
    roi: tuple[float, float, float] | None  # None when there is no cost to divide by


def roi_interval(
    lift: LiftResult,
    control_rate: float,
    treated_units: int,
    value_per_conversion: float,
    cost: float = 0.0,
) -> RoiEstimate | None:
    """The ROI of the treatment over the holdout, or None while the lift is undefined."""
    if not lift.is_defined:
        return None
    if not 0 <= control_rate <= 1 or treated_units < 0:
        raise ValueError("the control rate is between 0 and 1 and treated units not negative")
    if not math.isfinite(value_per_conversion) or value_per_conversion < 0 or cost < 0:
        raise ValueError("value per conversion and cost must not be negative")
    lifts = (lift.ci[0], lift.relative_lift, lift.ci[1])
    conversions = tuple(treated_units * control_rate * x for x in lifts)
    values = tuple(c * value_per_conversion for c in conversions)
    roi = tuple((v - cost) / cost for v in values) if cost > 0 else None
    return RoiEstimate(conversions, values, roi)  # type: ignore[arg-type]
