"""The per-visitor slot decision that widgets ask for (see testimonials.slots).

For a widget under a running experiment, each slot request derives the visitor-day unit,
computes its arm, picks the treatment's testimonials (randomised per unit when the
experiment says so) and records the exposure, for both arms, before anything renders.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from limits import parse
from sqlalchemy.orm import Session
from werkzeug.exceptions import TooManyRequests

from testimonials.extensions import limiter
from testimonials.slots import SlotDecision, SlotPlan, SlotVisitor
from testimonials.stats.assignment import fnv1a32
from testimonials.tracking.events import record_exposure
from testimonials.tracking.experiments import (
    arm_for,
    experiment_by_public_key,
    running_experiment_for_widget,
)
from testimonials.tracking.intake import TRACKING_RATE_LIMIT
from testimonials.tracking.models import ExperimentStatus
from testimonials.tracking.visitor import identify_visitor

# The widget's per-visitor slot writes an exposure, like the tracking slot endpoint: the
# same limit per client address, counted apart from it.
SLOT_RATE = parse(TRACKING_RATE_LIMIT)


def featured_order(experiment_key: str, unit: str, pool: Sequence[int], shown: int) -> list[int]:
    """The `shown` testimonials of `pool` this unit sees, in order: a hash-chosen permutation.

    Each testimonial gets the FNV-1a hash of (experiment key, unit, its id), hashed once
    more as GrowthBook's v2 buckets are (one round leaves ids that differ only in their last
    digit in nearly the same order); sorting by it is a uniformly random order per unit,
    the same on every request of that unit.
    """
    ranked = sorted(pool, key=lambda i: (fnv1a32(str(fnv1a32(f"{experiment_key}|{unit}|{i}"))), i))
    return ranked[:shown]


class TrackingSlotDecider:
    """Registered in `app.extensions[testimonials.slots.EXTENSION]` by tracking's init_app."""

    def plan(self, session: Session, workspace_id: int, widget_key: str) -> SlotPlan | None:
        """The widget's running experiment as its slot needs it, if any."""
        experiment = running_experiment_for_widget(session, workspace_id, widget_key)
        if experiment is None:
            return None
        return SlotPlan(
            experiment=experiment.public_key,
            randomise=experiment.randomise_testimonials,
            goals=tuple(experiment.goal_urls or ()),
        )

    def decide(
        self,
        session: Session,
        workspace_id: int,
        plan: SlotPlan,
        visitor: SlotVisitor,
        pool: Sequence[int],
        shown: int,
        *,
        record: bool,
    ) -> SlotDecision | None:
        """This visitor's slot; the exposure is recorded (both arms) when `record`."""
        experiment = experiment_by_public_key(session, plan.experiment)
        if experiment is None or experiment.workspace_id != workspace_id:
            return None
        if experiment.status != ExperimentStatus.RUNNING:
            return None
        if (
            record
            and limiter.enabled
            and not limiter.limiter.hit(SLOT_RATE, "widget-slot", visitor.ip)
        ):
            raise TooManyRequests(f"At most {TRACKING_RATE_LIMIT} slot requests per address.")
        unit = identify_visitor(
            session,
            workspace_id,
            ip=visitor.ip,
            user_agent=visitor.user_agent,
            accept_language=visitor.accept_language,
            privacy_signal=visitor.privacy_signal,
            automated_hint=visitor.automated_hint,
            now=datetime.now(UTC),
        )
        if experiment.randomise_testimonials:
            featured = featured_order(experiment.key, unit.unit_key, pool, shown)
        else:
            featured = list(pool[:shown])
        if record:
            # The server names the exposure: the loader's slot request stays a plain GET.
            record_exposure(session, experiment, unit, f"x-{secrets.token_hex(12)}", featured)
        arm = arm_for(experiment, unit.unit_key)
        return SlotDecision(arm=arm, unit=unit.unit_key, featured=tuple(featured))
