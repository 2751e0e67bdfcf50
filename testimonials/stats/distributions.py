"""The few distribution functions the tests need, loaded as lightly as possible.

The normal distribution and the one-degree chi-square come from the standard library, so
the sequential and Bayesian paths and the SRM check start instantly; Student's t (and the
chi-square with more degrees of freedom) come from scipy.special, imported on first use
because it costs half a second at start-up. These are the same special functions that
scipy.stats (and so GrowthBook's gbstats) evaluate.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from statistics import NormalDist


@functools.cache
def _standard_normal() -> NormalDist:
    # `statistics` (with `fractions` and its C part, ~0.5 MiB) only where a quantile is asked
    # for: a web worker that never plans or reports an experiment does not load it.
    from statistics import NormalDist

    return NormalDist()


def normal_cdf(x: float) -> float:
    """P(Z <= x) for a standard normal Z."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def normal_sf(x: float) -> float:
    """P(Z > x) for a standard normal Z, accurate far into the tail."""
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def normal_ppf(q: float) -> float:
    """The standard normal quantile: x with P(Z <= x) = q, for 0 < q < 1."""
    return _standard_normal().inv_cdf(q)


def student_t_sf(x: float, dof: float) -> float:
    """P(T > x) for Student's t with `dof` degrees of freedom."""
    from scipy.special import stdtr

    return float(stdtr(dof, -x))


def student_t_ppf(q: float, dof: float) -> float:
    """Student's t quantile: x with P(T <= x) = q."""
    from scipy.special import stdtrit

    return float(stdtrit(dof, q))


def chi2_sf(x: float, dof: int) -> float:
    """P(X > x) for a chi-square X with `dof` degrees of freedom."""
    if x <= 0:
        return 1.0
    if dof == 1:
        # chi-square(1) is Z squared: P(Z^2 > x) = erfc(sqrt(x / 2)).
        return math.erfc(math.sqrt(x / 2.0))
    from scipy.special import chdtrc

    return float(chdtrc(dof, x))
