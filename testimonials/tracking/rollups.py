"""Roll-ups: per unit and per day, so reports never scan raw events.

Because the unit is a visitor-day, a unit lives within one day and per-day counts of
units add up exactly across days. `roll_up_day` rebuilds one day of one experiment (or
all experiments) from its events: it is idempotent, so re-running a day after late
events arrive simply replaces it. The arm-day rows carry sums, sums of squares and the
cross product the ratio-metric statistics need.

Click-throughs are interaction events whose name is `click` or starts with `click_` (the
loader names a click on a testimonial's link so); every interaction counts as engagement.
Per-testimonial day rows are built from the unit-day rows (never from events again): a
treatment unit whose exposure recorded `testimonial_ids` ("12,7,31", display order) counts
once for each testimonial it was shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, cast, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from testimonials.stats.assignment import TREATMENT
from testimonials.tracking.models import (
    ArmDay,
    EventKind,
    TestimonialDay,
    TrackingEvent,
    UnitDay,
)

CLICK_NAME = "click"
# The name the loader gives a widget's viewable event when it also measures each card.
CARDS_MEASURED = "cards"


def _count(kind: EventKind):
    return func.sum(case((TrackingEvent.kind == kind.value, 1), else_=0))


def is_click(name: str | None) -> bool:
    """Whether an interaction of this name is a click-through (the rule the SQL applies)."""
    return name is not None and (name == CLICK_NAME or name.startswith(CLICK_NAME + "_"))


def featured_ids(featured: str | None) -> list[int]:
    """The testimonial ids of an exposure's `testimonial_ids` column, in display order."""
    ids: list[int] = []
    for part in (featured or "").split(","):
        part = part.strip()
        if part.isdigit() and int(part) not in ids:
            ids.append(int(part))
    return ids


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
    scope_testimonials = [TestimonialDay.day == day]
    if experiment_id is not None:
        scope_testimonials.append(TestimonialDay.experiment_id == experiment_id)
    session.execute(delete(TestimonialDay).where(*scope_testimonials))
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
            func.sum(
                case(
                    (
                        (e.kind == EventKind.INTERACTION.value)
                        & or_(e.name == CLICK_NAME, e.name.like(CLICK_NAME + "\\_%", escape="\\")),
                        1,
                    ),
                    else_=0,
                )
            ),
            # Per-unit randomisation is deterministic, so a unit-day's exposures agree.
            func.max(case((e.kind == EventKind.EXPOSURE.value, e.testimonial_ids), else_=None)),
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
        "clicks",
        "featured",
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
            kept_sum(case((u.interactions > 0, 1), else_=0)),
            kept_sum(u.clicks),
            kept_sum(u.clicks * u.clicks),
            kept_sum(u.clicks * u.viewables),
            kept_sum(case((u.featured.is_not(None), 1), else_=0)),
            kept_sum(case((u.featured.is_not(None) & (u.conversions > 0), 1), else_=0)),
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
        "engaged_units",
        "clicks",
        "clicks_squares",
        "clicks_x_viewables",
        "randomised_units",
        "randomised_converted_units",
    ]
    session.execute(insert(ArmDay).from_select(arm_columns, per_arm))
    _roll_up_testimonials(session, scope_units, scope_events)
    session.flush()
    return session.scalar(select(func.count()).select_from(UnitDay).where(*scope_units)) or 0


@dataclass
class UnitCards:
    """What one unit did with the cards: which it saw, and its actions on each."""

    # The loader measured each card's own viewability (its widget viewable event says so);
    # otherwise a card counts as seen when its widget was viewable.
    measured: bool = False
    seen: set[int] = field(default_factory=set)
    actions: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))

    def saw(self, testimonial_id: int, widget_viewable: bool) -> bool:
        """Whether the unit had this testimonial's card in view."""
        return testimonial_id in self.seen if self.measured else widget_viewable


def card_events(session: Session, scope_events: list) -> dict[tuple, UnitCards]:
    """(experiment, day, unit) -> the cards it saw and the interaction names on each.

    Repeated events (an expand twice) collapse in the sets below, not in SQL: a DISTINCT
    sent SQLite, without statistics, to the (experiment, kind) index for its ordering, so
    it read every event of the experiment's every day (~1.3 s at 200k events, twice per
    report read) instead of the day's events through the (day, experiment) index.
    """
    e = TrackingEvent
    rows = session.execute(
        select(e.experiment_id, e.day, e.unit_key, e.kind, e.testimonial_ids, e.name).where(
            *scope_events,
            or_(
                (e.kind == EventKind.INTERACTION.value) & e.testimonial_ids.is_not(None),
                (e.kind == EventKind.CARD_VIEWABLE.value) & e.testimonial_ids.is_not(None),
                (e.kind == EventKind.VIEWABLE.value) & (e.name == CARDS_MEASURED),
            ),
        )
    )
    units: dict[tuple, UnitCards] = defaultdict(UnitCards)
    for experiment_id, day, unit_key, kind, testimonial_ids, name in rows:
        unit = units[(experiment_id, day, unit_key)]
        if kind == EventKind.VIEWABLE.value:
            unit.measured = True
        for testimonial_id in featured_ids(testimonial_ids):
            if kind == EventKind.CARD_VIEWABLE.value:
                unit.seen.add(testimonial_id)
            else:
                unit.actions[testimonial_id].add(name or "")
    return units


# The per-testimonial row's counts, in order after the workspace id.
_TESTIMONIAL_COUNTS = (
    "units",
    "first_units",
    "viewable_units",
    "engaged_units",
    "converted_units",
    "card_engaged_units",
    "expand_units",
    "play_units",
    "click_units",
)


def _roll_up_testimonials(session: Session, scope_units: list, scope_events: list) -> None:
    """Per-testimonial day rows of the kept treatment units that recorded a selection.

    A card counts as seen by a unit that had that card itself in view (>= 50% of it for a
    second; in a carousel the widget can be in view while a card is scrolled away), or,
    where the page's loader did not measure cards, by a unit whose widget was viewable.
    Its actions count only for units that saw it, so every per-card rate has the same base
    and stays within 0-1.
    """
    cards = card_events(session, scope_events)
    nothing = UnitCards()
    u = UnitDay
    rows = session.execute(
        select(
            u.experiment_id,
            u.day,
            u.unit_key,
            u.workspace_id,
            u.featured,
            u.viewables > 0,
            u.interactions > 0,
            u.conversions > 0,
        ).where(
            *scope_units,
            u.arm == TREATMENT,
            u.excluded.is_(None),
            u.exposures > 0,
            u.featured.is_not(None),
        )
    )
    # (experiment, day, testimonial) -> [workspace, *_TESTIMONIAL_COUNTS]
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0] * (1 + len(_TESTIMONIAL_COUNTS)))
    for experiment_id, day, unit_key, workspace_id, featured, viewable, engaged, converted in rows:
        unit = cards.get((experiment_id, day, unit_key), nothing)
        for position, testimonial_id in enumerate(featured_ids(featured)):
            row = sums[(experiment_id, day, testimonial_id)]
            saw = unit.saw(testimonial_id, bool(viewable))
            row[0] = workspace_id
            row[1] += 1
            row[2] += position == 0
            row[3] += saw
            row[4] += bool(engaged)
            row[5] += bool(converted)
            names = unit.actions.get(testimonial_id) if saw else None
            if names:
                row[6] += 1
                row[7] += "expand" in names
                row[8] += "play" in names
                row[9] += any(is_click(name) for name in names)
    if sums:
        session.execute(
            insert(TestimonialDay),
            [
                {
                    "experiment_id": experiment_id,
                    "day": day,
                    "testimonial_id": testimonial_id,
                    "workspace_id": row[0],
                    **dict(zip(_TESTIMONIAL_COUNTS, row[1:], strict=True)),
                }
                for (experiment_id, day, testimonial_id), row in sums.items()
            ],
        )
