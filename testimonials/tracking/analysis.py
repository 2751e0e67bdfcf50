"""An experiment's result from its roll-ups: arms, lift over time, SRM and the verdict.

Everything here reads `tracking_arm_days` (and the per-testimonial day rows), never raw
events: one row per experiment, day and arm, whatever the traffic.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.stats import (
    DEFAULT_TUNING,
    Conversions,
    LiftResult,
    RatioTotals,
    SrmCheck,
    Verdict,
    bayesian_test,
    check_sample_ratio,
    fixed_horizon_test,
    lift_verdict,
    sequential_test,
)
from testimonials.stats.assignment import HOLDOUT, TREATMENT
from testimonials.stats.summaries import MetricSummary
from testimonials.tracking.models import AnalysisMethod, ArmDay, Experiment

ARMS = (HOLDOUT, TREATMENT)
NO_UNITS = "Not enough data yet: an arm has no visitors."


@dataclass(frozen=True)
class ArmCounts:
    """One arm's analysed units, what they did, and the units filtered out (summed days)."""

    units: int = 0
    conversions: int = 0
    excluded_units: int = 0
    viewable_units: int = 0
    interactions: int = 0
    revenue: float = 0.0
    reached_units: int = 0
    engaged_units: int = 0
    viewables: int = 0
    viewables_squares: int = 0
    clicks: int = 0
    clicks_squares: int = 0
    clicks_x_viewables: int = 0
    revenue_squares: float = 0.0
    randomised_units: int = 0
    randomised_converted_units: int = 0

    def __add__(self, other: ArmCounts) -> ArmCounts:
        return ArmCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def excluded_share(self) -> float:
        """Share of this arm's exposed units left out (bots, privacy signals)."""
        seen = self.units + self.excluded_units
        return self.excluded_units / seen if seen else 0.0

    @property
    def conversion_rate(self) -> float | None:
        """Converted units per unit."""
        return self.conversions / self.units if self.units else None

    @property
    def viewable_rate(self) -> float | None:
        """Units with a viewable impression per exposed unit."""
        return self.viewable_units / self.units if self.units else None

    @property
    def engagement_rate(self) -> float | None:
        """Units that interacted per unit that had a viewable impression."""
        return self.engaged_units / self.viewable_units if self.viewable_units else None

    @property
    def click_through(self) -> RatioTotals:
        """Click-throughs per viewable impression, with the visitor as the unit."""
        return RatioTotals(
            units=self.units,
            numerator_total=float(self.clicks),
            numerator_squares=float(self.clicks_squares),
            denominator_total=float(self.viewables),
            denominator_squares=float(self.viewables_squares),
            cross_products=float(self.clicks_x_viewables),
        )

    @property
    def conversion_summary(self) -> Conversions:
        """The conversion metric as the statistics take it."""
        return Conversions(self.units, self.conversions)


# Columns of ArmDay summed into ArmCounts' fields of the same meaning.
_COLUMNS = {
    "units": ArmDay.units,
    "conversions": ArmDay.converted_units,
    "excluded_units": ArmDay.excluded_units,
    "viewable_units": ArmDay.viewable_units,
    "interactions": ArmDay.interactions,
    "revenue": ArmDay.revenue,
    "reached_units": ArmDay.reached_units,
    "engaged_units": ArmDay.engaged_units,
    "viewables": ArmDay.viewables,
    "viewables_squares": ArmDay.viewables_squares,
    "clicks": ArmDay.clicks,
    "clicks_squares": ArmDay.clicks_squares,
    "clicks_x_viewables": ArmDay.clicks_x_viewables,
    "revenue_squares": ArmDay.revenue_squares,
    "randomised_units": ArmDay.randomised_units,
    "randomised_converted_units": ArmDay.randomised_converted_units,
}


@dataclass(frozen=True)
class ArmsDay:
    """Both arms' counts of one day (not cumulative)."""

    day: date
    arms: dict[str, ArmCounts]


def daily_arms(
    session: Session, experiment: Experiment, through: date | None = None
) -> list[ArmsDay]:
    """Each rolled-up day of the experiment (up to `through`) with both arms' counts."""
    query = select(ArmDay.day, ArmDay.arm, *_COLUMNS.values()).where(
        ArmDay.experiment_id == experiment.id, ArmDay.arm.in_(ARMS)
    )
    if through is not None:
        query = query.where(ArmDay.day <= through)
    rows = session.execute(query.order_by(ArmDay.day)).all()
    days: dict[date, dict[str, ArmCounts]] = {}
    for row in rows:
        arms = days.setdefault(row.day, {arm: ArmCounts() for arm in ARMS})
        arms[row.arm] = ArmCounts(**dict(zip(_COLUMNS, row[2:], strict=True)))
    return [ArmsDay(day, arms) for day, arms in days.items()]


def lift_test(
    control: MetricSummary,
    treatment: MetricSummary,
    method: str,
    tuning: float = DEFAULT_TUNING,
) -> LiftResult | None:
    """The lift of `treatment` over `control` by `method`; None while an arm has no units."""
    if not (control.units and treatment.units):
        return None
    if method == AnalysisMethod.FREQUENTIST:
        return fixed_horizon_test(control, treatment)
    if method == AnalysisMethod.BAYESIAN:
        return bayesian_test(control, treatment)
    return sequential_test(control, treatment, tuning=tuning)


@dataclass(frozen=True)
class LiftPoint:
    """The cumulative lift and its interval as they stood at the end of one day."""

    day: date
    relative_lift: float | None
    ci: tuple[float, float] | None
    holdout_units: int = 0
    treatment_units: int = 0


@dataclass(frozen=True)
class ExperimentResult:
    """What the report shows for one experiment."""

    method: str
    arms: dict[str, ArmCounts]
    lift: LiftResult | None
    srm: SrmCheck
    verdict: Verdict
    over_time: list[LiftPoint]
    days: list[ArmsDay]


def experiment_result(
    session: Session,
    experiment: Experiment,
    method: str | None = None,
    through: date | None = None,
) -> ExperimentResult:
    """Counts per arm, the lift by the experiment's method (sequential unless set), SRM.

    With `through`, only the days up to it: the result as it stood at that day's end.
    """
    method = method or experiment.analysis_method
    days = daily_arms(session, experiment, through)
    totals = {arm: ArmCounts() for arm in ARMS}
    over_time: list[LiftPoint] = []
    for day in days:
        totals = {arm: totals[arm] + day.arms[arm] for arm in ARMS}
        control, treatment = totals[HOLDOUT], totals[TREATMENT]
        lift = lift_test(control.conversion_summary, treatment.conversion_summary, method)
        defined = lift is not None and lift.is_defined
        over_time.append(
            LiftPoint(
                day.day,
                lift.relative_lift if lift and defined else None,
                lift.ci if lift and defined else None,
                control.units,
                treatment.units,
            )
        )
    control, treatment = totals[HOLDOUT], totals[TREATMENT]
    srm = check_sample_ratio(control.units, treatment.units, experiment.holdout_share)
    lift = lift_test(control.conversion_summary, treatment.conversion_summary, method)
    if lift is None:
        verdict = (
            Verdict("sample_ratio_mismatch", srm.diagnostic or "Sample ratio mismatch.")
            if srm.mismatch
            else Verdict("not_enough_data", NO_UNITS)
        )
    else:
        verdict = lift_verdict(lift, srm, control.conversions, treatment.conversions)
    return ExperimentResult(method, totals, lift, srm, verdict, over_time, days)


def latest_rollup_day(session: Session, experiment: Experiment) -> date | None:
    """The last day rolled up for the experiment."""
    return session.scalar(select(func.max(ArmDay.day)).where(ArmDay.experiment_id == experiment.id))
