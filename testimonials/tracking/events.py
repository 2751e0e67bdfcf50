"""Recording events: exposures from the server, beacons from pages, once each.

Every event is stored with the unit's arm as the server computes it (never as a page
claims it) and with its exclusion, if any, so bots and privacy-signal visitors are left
out of both arms alike. A retried beacon repeats its client event ids and is a no-op.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from testimonials.bulk_insert import insert_new_rows
from testimonials.db import utcnow
from testimonials.errors import ConflictError
from testimonials.stats.assignment import TREATMENT
from testimonials.tracking.experiments import ExperimentLike, arm_for
from testimonials.tracking.models import EventKind, Experiment, ExperimentStatus, TrackingEvent
from testimonials.tracking.visitor import Visitor

IDEMPOTENCY_KEY = ("day", "experiment_id", "client_event_id")
EventKey = tuple[date, int, str]  # the IDEMPOTENCY_KEY values of one event


@dataclass(frozen=True)
class BeaconReceipt:
    """How many events of a batch were stored now, and how many had been already."""

    accepted: int
    duplicates: int


def event_row(
    experiment: ExperimentLike,
    visitor: Visitor,
    arm: str,
    event: dict[str, Any],
    received_at: datetime | None = None,
) -> dict[str, Any]:
    """The stored row of one validated event: the one place a payload becomes a row.

    A new event field is a new key here (and a column); bulk writers take the keys as
    they come, in this order.
    """
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
        "received_at": received_at or utcnow(),
    }


def _ids(testimonial_ids: Sequence[int] | None) -> str | None:
    """Featured testimonials in display order as stored: "12,7,31" (None for none)."""
    return ",".join(str(i) for i in testimonial_ids) if testimonial_ids else None


def event_key(row: dict[str, Any]) -> EventKey:
    """The idempotency key of a row made by `event_row`."""
    return (row["day"], row["experiment_id"], row["client_event_id"])


def store_new_events(connection: Connection, rows: Sequence[dict[str, Any]]) -> set[EventKey]:
    """Insert the rows not stored yet (by idempotency key); the keys of those inserted now.

    PostgreSQL takes the batch through COPY (see storage.copy_new_events); SQLite, the
    embedded default, through one INSERT ... ON CONFLICT DO NOTHING.
    """
    if not rows:
        return set()
    if connection.dialect.name == "postgresql":
        from testimonials.tracking.storage import copy_new_events, driver_of

        return copy_new_events(driver_of(connection), rows)
    from sqlalchemy.dialects import sqlite  # only where SQLite is the database

    statement = (
        sqlite.insert(TrackingEvent)
        .on_conflict_do_nothing(index_elements=list(IDEMPOTENCY_KEY))
        .returning(TrackingEvent.day, TrackingEvent.experiment_id, TrackingEvent.client_event_id)
    )
    return {
        (day, experiment_id, event_id)
        for day, experiment_id, event_id in connection.execute(statement, list(rows))
    }


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
        session, TrackingEvent, [event_row(experiment, visitor, arm, event)], IDEMPOTENCY_KEY
    )
    return arm


def beacon_rows(
    experiment: ExperimentLike, visitor: Visitor, events: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows of a page's batch (validated by BeaconSchema), one per distinct event id."""
    arm = arm_for(experiment, visitor.unit_key)
    unique: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.get("testimonial"):  # the card an interaction concerns
            event = {**event, "testimonials": [event["testimonial"]]}
        unique.setdefault(event["id"], event)  # the same id twice in one batch is one event
    now = utcnow()
    return [event_row(experiment, visitor, arm, event, now) for event in unique.values()]


def refuse_unless_running(status: str) -> None:
    """409 for events of an experiment that is a draft or stopped."""
    if status != ExperimentStatus.RUNNING:
        raise ConflictError("This experiment is not running; its events are not recorded.")


def record_beacon(
    session: Session, experiment: Experiment, visitor: Visitor, events: Sequence[dict[str, Any]]
) -> BeaconReceipt:
    """Store a page's batch of events (validated by BeaconSchema) for its visitor-day unit."""
    refuse_unless_running(experiment.status)
    rows = beacon_rows(experiment, visitor, events)
    stored = len(store_new_events(session.connection(), rows))
    return BeaconReceipt(accepted=stored, duplicates=len(events) - stored)
