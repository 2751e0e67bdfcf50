"""Daily snapshots: what each running experiment's analysis said at the end of each day.

The report's chart recomputes the cumulative lift from today's roll-ups; a snapshot keeps
what the analysis read *then* (its verdict in words, lift, interval, p-value or chance to
win, SRM), so a report can show how the estimate and the verdict evolved, and a late
roll-up or a changed method cannot rewrite what a marketer was told. One row per
experiment and day: re-running the day replaces it (idempotent).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.stats.assignment import HOLDOUT, TREATMENT
from testimonials.tracking.analysis import ExperimentResult, experiment_result
from testimonials.tracking.models import Experiment, ExperimentSnapshot, ExperimentStatus

log = logging.getLogger(__name__)


def snapshot_of(experiment: Experiment, day: date, result: ExperimentResult) -> dict:
    """The snapshot row of `result` read at the end of `day`."""
    lift = result.lift if result.lift is not None and result.lift.is_defined else None
    holdout, treatment = result.arms[HOLDOUT], result.arms[TREATMENT]
    return {
        "experiment_id": experiment.id,
        "day": day,
        "workspace_id": experiment.workspace_id,
        "method": result.method,
        "verdict_kind": result.verdict.kind,
        "verdict": result.verdict.message[:1000],
        "relative_lift": lift.relative_lift if lift else None,
        "ci_low": lift.ci[0] if lift else None,
        "ci_high": lift.ci[1] if lift else None,
        "p_value": lift.p_value if lift else None,
        "chance_to_win": lift.chance_to_win if lift else None,
        "srm_p_value": result.srm.p_value,
        "holdout_units": holdout.units,
        "treatment_units": treatment.units,
        "holdout_conversions": holdout.conversions,
        "treatment_conversions": treatment.conversions,
    }


def record_snapshot(
    session: Session, experiment: Experiment, day: date, now: datetime
) -> ExperimentSnapshot | None:
    """Store (or replace) the experiment's snapshot for `day`; None before its first day."""
    result = experiment_result(session, experiment, through=day)
    if not result.days:
        return None
    values = snapshot_of(experiment, day, result)
    row = session.get(ExperimentSnapshot, (experiment.id, day))
    if row is None:
        row = ExperimentSnapshot(**values, recorded_at=now)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.recorded_at = now
    session.flush()
    return row


def record_daily_snapshots(session: Session, now: datetime) -> int:
    """Snapshot every running experiment at the end of the day before `now`; how many."""
    day = now.date() - timedelta(days=1)
    running = session.scalars(
        select(Experiment)
        .where(Experiment.status == ExperimentStatus.RUNNING.value)
        .order_by(Experiment.id)
    ).all()
    written = 0
    for experiment in running:
        row = record_snapshot(session, experiment, day, now)
        if row is None:
            continue
        written += 1
        log.log(
            logging.INFO if row.verdict_kind != "sample_ratio_mismatch" else logging.WARNING,
            "experiment %s (workspace %s) at the end of %s: %s",
            experiment.id,
            experiment.workspace_id,
            day,
            row.verdict,
        )
    return written


def experiment_snapshots(session: Session, experiment: Experiment) -> list[ExperimentSnapshot]:
    """The experiment's daily snapshots, oldest first."""
    return list(
        session.scalars(
            select(ExperimentSnapshot)
            .where(
                ExperimentSnapshot.experiment_id == experiment.id,
                ExperimentSnapshot.workspace_id == experiment.workspace_id,
            )
            .order_by(ExperimentSnapshot.day)
        )
    )
