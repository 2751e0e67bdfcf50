"""Recording events: exposures from the server, beacons from pages, once each.

Every event is stored with the unit's arm as the server computes it (never as a page
claims it) and with its exclusion, if any, so bots and privacy-signal visitors are left
out of both arms alike. A retried beacon repeats its client event ids and is a no-op.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from testimonials.db import insert_new_rows
from testimonials.errors import ConflictError
from testimonials.stats.assignment import TREATMENT
from testimonials.tracking.experiments import arm_for
from testimonials.tracking.models import EventKind, Experiment, ExperimentStatus, TrackingEvent
from testimonials.tracking.visitor import Visitor

IDEMPOTENCY_KEY = ("day", "experiment_id", "client_event_id")


@dataclass(frozen=True)
class BeaconReceipt:
    """How many events of a batch were stored now, and how many had been already."""

    accepted: int
    duplicates: int


def _row(experiment: Experiment, visitor: Visitor, arm: str, event: dict[str, Any]) -> dict:
    return {
        "day": visitor.day,
        "workspace_id": experiment.workspace_id,
        "experiment_id": experiment.id,
        "client_event_id": event["id"],
        "kind": event["type"],
        "name": event.get("name"),
        "unit_key": visitor.unit_key,
        "arm": arm,
        "excluded": visitor.excluded.value if visitor.excluded else None,
        "value": event.get("value"),
        "order_id": event.get("order_id"),
        "testimonial_ids": _ids(event.get("testimonials")),
    }


def _ids(testimonial_ids: Sequence[int] | None) -> str | None:
    return ",".join(str(i) for i in testimonial_ids) if testimonial_ids else None


def record_exposure(
    session: Session,
    experiment: Experiment,
    visitor: Visitor,
    client_event_id: str,
    featured: Sequence[int] = (),
) -> str | None:
    """Record that the slot was requested and return the arm to render; None when not running.

    Exposures are recorded for both arms, before rendering, so the holdout is counted
    exactly like the treatment. `featured` (the treatment's testimonials in display order,
    when the experiment randomises them) is stored with a treatment exposure only.
    """
    if experiment.status != ExperimentStatus.RUNNING:
        return None
    arm = arm_for(experiment, visitor.unit_key)
    event: dict[str, Any] = {"id": client_event_id, "type": EventKind.EXPOSURE.value}
    if arm == TREATMENT:
        event["testimonials"] = featured
    insert_new_rows(
        session, TrackingEvent, [_row(experiment, visitor, arm, event)], IDEMPOTENCY_KEY
    )
    return arm


def record_beacon(
    session: Session, experiment: Experiment, visitor: Visitor, events: Sequence[dict[str, Any]]
) -> BeaconReceipt:
    """Store a page's batch of events (validated by BeaconSchema) for its visitor-day unit."""
    if experiment.status != ExperimentStatus.RUNNING:
        raise ConflictError("This experiment is not running; its events are not recorded.")
    arm = arm_for(experiment, visitor.unit_key)
    unique: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.get("testimonial"):
            event = {**event, "testimonials": [event["testimonial"]]}
        unique.setdefault(event["id"], event)  # the same id twice in one batch is one event
    rows = [_row(experiment, visitor, arm, event) for event in unique.values()]
    stored = insert_new_rows(session, TrackingEvent, rows, IDEMPOTENCY_KEY)
    return BeaconReceipt(accepted=stored, duplicates=len(events) - stored)


def event_row(
    experiment: Experiment, visitor: Visitor, arm: str, event: dict[str, Any]
) -> dict[str, Any]:
    """The stored row of one event (exposure or page event) of a visitor in an arm."""
    return _row(experiment, visitor, arm, event)
