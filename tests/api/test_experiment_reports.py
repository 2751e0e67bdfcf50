"""The lift report of an experiment: figures by hand, SRM blocking, testimonials, CSV, errors."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete
from sqlalchemy.orm import Session

from testimonials.stats import (
    RatioTotals,
    bayesian_test,
    benjamini_hochberg,
    check_sample_ratio,
    fixed_horizon_test,
    sequential_test,
)
from testimonials.tracking.events import record_beacon, record_exposure
from testimonials.tracking.experiments import arm_for
from testimonials.tracking.models import TrackingEvent
from testimonials.tracking.rollups import roll_up_day
from testimonials.tracking.visitor import Visitor
from tests.api.experiment_helpers import (
    MONDAY,
    TESTIMONIALS,
    conversions_of,
    fetch_report,
    seed_traffic,
    started_experiment,
    unit_key,
)
from tests.conftest import Tenant


def test_report_figures_equal_a_hand_computation(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = started_experiment(db, tenant, holdout_share=0.3)
    truth = seed_traffic(db, experiment, days=8, per_day=150)
    db.commit()

    answer = client.get(
        f"/api/v1/reports/experiments/{experiment.id}?value_per_conversion=40&cost=100",
        headers=tenant.headers(),
    )
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    h, t = truth["holdout"], truth["treatment"]
    control, treated = conversions_of(h), conversions_of(t)
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
    experiment = started_experiment(
        db, tenant, analysis_method="frequentist", randomise_testimonials=True
    )
    truth = seed_traffic(db, experiment, days=3, per_day=200)
    db.commit()
    report = fetch_report(client, tenant, experiment)
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
        result = fixed_horizon_test(conversions_of(others), conversions_of(shown))
        assert row["relative_lift"] == pytest.approx(result.relative_lift)
        p_values.append(result.p_value)
    adjusted = benjamini_hochberg(p_values)
    for testimonial, found in zip(TESTIMONIALS, adjusted, strict=True):
        assert rows[testimonial]["adjusted_p_value"] == pytest.approx(found.adjusted_p_value)
        assert rows[testimonial]["discovered"] is found.discovered


def test_a_sample_ratio_mismatch_blocks_the_verdict_and_the_roi(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = started_experiment(db, tenant)
    day = MONDAY
    # Only treatment units arrive (a redirect lost the holdout): a broken split.
    n = written = 0
    while written < 400:
        visitor = Visitor(day, unit_key(n), None)
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
    experiment = started_experiment(db, tenant)
    seed_traffic(db, experiment, days=3, per_day=60)
    db.commit()
    answer = client.get(
        f"/api/v1/reports/experiments/{experiment.id}/export.csv", headers=tenant.headers()
    )
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert "experiment-" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    report = fetch_report(client, tenant, experiment)
    assert [r["day"] for r in rows] == [p["day"] for p in report["over_time"]]
    assert sum(int(r["holdout_units"]) + int(r["treatment_units"]) for r in rows) == (
        report["holdout"]["units"] + report["treatment"]["units"]
    )
    assert rows[-1]["cumulative_treatment_units"] == str(report["treatment"]["units"])


def test_bad_input_is_a_problem_and_other_workspaces_see_nothing(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant
) -> None:
    experiment = started_experiment(db, tenant)
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
    experiment = started_experiment(db, tenant)
    db.commit()
    report = fetch_report(client, tenant, experiment)
    assert report["verdict"]["kind"] == "not_enough_data"
    assert report["lift"] is None and report["click_through"] is None
    assert report["power"]["units_needed"] is None and report["power"]["note"]
    assert report["testimonials"] == [] and report["over_time"] == []


def test_a_bayesian_experiment_reports_its_chance_to_win_not_a_p_value(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = started_experiment(db, tenant, analysis_method="bayesian")
    truth = seed_traffic(db, experiment, days=2, per_day=300)
    db.commit()
    report = fetch_report(client, tenant, experiment)
    h, t = truth["holdout"], truth["treatment"]
    expected = bayesian_test(conversions_of(h), conversions_of(t))
    assert report["method"] == "bayesian"
    assert report["lift"]["p_value"] is None
    assert report["lift"]["chance_to_win"] == pytest.approx(expected.chance_to_win)
    assert report["lift"]["ci"] == pytest.approx(list(expected.ci))


def test_reports_read_roll_ups_not_events(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    experiment = started_experiment(db, tenant)
    seed_traffic(db, experiment, days=2, per_day=80)
    db.commit()
    before = fetch_report(client, tenant, experiment)
    # Retention drops the raw events of past days; the report stands on its roll-ups.
    db.execute(delete(TrackingEvent).where(TrackingEvent.experiment_id == experiment.id))
    db.commit()
    assert fetch_report(client, tenant, experiment) == before
