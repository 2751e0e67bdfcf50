"""A simulated month of traffic for the demo's lift report, clearly labelled as simulated.

Visitors are made up, but everything after that is the product's own path: each visitor's
arm comes from the real GrowthBook bucketing (`arm_for`), their exposure and page events
become rows by the recording path's own mapping (`event_row`) and are stored a day at a
time in one executemany (the experiment is new, so no event id can repeat), and every day
is rolled up by `roll_up_day`: the report reads the same roll-ups it reads for real traffic.
The seed is fixed: every demo shows the same month.

Rates are typical of a landing page: about 3.5% of visitors convert without the widget,
6% more (relative) with it; 85% of slots are reached, 70% of those become viewable, one
viewer in ten interacts and three in a hundred click through (from one of the cards shown),
and each card shown is expanded by two viewers in a hundred (the standout testimonial's by
four). 3% of visitors are bots and 2% send Sec-GPC; both are left out of both arms alike.
Which testimonials a visitor sees is randomised, as `randomise_testimonials` does, and
each day's end gets the daily analysis's snapshot.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from testimonials.curation.models import Status, Testimonial
from testimonials.report.experiments import SIMULATED_KEY_PREFIX
from testimonials.stats.assignment import TREATMENT
from testimonials.tracking import experiments
from testimonials.tracking.events import event_row
from testimonials.tracking.experiments import arm_for
from testimonials.tracking.models import Exclusion, Experiment, TrackingEvent
from testimonials.tracking.rollups import roll_up_day
from testimonials.tracking.snapshots import record_snapshot
from testimonials.tracking.visitor import Visitor

DEMO_EXPERIMENT_KEY = f"{SIMULATED_KEY_PREFIX}demo-month"
DEMO_EXPERIMENT_NAME = "Simulated month: does the carousel sell?"
SEED = 7  # chosen so the month shows close to its true +6% (any seed is honest)


@dataclass(frozen=True)
class TrafficModel:
    """The made-up visitors' behaviour."""

    daily_units: int = 700
    baseline: float = 0.035
    lift: float = 0.06
    reached: float = 0.85
    viewable: float = 0.70
    engaged: float = 0.10
    clicked: float = 0.03
    expanded: float = 0.02  # per card shown, of viewable visitors
    bots: float = 0.03
    privacy_signal: float = 0.02
    weekend_factor: float = 0.7
    featured_per_visitor: int = 3
    # One testimonial is better than the rest (relative effect on conversion when shown).
    standout_effect: float = 0.15


def simulate_traffic(
    session: Session,
    experiment: Experiment,
    first_day: date,
    days: int,
    testimonial_ids: list[int],
    model: TrafficModel = TrafficModel(),
    seed: int = SEED,
) -> int:
    """Record `days` days of simulated visitors from `first_day`, roll them up; how many."""
    rng = random.Random(seed)  # noqa: S311 (made-up visitors, reproducible on purpose)
    # Which card a visitor acts on draws from its own stream, so the month's visitors and
    # conversions stay what they were before cards were named.
    cards = random.Random(seed + 1)  # noqa: S311
    standout = testimonial_ids[0] if testimonial_ids else None
    shown_count = min(model.featured_per_visitor, len(testimonial_ids))
    # Scale treated conversion so the average effect over random selections is `lift`.
    standout_share = shown_count / len(testimonial_ids) if testimonial_ids else 0.0
    mean_boost = 1 + model.standout_effect * standout_share
    visitors = 0
    rows: list[dict] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        volume = model.daily_units * (model.weekend_factor if day.weekday() >= 5 else 1.0)
        for n in range(int(rng.gauss(volume, volume**0.5))):
            visitors += 1
            tag = f"sim-{day:%Y%m%d}-{n:05d}"
            roll = rng.random()
            excluded = (
                Exclusion.BOT
                if roll < model.bots
                else Exclusion.PRIVACY_SIGNAL
                if roll < model.bots + model.privacy_signal
                else None
            )
            visitor = Visitor(day, f"{rng.getrandbits(128):032x}", excluded)
            featured = rng.sample(testimonial_ids, shown_count) if shown_count else []
            arm = arm_for(experiment, visitor.unit_key)
            exposure: dict = {"id": f"{tag}-x", "type": "exposure"}
            if arm == TREATMENT:
                exposure["testimonials"] = featured  # stored as record_exposure stores it
            p = model.baseline
            events = [exposure]
            if rng.random() < model.reached:
                events.append({"id": f"{tag}-r", "type": "slot_reached"})
                if arm == TREATMENT and rng.random() < model.viewable:
                    events.append({"id": f"{tag}-v", "type": "viewable"})
                    if rng.random() < model.engaged:
                        events.append({"id": f"{tag}-i", "type": "interaction", "name": "next"})
                    if rng.random() < model.clicked:
                        events.append({"id": f"{tag}-c", "type": "interaction", "name": "click"})
                        if featured:
                            events[-1]["testimonials"] = [cards.choice(featured)]
                    for card in featured:  # the standout's card is expanded twice as often
                        if cards.random() < model.expanded * (2 if card == standout else 1):
                            events.append(
                                {"id": f"{tag}-e{card}", "type": "interaction", "name": "expand"}
                            )
                            events[-1]["testimonials"] = [card]
            if arm == TREATMENT:
                boost = 1 + model.standout_effect if standout in featured else 1.0
                p = model.baseline * (1 + model.lift) * boost / mean_boost
            if rng.random() < p:
                value = round(rng.lognormvariate(3.9, 0.5), 2)
                events.append({"id": f"{tag}-k", "type": "conversion", "name": "signup"})
                events[-1]["value"] = value
            rows.extend(event_row(experiment, visitor, arm, event) for event in events)
        # Core, not the ORM: one executemany instead of a statement per row.
        session.execute(insert(TrackingEvent.__table__), rows)  # type: ignore[arg-type]
        rows.clear()
        roll_up_day(session, day, experiment.id)
        # What the daily analysis would have said at the end of that day.
        record_snapshot(
            session, experiment, day, datetime.combine(day + timedelta(1), time(0, 10), UTC)
        )
    return visitors


def seed_simulated_month(
    session: Session,
    workspace_id: int,
    widget_key: str,
    testimonial_ids: list[int],
    now: datetime | None = None,
    model: TrafficModel = TrafficModel(),
) -> Experiment:
    """The demo's experiment with 30 days of simulated traffic ending yesterday; idempotent."""
    existing = session.scalar(
        select(Experiment).where(
            Experiment.workspace_id == workspace_id, Experiment.key == DEMO_EXPERIMENT_KEY
        )
    )
    if existing is not None:
        return existing
    now = now or datetime.now(UTC)
    first_day = now.date() - timedelta(days=30)
    experiment = experiments.create_experiment(
        session,
        workspace_id,
        name=DEMO_EXPERIMENT_NAME,
        widget_key=widget_key,
        key=DEMO_EXPERIMENT_KEY,
        holdout_share=0.2,
        minimum_detectable_lift=0.1,
        randomise_testimonials=True,
    )
    experiments.start_experiment(
        session, experiment, datetime.combine(first_day, datetime.min.time(), UTC)
    )
    simulate_traffic(session, experiment, first_day, 30, testimonial_ids, model)
    # Stopped, so real visits to the demo's landing page never mix with the simulated month.
    experiments.stop_experiment(session, experiment, now)
    return experiment


def demo_testimonial_ids(session: Session, workspace_id: int, limit: int = 6) -> list[int]:
    """The approved testimonials the simulated carousel features (best ranked first)."""
    return list(
        session.scalars(
            select(Testimonial.id)
            .where(
                Testimonial.workspace_id == workspace_id,
                Testimonial.status == Status.APPROVED.value,
            )
            .order_by(Testimonial.rank_score.desc(), Testimonial.id)
            .limit(limit)
        )
    )
