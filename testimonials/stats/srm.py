"""Sample-ratio mismatch: is the observed split of units the split the experiment set?

A 50/50 test that sees 9,463 vs 7,681 visitors is broken (a slower page losing tracking,
bots, a redirect), and its lift cannot be trusted whatever it says. Pearson's chi-square
statistic sum((observed - expected)^2 / expected) over the arms, with (arms - 1) degrees of
freedom, gives the p-value (gbstats' check_srm). Below 0.001 the verdict is blocked: at
that threshold a healthy experiment is flagged about once in a thousand checks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .distributions import chi2_sf

SRM_THRESHOLD = 0.001


def checked_share(share: object, what: str = "control_share") -> float:
    """`share` as a traffic share strictly between 0 and 1, or ValueError."""
    if isinstance(share, bool) or not isinstance(share, int | float):
        raise ValueError(f"{what} must be a number between 0 and 1, not {share!r}")
    if not 0 < share < 1:
        raise ValueError(f"{what} must be strictly between 0 and 1, got {share}")
    return float(share)


def srm_p_value(units: Sequence[int], weights: Sequence[float]) -> float:
    """Chi-square p-value that `units` were drawn with the expected `weights` per arm."""
    if len(units) != len(weights) or len(units) < 2:
        raise ValueError("give one expected weight per arm, for at least two arms")
    if any(w < 0 or not math.isfinite(w) for w in weights) or sum(weights) <= 0:
        raise ValueError("expected weights must be non-negative and not all zero")
    total = sum(units)
    if not total:
        return 1.0
    total_weight = sum(weights)
    statistic = 0.0
    for observed, weight in zip(units, weights, strict=True):
        if weight <= 0:
            continue
        expected = weight / total_weight * total
        statistic += (observed - expected) ** 2 / expected
    return chi2_sf(statistic, len(units) - 1)


@dataclass(frozen=True)
class SrmCheck:
    """The SRM verdict for two arms, with the diagnostic a marketer can act on."""

    p_value: float
    control_units: int
    treatment_units: int
    expected_control_share: float

    @property
    def mismatch(self) -> bool:
        """True when the split is too unlikely to trust (p < 0.001): block the verdict."""
        return self.p_value < SRM_THRESHOLD

    @property
    def observed_control_share(self) -> float | None:
        """The share of units actually seen in control."""
        total = self.control_units + self.treatment_units
        return self.control_units / total if total else None

    @property
    def diagnostic(self) -> str | None:
        """Plain words on what is wrong and where to look, or None when the split is fine."""
        if not self.mismatch:
            return None
        observed = self.observed_control_share or 0.0
        return (
            f"Sample ratio mismatch: control has {observed:.1%} of units where "
            f"{self.expected_control_share:.1%} was expected (p = {self.p_value:.2g}). "
            "Units are being lost or added in one arm (slow pages losing tracking, bots, "
            "redirects, caching); the lift cannot be trusted until the cause is fixed."
        )


def check_sample_ratio(
    control_units: int, treatment_units: int, control_share: float = 0.5
) -> SrmCheck:
    """SRM check of a two-arm experiment whose control should get `control_share` of units."""
    share = checked_share(control_share)
    p = srm_p_value([control_units, treatment_units], [share, 1 - share])
    return SrmCheck(p, control_units, treatment_units, share)
