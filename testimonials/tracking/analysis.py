"""An experiment's result from its roll-ups: arms, lift over time, SRM and the verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.stats import (
    Conversions,
    LiftResult,
    SrmCheck,
    Verdict,
    check_sample_ratio,
    fixed_horizon_test,
    lift_verdict,
    sequential_test,
)
from testimonials.stats.assignment import HOLDOUT, TREATMENT
from testimonials.tracking.models import ArmDay, Experiment

ARMS = (HOLDOUT, TREATMENT)


@dataclass(frozen=True)
class ArmCounts:
    """One arm's analysed units, what they did, and the units filtered out."""

    units: int
    conversions: int
    excluded_units: int
    viewable_units: int = 0
    interactions: int = 0
    revenue: float = 0.0

    @property
    def excluded_share(self) -> float:
        """Share of this arm's exposed units left out (bots, privacy signals)."""
        seen = self.units + self.excluded_units
        return self.excluded_units / seen if seen else 0.0

    @property
    def conversion_rate(self) -> float | None:
        """Converted units per unit."""
        return self.conversions / self.units if self.units else None


@dataclass(frozen=True)
class LiftPoint:
    """The cumulative always-valid lift as it stood at the end of one day."""

    day: date
    relative_lift: float | None
    ci: tuple[float, float] | None


@dataclass(frozen=True)
class ExperimentResult:
    """What the report shows for one experiment."""

    arms: dict[str, ArmCounts]
    lift: LiftResult | None
    srm: SrmCheck
    verdict: Verdict
    over_time: list[LiftPoint]


def _lift(control: ArmCounts, treatment: ArmCounts, method: str) -> LiftResult | None:
    if not (control.units and treatment.units):
        return None
    c = Conversions(control.units, control.conversions)
    t = Conversions(treatment.units, treatment.conversions)
    return fixed_horizon_test(c, t) if method == "frequentist" else sequential_test(c, t)


def experiment_result(
    session: Session, experiment: Experiment, method: str = "sequential"
) -> ExperimentResult:
    """Counts per arm, the lift (always-valid by default: dashboards are read daily), SRM."""
    rows = session.execute(
        select(
            ArmDay.day,
            ArmDay.arm,
            ArmDay.units,
            ArmDay.converted_units,
            ArmDay.excluded_units,
            ArmDay.viewable_units,
            ArmDay.interactions,
            ArmDay.revenue,
        )
        .where(ArmDay.experiment_id == experiment.id)
        .order_by(ArmDay.day)
    ).all()
    totals: dict[str, list[Any]] = {arm: [0, 0, 0, 0, 0, 0.0] for arm in ARMS}
    over_time: list[LiftPoint] = []
    for index, row in enumerate(rows):
        if row.arm in totals:
            for position, value in enumerate(row[2:]):
                totals[row.arm][position] += value
        last_of_day = index + 1 == len(rows) or rows[index + 1].day != row.day
        if last_of_day:
            lift = _lift(ArmCounts(*totals[HOLDOUT]), ArmCounts(*totals[TREATMENT]), "sequential")
            defined = lift is not None and lift.is_defined
            over_time.append(
                LiftPoint(
                    row.day,
                    lift.relative_lift if defined and lift else None,
                    lift.ci if defined and lift else None,
                )
            )
    arms = {arm: ArmCounts(*values) for arm, values in totals.items()}
    control, treatment = arms[HOLDOUT], arms[TREATMENT]
    srm = check_sample_ratio(control.units, treatment.units, experiment.holdout_share)
    lift = _lift(control, treatment, method)
    if lift is None:
        verdict = Verdict("not_enough_data", "Not enough data yet: an arm has no visitors.")
    else:
        verdict = lift_verdict(lift, srm, control.conversions, treatment.conversions)
    return ExperimentResult(arms, lift, srm, verdict, over_time)


def latest_rollup_day(session: Session, experiment: Experiment) -> date | None:
    """The last day rolled up for the experiment."""
    return session.scalar(select(func.max(ArmDay.day)).where(ArmDay.experiment_id == experiment.id))
