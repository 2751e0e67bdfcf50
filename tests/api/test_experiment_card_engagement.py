"""The lift report's per-testimonial card engagement: viewers counted once, honest intervals,
cards measured where the loader watched them, few viewers said in words."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.tracking.events import record_beacon, record_exposure
from testimonials.tracking.models import Exclusion
from testimonials.tracking.rollups import roll_up_day
from tests.api.experiment_helpers import (
    MONDAY,
    fetch_report,
    started_experiment,
    treated_visitors,
)
from tests.conftest import Tenant


def test_each_testimonials_card_engagement_counts_viewers_once_with_honest_intervals(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    from scipy.stats import binomtest

    from tests import factories

    item = factories.feedback(
        db, tenant.workspace.id, "=HYPERLINK(1) <b>Saved</b> us hours", author_name="<i>Ana</i>"
    )
    a = factories.testimonial_for(db, item).id
    b, c = a + 1000, a + 2000  # ids the workspace does not name: counted, never labelled
    experiment = started_experiment(db, tenant, randomise_testimonials=True)
    expected = {t: {"viewable": 0, "any": 0, "expand": 0, "play": 0, "click": 0} for t in (a, b)}
    bots = lambda n: Exclusion.BOT if n % 17 == 0 else None  # noqa: E731
    for n, _treated, visitor in treated_visitors(experiment, 120, bots):
        record_exposure(db, experiment, visitor, f"x-{n:08d}", [a, b])
        viewable = n % 4 != 0
        events: list[dict] = [{"id": f"v-{n:08d}", "type": "viewable"}] if viewable else []
        on_a = ["expand", "expand", "play"] if n % 3 == 0 else ["click_through"] if n % 5 else []
        on_b = ["click"] if n % 7 == 0 else []
        for k, name in enumerate(on_a):  # an expand twice is one visitor who expanded
            events.append({"id": f"a-{n:08d}-{k}", "type": "interaction", "name": name})
            events[-1]["testimonial"] = a
        for k, name in enumerate(on_b):
            events.append({"id": f"b-{n:08d}-{k}", "type": "interaction", "name": name})
            events[-1]["testimonial"] = b
        # A card it was not shown (a forged or stale id) and carousel navigation: no card.
        events.append(
            {"id": f"c-{n:08d}", "type": "interaction", "name": "expand", "testimonial": c}
        )
        events.append({"id": f"n-{n:08d}", "type": "interaction", "name": "carousel_next"})
        record_beacon(db, experiment, visitor, events)
        if visitor.excluded or not viewable:
            continue  # bots are filtered; actions before a viewable impression are not rated
        for t, names in ((a, on_a), (b, on_b)):
            row = expected[t]
            row["viewable"] += 1
            row["any"] += bool(names)
            row["expand"] += "expand" in names
            row["play"] += "play" in names
            row["click"] += any(x.startswith("click") for x in names)
    roll_up_day(db, MONDAY, experiment.id)
    db.commit()

    report = fetch_report(client, tenant, experiment)
    rows = {row["testimonial_id"]: row for row in report["testimonials"]}
    assert sorted(rows) == [a, b]  # never the card it was not shown
    for t in (a, b):
        row, want = rows[t], expected[t]
        assert row["viewable_units"] == want["viewable"] > 30
        for action, key in (
            ("card_engagement", "any"),
            ("expand", "expand"),
            ("play", "play"),
            ("click_through", "click"),
        ):
            share = row[action]
            assert share["units"] == want[key], (t, action)
            assert share["rate"] == pytest.approx(want[key] / want["viewable"])
            ci = binomtest(want[key], want["viewable"]).proportion_ci(method="wilson")
            assert share["ci"] == pytest.approx([ci.low, ci.high], abs=1e-9)
        assert row["engagement_note"] is None and row["randomised"] is True
    assert rows[a]["expand"]["units"] > 0 and rows[b]["play"]["units"] == 0

    # The CSV: one row per testimonial, the customer's words never a formula.
    answer = client.get(
        f"/api/v1/reports/experiments/{experiment.id}/testimonials.csv", headers=tenant.headers()
    )
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"].endswith('-testimonials.csv"')
    lines = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    by_id = {int(r["testimonial_id"]): r for r in lines}
    assert int(by_id[a]["expand_units"]) == expected[a]["expand"]
    assert float(by_id[b]["click_through_rate"]) == pytest.approx(
        expected[b]["click"] / expected[b]["viewable"], abs=1e-6
    )
    assert by_id[a]["testimonial"].startswith("<i>Ana</i>: “=HYPERLINK")
    assert by_id[b]["testimonial"] == ""
    assert all(not r["testimonial"].startswith(("=", "+", "-", "@")) for r in lines)


def test_where_the_loader_measured_cards_a_card_counts_for_those_who_saw_it_itself(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    """A carousel: the widget in view, the second card scrolled away, for some visitors.

    Units whose page measured each card (their widget viewable is named "cards") count a
    card as seen only with its own card_viewable; units from an older loader fall back to
    the widget's viewability. Actions on a card not seen are not rated.
    """
    experiment = started_experiment(db, tenant, randomise_testimonials=True)
    a, b = 501, 502
    expected = {a: [0, 0], b: [0, 0]}  # [seen, clicked]
    for n, _treated, visitor in treated_visitors(experiment, 90):
        record_exposure(db, experiment, visitor, f"x-{n:08d}", [a, b])
        old_loader = n % 3 == 0
        events: list[dict] = [{"id": f"v-{n:08d}", "type": "viewable"}]
        seen = {a, b}
        if not old_loader:
            events[0]["name"] = "cards"
            seen = {a} if n % 2 else {a, b}  # half scroll on to the second card
            events += [
                {"id": f"cv-{n:08d}-{t}", "type": "card_viewable", "testimonial": t}
                for t in sorted(seen)
            ]
        # Everyone clicks the second card's link (a stale click on a card not seen too).
        events.append(
            {"id": f"k-{n:08d}", "type": "interaction", "name": "click", "testimonial": b}
        )
        record_beacon(db, experiment, visitor, events)
        for t in (a, b):
            expected[t][0] += t in seen
            expected[t][1] += t == b and t in seen
    roll_up_day(db, MONDAY, experiment.id)
    db.commit()
    rows = {
        r["testimonial_id"]: r for r in fetch_report(client, tenant, experiment)["testimonials"]
    }
    assert rows[a]["viewable_units"] == expected[a][0] == 90
    assert rows[b]["viewable_units"] == expected[b][0] < 90
    assert rows[b]["click_through"]["units"] == expected[b][1] == expected[b][0]
    assert rows[a]["click_through"]["units"] == 0


def test_few_viewers_and_a_fixed_selection_are_said_in_words(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    # Does not randomise which testimonials are featured.
    experiment = started_experiment(db, tenant)
    for n, treated, visitor in treated_visitors(experiment, 5):
        record_exposure(db, experiment, visitor, f"x-{n:08d}", [21, 22])
        events = [{"id": f"v-{n:08d}", "type": "viewable"}]
        if treated == 1:
            events.append({"id": f"e-{n:08d}", "type": "interaction", "name": "expand"})
            events[-1]["testimonial"] = 21
        record_beacon(db, experiment, visitor, events)
    roll_up_day(db, MONDAY, experiment.id)
    db.commit()
    rows = {
        r["testimonial_id"]: r for r in fetch_report(client, tenant, experiment)["testimonials"]
    }
    one = rows[21]
    assert one["expand"]["units"] == 1 and one["expand"]["rate"] == pytest.approx(0.2)
    low, high = one["expand"]["ci"]
    assert low < 0.05 and high > 0.6  # 1 of 5 says little, and the interval shows it
    assert "Only 5 visitors had it in view: too few to compare" in one["engagement_note"]
    # No causal contribution without randomisation, whoever was or was not shown it.
    assert one["relative_lift"] is None and one["randomised"] is False
    assert "does not randomise" in one["finding"]
