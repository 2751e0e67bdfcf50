"""An experiment's result: units and conversions per arm, lift, SRM and the verdict."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

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
from testimonials.tracking.models import EventKind, Experiment, TrackingEvent

ARMS = (HOLDOUT, TREATMENT)


@dataclass(frozen=True)
class ArmCounts:
    """One arm's analysed units and converted units, and the units filtered out."""

    units: int
    conversions: int
    excluded_units: int

    @property
    def excluded_share(self) -> float:
        """Share of this arm's exposed units left out (bots, privacy signals)."""
        seen = self.units + self.excluded_units
        return self.excluded_units / seen if seen else 0.0


@dataclass(frozen=True)
class ExperimentResult:
    """What the report shows for one experiment."""

    arms: dict[str, ArmCounts]
    lift: LiftResult | None
    srm: SrmCheck
    verdict: Verdict


def _units(session: Session, experiment: Experiment, excluded: bool) -> dict[str, int]:
    e = TrackingEvent
    condition = e.excluded.is_not(None) if excluded else e.excluded.is_(None)
    rows = session.execute(
        select(e.arm, func.count(func.distinct(e.unit_key)))
        .where(e.experiment_id == experiment.id, e.kind == EventKind.EXPOSURE.value, condition)
        .group_by(e.arm)
    ).all()
    return {arm: count for arm, count in rows}


def _converted_units(session: Session, experiment: Experiment) -> dict[str, int]:
    # A conversion counts only for a unit that was exposed in the same arm and day-unit.
    conversion, exposure = aliased(TrackingEvent), aliased(TrackingEvent)
    exposed = (
        select(exposure.id)
        .where(
            exposure.experiment_id == experiment.id,
            exposure.kind == EventKind.EXPOSURE.value,
            exposure.unit_key == conversion.unit_key,
            exposure.arm == conversion.arm,
        )
        .exists()
    )
    rows = session.execute(
        select(conversion.arm, func.count(func.distinct(conversion.unit_key)))
        .where(
            and_(
                conversion.experiment_id == experiment.id,
                conversion.kind == EventKind.CONVERSION.value,
                conversion.excluded.is_(None),
                exposed,
            )
        )
        .group_by(conversion.arm)
    ).all()
    return {arm: count for arm, count in rows}


def experiment_result(
    session: Session, experiment: Experiment, method: str = "sequential"
) -> ExperimentResult:
    """Counts per arm, the lift (always-valid by default: dashboards are read daily), SRM."""
    units = _units(session, experiment, excluded=False)
    excluded = _units(session, experiment, excluded=True)
    converted = _converted_units(session, experiment)
    arms = {
        arm: ArmCounts(units.get(arm, 0), converted.get(arm, 0), excluded.get(arm, 0))
        for arm in ARMS
    }
    control, treatment = arms[HOLDOUT], arms[TREATMENT]
    srm = check_sample_ratio(control.units, treatment.units, experiment.holdout_share)
    lift = None
    if control.units and treatment.units:
        c = Conversions(control.units, control.conversions)
        t = Conversions(treatment.units, treatment.conversions)
        lift = fixed_horizon_test(c, t) if method == "frequentist" else sequential_test(c, t)
    if lift is None:
        verdict = Verdict("not_enough_data", "Not enough data yet: an arm has no visitors.")
    else:
        verdict = lift_verdict(lift, srm, control.conversions, treatment.conversions)
    return ExperimentResult(arms, lift, srm, verdict)
