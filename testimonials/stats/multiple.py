"""Benjamini-Hochberg: many per-testimonial comparisons without a flood of false winners.

Comparing twenty testimonials at alpha = 0.05 finds one "winner" by chance alone. The
Benjamini-Hochberg step-up procedure (1995) controls the false discovery rate instead:
sort the m p-values, p_(1) <= ... <= p_(m); the adjusted p-value of rank i is
min over j >= i of min(1, m p_(j) / j), and a comparison is a discovery when its
adjusted p-value is at most q.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Discovery:
    """One comparison after adjustment: its raw and adjusted p-values and the decision."""

    p_value: float
    adjusted_p_value: float
    discovered: bool


def benjamini_hochberg(p_values: Sequence[float], q: float = 0.05) -> list[Discovery]:
    """BH-adjusted p-values and discoveries at false discovery rate `q`, in input order."""
    if not 0 < q < 1:
        raise ValueError("the false discovery rate q must be between 0 and 1")
    if any(not (math.isfinite(p) and 0 <= p <= 1) for p in p_values):
        raise ValueError("p-values must be between 0 and 1")
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, m * p_values[i] / rank)
        adjusted[i] = min(1.0, running)
    return [Discovery(p, a, a <= q) for p, a in zip(p_values, adjusted, strict=True)]
