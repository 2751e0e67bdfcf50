"""Pure statistics: NPS, relative lift (fixed, sequential, Bayesian), SRM, power and more.

Imports no Flask, no SQLAlchemy and nothing else of the app: plain values in, frozen
dataclasses out, so every figure can be checked by hand, in a notebook or a worker.
"""

from .assignment import assign_arm, bucket
from .bayesian import LiftPrior, bayesian_test
from .lift import LiftEstimate, LiftResult, estimate_lift, fixed_horizon_test
from .multiple import benjamini_hochberg
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
from .power import PowerPlan, plan_experiment
from .proportion import MIN_VISITORS, Share, wilson_share
from .ratio import RatioTotals, capped_revenue, percentile_cap
from .roi import RoiEstimate, roi_interval
from .sequential import DEFAULT_TUNING, sequential_test
from .srm import SRM_THRESHOLD, SrmCheck, check_sample_ratio, srm_p_value
from .summaries import Conversions, MetricSummary, Totals
from .verdict import MIN_CONVERSIONS, Verdict, lift_verdict

__all__ = [
    "DEFAULT_TUNING",
    "DETRACTOR",
    "METHOD",
    "MIN_CONVERSIONS",
    "MIN_VISITORS",
    "PASSIVE",
    "PROMOTER",
    "SMALL_SAMPLE_RULE",
    "SRM_THRESHOLD",
    "Conversions",
    "LiftEstimate",
    "LiftPrior",
    "LiftResult",
    "MetricSummary",
    "NpsSummary",
    "PowerPlan",
    "RatioTotals",
    "RoiEstimate",
    "Share",
    "SrmCheck",
    "Totals",
    "TrendPoint",
    "Verdict",
    "adjusted_wald_interval",
    "assign_arm",
    "bain_band",
    "bayesian_test",
    "benjamini_hochberg",
    "bucket",
    "capped_revenue",
    "check_sample_ratio",
    "estimate_lift",
    "fixed_horizon_test",
    "lift_verdict",
    "nps_group",
    "nps_trend",
    "nps_trend_from_counts",
    "percentile_cap",
    "period_start",
    "plan_experiment",
    "roi_interval",
    "sequential_test",
    "srm_p_value",
    "summarise_counts",
    "summarise_nps",
    "summarise_score_counts",
    "wilson_share",
]
