"""Roll-ups: per unit and per day, so reports never scan raw events.

Because the unit is a visitor-day, a unit lives within one day and per-day counts of
units add up exactly across days. `roll_up_day` rebuilds one day of one experiment (or
all experiments) from its events: it is idempotent, so re-running a day after late
events arrive simply replaces it. The arm-day rows carry sums, sums of squares and the
cross product the ratio-metric statistics need.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from testimonials.tracking.models import ArmDay, EventKind, TrackingEvent, UnitDay


def _count(kind: EventKind):
    return func.sum(case((TrackingEvent.kind == kind.value, 1), else_=0))


def roll_up_day(session: Session, day: date, experiment_id: int | None = None) -> int:
    """Rebuild the unit-day and arm-day rows of `day`; how many units it saw."""
    e = TrackingEvent
    scope_events = [e.day == day]
    scope_units = [UnitDay.day == day]
    scope_arms = [ArmDay.day == day]
    if experiment_id is not None:
        scope_events.append(e.experiment_id == experiment_id)
        scope_units.append(UnitDay.experiment_id == experiment_id)
        scope_arms.append(ArmDay.experiment_id == experiment_id)
    session.execute(delete(ArmDay).where(*scope_arms))
    session.execute(delete(UnitDay).where(*scope_units))
    revenue = func.sum(
        case((e.kind == EventKind.CONVERSION.value, func.coalesce(e.value, 0.0)), else_=0.0)
    )
    per_unit = (
        select(
            e.experiment_id,
            e.day,
            e.unit_key,
            func.min(e.workspace_id),
            func.min(e.arm),
            func.max(e.excluded),  # any excluded event excludes the unit
            _count(EventKind.EXPOSURE),
            _count(EventKind.SLOT_REACHED),
            _count(EventKind.VIEWABLE),
            _count(EventKind.INTERACTION),
            _count(EventKind.CONVERSION),
            revenue,
        )
        .where(*scope_events)
        .group_by(e.experiment_id, e.day, e.unit_key)
    )
    columns = [
        "experiment_id",
        "day",
        "unit_key",
        "workspace_id",
        "arm",
        "excluded",
        "exposures",
        "slots_reached",
        "viewables",
        "interactions",
        "conversions",
        "revenue",
    ]
    session.execute(insert(UnitDay).from_select(columns, per_unit))
    u = UnitDay
    kept = u.excluded.is_(None)

    def kept_sum(value):
        return func.coalesce(func.sum(case((kept, value), else_=0)), 0)

    per_arm = (
        select(
            u.experiment_id,
            u.day,
            u.arm,
            func.min(u.workspace_id),
            kept_sum(1),
            func.coalesce(func.sum(case((kept, 0), else_=1)), 0),
            kept_sum(case((u.conversions > 0, 1), else_=0)),
            kept_sum(case((u.slots_reached > 0, 1), else_=0)),
            kept_sum(case((u.viewables > 0, 1), else_=0)),
            kept_sum(u.viewables),
            kept_sum(u.viewables * u.viewables),
            kept_sum(u.interactions),
            kept_sum(u.interactions * u.interactions),
            kept_sum(u.interactions * u.viewables),
            cast(kept_sum(u.revenue), ArmDay.revenue.type),
            cast(kept_sum(u.revenue * u.revenue), ArmDay.revenue_squares.type),
        )
        .where(*scope_units, u.exposures > 0)  # only units that were assigned count
        .group_by(u.experiment_id, u.day, u.arm)
    )
    arm_columns = [
        "experiment_id",
        "day",
        "arm",
        "workspace_id",
        "units",
        "excluded_units",
        "converted_units",
        "reached_units",
        "viewable_units",
        "viewables",
        "viewables_squares",
        "interactions",
        "interactions_squares",
        "interactions_x_viewables",
        "revenue",
        "revenue_squares",
    ]
    session.execute(insert(ArmDay).from_select(arm_columns, per_arm))
    session.flush()
    return session.scalar(select(func.count()).select_from(UnitDay).where(*scope_units)) or 0
