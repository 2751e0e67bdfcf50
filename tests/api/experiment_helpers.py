"""Shared set-up of the lift report tests: deterministic traffic, a started experiment."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.stats import Conversions
from testimonials.tracking import experiments as service
from testimonials.tracking.events import record_beacon, record_exposure
from testimonials.tracking.experiments import arm_for
from testimonials.tracking.models import Exclusion, Experiment
from testimonials.tracking.rollups import roll_up_day
from testimonials.tracking.visitor import Visitor
from tests.conftest import Tenant

MONDAY = date(2026, 11, 2)
TESTIMONIALS = (11, 12, 13)


def unit_key(n: int) -> str:
    return f"{n:032x}"


def treated_visitors(
    experiment: Experiment,
    count: int,
    exclusion: Callable[[int], Exclusion | None] = lambda n: None,
) -> Iterator[tuple[int, int, Visitor]]:
    """Monday's visitors 1, 2, ... that the experiment puts in its treatment arm, until `count`
    of them: (visitor number, how many treated so far, visitor)."""
    n = treated = 0
    while treated < count:
        n += 1
        if arm_for(experiment, unit_key(n)) == "treatment":
            treated += 1
            yield n, treated, Visitor(MONDAY, unit_key(n), exclusion(n))


def seed_traffic(db: Session, experiment: Experiment, days: int, per_day: int) -> dict:
    """Deterministic visitors; returns what was written, per arm, to compute by hand."""
    truth: dict = {"holdout": [], "treatment": [], "excluded": {"holdout": 0, "treatment": 0}}
    for d in range(days):
        day = MONDAY + timedelta(days=d)
        for i in range(per_day):
            n = d * per_day + i
            excluded = Exclusion.BOT if n % 50 == 7 else None
            visitor = Visitor(day, unit_key(n), excluded)
            arm = arm_for(experiment, visitor.unit_key)
            rng = random.Random(n)
            featured = rng.sample(TESTIMONIALS, 2) if arm == "treatment" else []
            record_exposure(db, experiment, visitor, f"x-{n:08d}", featured)
            events, viewables, clicks = [], 0, 0
            if arm == "treatment" and n % 3 != 0:
                viewables = 1 + n % 2
                events += [{"id": f"v-{n:08d}-{k}", "type": "viewable"} for k in range(viewables)]
                if n % 4 == 0:
                    events.append({"id": f"c-{n:08d}", "type": "interaction", "name": "click"})
                    clicks = 1
                if n % 5 == 0:
                    events.append({"id": f"n-{n:08d}", "type": "interaction", "name": "next"})
            # The treatment converts more; more still when 12 is featured.
            rate = 0.1 if arm == "treatment" else 0.08
            converted = rng.random() < rate + (0.05 if 12 in featured else 0.0)
            if converted:
                events.append({"id": f"k-{n:08d}", "type": "conversion", "value": 20.0})
            if events:
                record_beacon(db, experiment, visitor, events)
            if excluded:
                truth["excluded"][arm] += 1
                continue
            truth[arm].append(
                {
                    "converted": converted,
                    "viewables": viewables,
                    "clicks": clicks,
                    "engaged": bool(clicks or (viewables and n % 5 == 0)),
                    "featured": featured,
                }
            )
        roll_up_day(db, day, experiment.id)
    return truth


def fetch_report(client: FlaskClient, tenant: Tenant, experiment: Experiment) -> dict:
    answer = client.get(f"/api/v1/reports/experiments/{experiment.id}", headers=tenant.headers())
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def conversions_of(units: list[dict]) -> Conversions:
    return Conversions(len(units), sum(u["converted"] for u in units))


def started_experiment(db: Session, tenant: Tenant, **settings) -> Experiment:
    experiment = service.create_experiment(
        db, tenant.workspace.id, name="Homepage carousel", widget_key="home-carousel", **settings
    )
    service.start_experiment(db, experiment, datetime(2026, 11, 2, tzinfo=UTC))
    return experiment
