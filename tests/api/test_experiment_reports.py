"""The lift report of an experiment: figures by hand, SRM blocking, testimonials, CSV, errors."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete
from sqlalchemy.orm import Session

from testimonials.stats import (
    Conversions,
    RatioTotals,
    bayesian_test,
    benjamini_hochberg,
    check_sample_ratio,
    fixed_horizon_test,
    sequential_test,
)
from testimonials.tracking import experiments as service
from testimonials.tracking.events import record_beacon, record_exposure
from testimonials.tracking.experiments import arm_for
from testimonials.tracking.models import Exclusion, Experiment, TrackingEvent
from testimonials.tracking.rollups import roll_up_day
from testimonials.tracking.visitor import Visitor
from tests.conftest import Tenant

MONDAY = date(2026, 11, 2)
TESTIMONIALS = (11, 12, 13)


def _unit(n: int) -> str:
    return f"{n:032x}"


def _traffic(db: Session, experiment: Experiment, days: int, per_day: int) -> dict:
    """Deterministic visitors; returns what was written, per arm, to compute by hand."""
    truth: dict = {"holdout": [], "treatment": [], "excluded": {"holdout": 0, "treatment": 0}}
    for d in range(days):
        day = MONDAY + timedelta(days=d)
        for i in range(per_day):
            n = d * per_day + i
            excluded = Exclusion.BOT if n % 50 == 7 else None
            visitor = Visitor(day, _unit(n), excluded)
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


def _report(client: FlaskClient, tenant: Tenant, experiment: Experiment) -> dict:
    answer = client.get(f"/api/v1/reports/experiments/{experiment.id}", headers=tenant.headers())
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _conversions(units: list[dict]) -> Conversions:
    return Conversions(len(units), sum(u["converted"] for u in units))


def _started(db: Session, tenant: Tenant, **settings) -> Experiment:
    experiment = service.create_experiment(
        db, tenant.workspace.id, name="Homepage carousel", widget_key="home-carousel", **settings
    )
    service.start_experiment(db, experiment, datetime(2026, 11, 2, tzinfo=UTC))
    return experiment


def test_report_figures_equal_a_hand_computation(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = _started(db, tenant, holdout_share=0.3)
    truth = _traffic(db, experiment, days=8, per_day=150)
    db.commit()

    answer = client.get(
        f"/api/v1/reports/experiments/{experiment.id}?value_per_conversion=40&cost=100",
        headers=tenant.headers(),
    )
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    h, t = truth["holdout"], truth["treatment"]
    control, treated = _conversions(h), _conversions(t)
    assert report["holdout"]["units"] == control.units
    assert report["treatment"]["conversions"] == treated.conversions
    assert report["treatment"]["excluded_units"] == truth["excluded"]["treatment"]
    assert report["holdout"]["conversion_rate"] == pytest.approx(control.mean)
    viewable = [u for u in t if u["viewables"]]
    assert report["treatment"]["viewable_rate"] == pytest.approx(len(viewable) / len(t))
    engaged = sum(u["engaged"] for u in viewable)
    assert report["treatment"]["engagement_rate"] == pytest.approx(engaged / len(viewable))
    # Click-through: the ratio metric over visitors, delta-method interval.
    ratio = RatioTotals.of([(u["clicks"], u["viewables"]) for u in t])
    assert report["click_through"]["value"] == pytest.approx(ratio.mean)
    half = 1.959964 * (ratio.variance / ratio.units) ** 0.5
    assert report["click_through"]["ci"] == pytest.approx([ratio.mean - half, ratio.mean + half])
    # The lift is the always-valid one by default; the last chart point is the same.
    expected = sequential_test(control, treated)
    assert report["method"] == "sequential"
    assert report["lift"]["relative_lift"] == pytest.approx(expected.relative_lift)
    assert report["lift"]["ci"] == pytest.approx(list(expected.ci))
    assert report["lift"]["p_value"] == pytest.approx(expected.p_value)
    assert report["over_time"][-1]["ci"] == pytest.approx(list(expected.ci))
    assert [p["day"] for p in report["over_time"]] == [
        (MONDAY + timedelta(days=d)).isoformat() for d in range(8)
    ]
    srm = check_sample_ratio(control.units, treated.units, 0.3)
    assert report["srm"]["p_value"] == pytest.approx(srm.p_value)
    assert report["srm"]["mismatch"] is False
    # ROI follows the lift's interval end to end.
    low, high = expected.ci
    assert report["roi"]["extra_conversions"] == pytest.approx(
        [treated.units * control.mean * x for x in (low, expected.relative_lift, high)]
    )
    assert report["roi"]["roi"][1] == pytest.approx(
        (treated.units * control.mean * expected.relative_lift * 40 - 100) / 100
    )
    # Power screen: at least a full week, ending after the start.
    assert report["power"]["days_needed"] >= 7
    assert report["power"]["expected_end"] >= "2026-11-09"
    assert report["verdict"]["kind"] in {"lift", "no_difference", "not_enough_data"}


def test_per_testimonial_contribution_compares_shown_with_not_shown_and_adjusts(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = _started(db, tenant, analysis_method="frequentist", randomise_testimonials=True)
    truth = _traffic(db, experiment, days=3, per_day=200)
    db.commit()
    report = _report(client, tenant, experiment)
    rows = {row["testimonial_id"]: row for row in report["testimonials"]}
    assert sorted(rows) == list(TESTIMONIALS)
    t = truth["treatment"]
    p_values = []
    for testimonial in TESTIMONIALS:
        shown = [u for u in t if testimonial in u["featured"]]
        others = [u for u in t if testimonial not in u["featured"]]
        row = rows[testimonial]
        assert row["units"] == len(shown)
        assert row["first_units"] == sum(u["featured"][0] == testimonial for u in t)
        assert row["others_units"] == len(others)
        result = fixed_horizon_test(_conversions(others), _conversions(shown))
        assert row["relative_lift"] == pytest.approx(result.relative_lift)
        p_values.append(result.p_value)
    adjusted = benjamini_hochberg(p_values)
    for testimonial, found in zip(TESTIMONIALS, adjusted, strict=True):
        assert rows[testimonial]["adjusted_p_value"] == pytest.approx(found.adjusted_p_value)
        assert rows[testimonial]["discovered"] is found.discovered


def test_a_sample_ratio_mismatch_blocks_the_verdict_and_the_roi(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = _started(db, tenant)
    day = MONDAY
    # Only treatment units arrive (a redirect lost the holdout): a broken split.
    n = written = 0
    while written < 400:
        visitor = Visitor(day, _unit(n), None)
        n += 1
        if arm_for(experiment, visitor.unit_key) != "treatment" and n % 10:
            continue  # nine holdout units in ten are "lost"
        record_exposure(db, experiment, visitor, f"x-{n:08d}")
        if n % 7 == 0:
            record_beacon(db, experiment, visitor, [{"id": f"k-{n:08d}", "type": "conversion"}])
        written += 1
    roll_up_day(db, day, experiment.id)
    db.commit()
    report = client.get(
        f"/api/v1/reports/experiments/{experiment.id}?value_per_conversion=10",
        headers=tenant.headers(),
    ).get_json()
    assert report["srm"]["mismatch"] is True
    assert report["verdict"]["kind"] == "sample_ratio_mismatch"
    assert "Sample ratio mismatch" in report["verdict"]["message"]
    assert report["roi"] is None


def test_csv_export_has_a_row_per_day_with_the_cumulative_lift(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = _started(db, tenant)
    _traffic(db, experiment, days=3, per_day=60)
    db.commit()
    answer = client.get(
        f"/api/v1/reports/experiments/{experiment.id}/export.csv", headers=tenant.headers()
    )
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert "experiment-" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    report = _report(client, tenant, experiment)
    assert [r["day"] for r in rows] == [p["day"] for p in report["over_time"]]
    assert sum(int(r["holdout_units"]) + int(r["treatment_units"]) for r in rows) == (
        report["holdout"]["units"] + report["treatment"]["units"]
    )
    assert rows[-1]["cumulative_treatment_units"] == str(report["treatment"]["units"])


def test_bad_input_is_a_problem_and_other_workspaces_see_nothing(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant
) -> None:
    experiment = _started(db, tenant)
    db.commit()
    base = f"/api/v1/reports/experiments/{experiment.id}"
    for query in ("?value_per_conversion=-1", "?cost=abc", "?colour=red"):
        answer = client.get(base + query, headers=tenant.headers())
        assert answer.status_code == 422, query
        assert answer.mimetype == "application/problem+json"
    other = make_tenant("Other Shop")
    for path in (base, base + "/export.csv"):
        answer = client.get(path, headers=other.headers())
        assert answer.status_code == 404
        assert answer.mimetype == "application/problem+json"
    listing = client.get("/api/v1/reports/widgets/home-carousel", headers=other.headers())
    assert listing.get_json() == {"widget_key": "home-carousel", "experiments": []}
    mine = client.get("/api/v1/reports/widgets/home-carousel", headers=tenant.headers())
    assert [e["experiment"]["id"] for e in mine.get_json()["experiments"]] == [experiment.id]


def test_an_experiment_without_visitors_says_not_enough_data(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = _started(db, tenant)
    db.commit()
    report = _report(client, tenant, experiment)
    assert report["verdict"]["kind"] == "not_enough_data"
    assert report["lift"] is None and report["click_through"] is None
    assert report["power"]["units_needed"] is None and report["power"]["note"]
    assert report["testimonials"] == [] and report["over_time"] == []


def test_a_bayesian_experiment_reports_its_chance_to_win_not_a_p_value(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = _started(db, tenant, analysis_method="bayesian")
    truth = _traffic(db, experiment, days=2, per_day=300)
    db.commit()
    report = _report(client, tenant, experiment)
    h, t = truth["holdout"], truth["treatment"]
    expected = bayesian_test(_conversions(h), _conversions(t))
    assert report["method"] == "bayesian"
    assert report["lift"]["p_value"] is None
    assert report["lift"]["chance_to_win"] == pytest.approx(expected.chance_to_win)
    assert report["lift"]["ci"] == pytest.approx(list(expected.ci))


def test_reports_read_roll_ups_not_events(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    experiment = _started(db, tenant)
    _traffic(db, experiment, days=2, per_day=80)
    db.commit()
    before = _report(client, tenant, experiment)
    # Retention drops the raw events of past days; the report stands on its roll-ups.
    db.execute(delete(TrackingEvent).where(TrackingEvent.experiment_id == experiment.id))
    db.commit()
    assert _report(client, tenant, experiment) == before


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
    experiment = _started(db, tenant, randomise_testimonials=True)
    expected = {t: {"viewable": 0, "any": 0, "expand": 0, "play": 0, "click": 0} for t in (a, b)}
    n = 0
    treated = 0
    while treated < 120:
        n += 1
        visitor = Visitor(MONDAY, _unit(n), Exclusion.BOT if n % 17 == 0 else None)
        if arm_for(experiment, visitor.unit_key) != "treatment":
            continue
        treated += 1
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

    report = _report(client, tenant, experiment)
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
    experiment = _started(db, tenant, randomise_testimonials=True)
    a, b = 501, 502
    expected = {a: [0, 0], b: [0, 0]}  # [seen, clicked]
    n = treated = 0
    while treated < 90:
        n += 1
        visitor = Visitor(MONDAY, _unit(n), None)
        if arm_for(experiment, visitor.unit_key) != "treatment":
            continue
        treated += 1
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
    rows = {r["testimonial_id"]: r for r in _report(client, tenant, experiment)["testimonials"]}
    assert rows[a]["viewable_units"] == expected[a][0] == 90
    assert rows[b]["viewable_units"] == expected[b][0] < 90
    assert rows[b]["click_through"]["units"] == expected[b][1] == expected[b][0]
    assert rows[a]["click_through"]["units"] == 0


def test_few_viewers_and_a_fixed_selection_are_said_in_words(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = _started(db, tenant)  # does not randomise which testimonials are featured
    n = treated = 0
    while treated < 5:
        n += 1
        visitor = Visitor(MONDAY, _unit(n), None)
        if arm_for(experiment, visitor.unit_key) != "treatment":
            continue
        treated += 1
        record_exposure(db, experiment, visitor, f"x-{n:08d}", [21, 22])
        events = [{"id": f"v-{n:08d}", "type": "viewable"}]
        if treated == 1:
            events.append({"id": f"e-{n:08d}", "type": "interaction", "name": "expand"})
            events[-1]["testimonial"] = 21
        record_beacon(db, experiment, visitor, events)
    roll_up_day(db, MONDAY, experiment.id)
    db.commit()
    rows = {r["testimonial_id"]: r for r in _report(client, tenant, experiment)["testimonials"]}
    one = rows[21]
    assert one["expand"]["units"] == 1 and one["expand"]["rate"] == pytest.approx(0.2)
    low, high = one["expand"]["ci"]
    assert low < 0.05 and high > 0.6  # 1 of 5 says little, and the interval shows it
    assert "Only 5 visitors had it in view: too few to compare" in one["engagement_note"]
    # No causal contribution without randomisation, whoever was or was not shown it.
    assert one["relative_lift"] is None and one["randomised"] is False
    assert "does not randomise" in one["finding"]
