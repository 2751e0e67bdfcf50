"""A share of visitors with an honest interval, and when there are too few to read it.

Per-testimonial engagement is a share of a small group (the visitors a card was shown
to), often a handful. The Wilson score interval (Wilson 1927) stays inside [0, 1] and
keeps close to its nominal coverage with few visitors or rates near 0%, where the usual
`p ± z sqrt(p(1-p)/n)` collapses to a point ("0 of 4 expanded: 0% ± 0%"):

    centre = (k + z²/2) / (n + z²),  half = z / (n + z²) · sqrt(k (n - k) / n + z²/4)

It equals `scipy.stats.binomtest(k, n).proportion_ci(method="wilson")`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .distributions import normal_ppf

# Below this many visitors a share is shown with its interval but not read as a finding:
# the interval is then wider than any difference a marketer would act on.
MIN_VISITORS = 30


@dataclass(frozen=True)
class Share:
    """`successes` of `trials` visitors, the share and its Wilson interval."""

    successes: int
    trials: int
    rate: float | None
    ci: tuple[float, float] | None

    @property
    def too_few(self) -> bool:
        """Whether the group is too small for the share to say much."""
        return self.trials < MIN_VISITORS


def wilson_share(successes: int, trials: int, alpha: float = 0.05) -> Share:
    """The share `successes / trials` with its 1 - alpha Wilson score interval."""
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError("need 0 <= successes <= trials")
    if trials == 0:
        return Share(successes, trials, None, None)
    z = normal_ppf(1 - alpha / 2)
    z2 = z * z
    centre = (successes + z2 / 2) / (trials + z2)
    half = z / (trials + z2) * math.sqrt(successes * (trials - successes) / trials + z2 / 4)
    return Share(
        successes,
        trials,
        successes / trials,
        (max(0.0, centre - half), min(1.0, centre + half)),
    )
