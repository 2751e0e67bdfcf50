"""What one arm of an experiment measured, summarised as plain sufficient statistics.

Every test in this package works on three numbers per arm: the number of units (visitors
or visitor-days), the metric's mean per unit and the variance of that metric across units.
A conversion rate, a revenue per visitor and a ratio such as clicks per viewable impression
all reduce to those three, with the same definitions as GrowthBook's gbstats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# Counts beyond this are not visitors any marketer has; they are typos or overflow, and
# doubles stop representing every integer at 2**53.
MAX_UNITS = 10**15


class MetricSummary(Protocol):
    """Units, mean per unit and per-unit variance of one arm's metric."""

    @property
    def units(self) -> int: ...

    @property
    def mean(self) -> float: ...

    @property
    def variance(self) -> float: ...


def checked_count(value: object, what: str) -> int:
    """`value` as a count of units or conversions, or ValueError saying why not."""
    # bool is an int in Python; True visitors is a bug upstream, not a count.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{what} must not be negative, got {value}")
    if value > MAX_UNITS:
        raise ValueError(f"{what} must be at most {MAX_UNITS:.0e}, got {value}")
    return value


@dataclass(frozen=True)
class Conversions:
    """A binary metric: `conversions` of `units` converted (each unit at most once)."""

    units: int
    conversions: int

    def __post_init__(self) -> None:
        checked_count(self.units, "units")
        checked_count(self.conversions, "conversions")
        if self.conversions > self.units:
            raise ValueError(f"conversions ({self.conversions}) cannot exceed units ({self.units})")

    @property
    def mean(self) -> float:
        """The conversion rate."""
        return self.conversions / self.units if self.units else 0.0

    @property
    def variance(self) -> float:
        """Bernoulli variance p(1 - p), as gbstats uses for proportions."""
        p = self.mean
        return p * (1.0 - p)


@dataclass(frozen=True)
class Totals:
    """A per-unit numeric metric (revenue, clicks) given by n, sum and sum of squares."""

    units: int
    total: float
    total_squares: float

    def __post_init__(self) -> None:
        checked_count(self.units, "units")
        if self.total_squares < 0:
            raise ValueError("a sum of squares cannot be negative")

    @property
    def mean(self) -> float:
        """The mean per unit."""
        return self.total / self.units if self.units else 0.0

    @property
    def variance(self) -> float:
        """The sample variance (n - 1 in the denominator); 0 below two units."""
        if self.units <= 1:
            return 0.0
        return (self.total_squares - self.total**2 / self.units) / (self.units - 1)

    @classmethod
    def of(cls, values: list[float] | tuple[float, ...]) -> Totals:
        """Totals of one value per unit."""
        return cls(len(values), float(sum(values)), float(sum(v * v for v in values)))
