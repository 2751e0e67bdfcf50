"""Pure statistics: NPS maths with honest intervals (lift, sequential tests and SRM to come).

Imports no Flask, no SQLAlchemy and nothing else of the app: plain values in, frozen
dataclasses out, so every figure can be checked by hand, in a notebook or a worker.
"""

from .nps import (
    DETRACTOR,
    METHOD,
    PASSIVE,
    PROMOTER,
    SMALL_SAMPLE_RULE,
    NpsSummary,
    TrendPoint,
    adjusted_wald_interval,
    bain_band,
    nps_group,
    nps_trend,
    nps_trend_from_counts,
    period_start,
    summarise_counts,
    summarise_nps,
    summarise_score_counts,
)

__all__ = [
    "DETRACTOR",
    "METHOD",
    "PASSIVE",
    "PROMOTER",
    "SMALL_SAMPLE_RULE",
    "NpsSummary",
    "TrendPoint",
    "adjusted_wald_interval",
    "bain_band",
    "nps_group",
    "nps_trend",
    "nps_trend_from_counts",
    "period_start",
    "summarise_counts",
    "summarise_nps",
    "summarise_score_counts",
]
