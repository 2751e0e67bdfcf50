"""The lift report page: what a marketer reads, escaped, with text beside every chart."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.demo.traffic import TrafficModel, seed_simulated_month
from testimonials.report.experiments import SIMULATED_KEY_PREFIX
from testimonials.tracking import experiments as service
from tests.conftest import Tenant, login

SMALL = TrafficModel(daily_units=40)
NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def test_the_simulated_month_reads_as_a_labelled_report(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = seed_simulated_month(db, tenant.workspace.id, "carousel", [5, 6, 7, 8], NOW, SMALL)
    again = seed_simulated_month(db, tenant.workspace.id, "carousel", [5, 6, 7, 8], NOW, SMALL)
    assert again.id == experiment.id  # idempotent: the month is written once
    db.commit()
    login(client, tenant.viewer.email)
    page = client.get(f"/reports/experiments/{experiment.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Simulated data." in html and 'id="simulated-banner"' in html
    assert re.search(r'id="verdict">[^<]*(interval|Not enough data)', html)
    # The chart has a title, a description with the last day's figures, and a table.
    assert '<title id="lift-chart-title">' in html
    assert re.search(r'<desc id="lift-chart-desc">Relative lift .* On 2026-12-03 it stands', html)
    assert html.count('<tr><th scope="row">2026-1') == 30
    assert 'id="testimonials"' in html and "#5" in html
    # Each card's engagement, and what the daily analysis said at the end of each day.
    assert re.search(r'id="card-engagement".*Expanded.*Clicked through', html, re.S)
    assert "Enough visitors: compare the intervals" in html or "too few to compare" in html
    snapshots = html[html.index('id="snapshots"') :]
    assert snapshots.count('<th scope="row">2026-1') == 30
    assert "style=" not in html  # CSP: no inline styles
    listing = client.get("/reports/experiments").get_data(as_text=True)
    assert experiment.name in listing
    widget = client.get("/reports/widgets/carousel?value_per_conversion=30")
    assert widget.status_code == 200
    widget_html = widget.get_data(as_text=True)
    assert f"/reports/experiments/{experiment.id}" in widget_html
    # The widget's page carries its newest experiment's whole report, ROI form included.
    assert 'id="verdict"' in widget_html and 'id="roi"' in widget_html
    assert "Simulated data." in widget_html
    download = client.get(f"/reports/experiments/{experiment.id}/export.csv")
    assert download.mimetype == "text/csv"
    assert len(download.get_data(as_text=True).strip().splitlines()) == 31


def test_names_are_escaped_bad_values_explained_and_workspaces_apart(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant
) -> None:
    experiment = service.create_experiment(
        db, tenant.workspace.id, name="<script>alert(1)</script>", widget_key="w-1"
    )
    db.commit()
    assert not experiment.key.startswith(SIMULATED_KEY_PREFIX)
    login(client, tenant.viewer.email)
    page = client.get(f"/reports/experiments/{experiment.id}?value_per_conversion=-3")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "value_per_conversion: Must be greater than or equal to 0" in html
    assert "Simulated data" not in html
    assert "an arm has no visitors yet" in html
    other = make_tenant("Other Shop")
    outsider = client.application.test_client()
    login(outsider, other.viewer.email)
    assert outsider.get(f"/reports/experiments/{experiment.id}").status_code == 404
    assert outsider.get(f"/reports/experiments/{experiment.id}/export.csv").status_code == 404
    assert "w-1" not in outsider.get("/reports/experiments").get_data(as_text=True)


def test_the_report_needs_sign_in(client: FlaskClient) -> None:
    assert client.get("/reports/experiments/1").status_code in (302, 401)


def test_featured_testimonials_are_named_by_author_and_words_escaped(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    from tests import factories

    named = factories.feedback(
        db,
        tenant.workspace.id,
        "The <b>reminders</b> cut our no-shows from 14% to 6% in the first quarter, and the "
        "front desk finally gets a lunch break every single day of the week.",
        author_name="Priya <script>alert(1)</script>",
    )
    testimonial_id = factories.testimonial_for(db, named).id
    experiment = seed_simulated_month(
        db, tenant.workspace.id, "names", [testimonial_id, 6, 7, 8], NOW, SMALL
    )
    db.commit()
    login(client, tenant.viewer.email)
    html = client.get(f"/reports/experiments/{experiment.id}").get_data(as_text=True)
    row = re.search(rf"<th scope=\"row\">([^\n]*)#{testimonial_id}</span></th>", html)
    assert row is not None, html
    label = row.group(1)
    assert "Priya &lt;script&gt;alert(1)&lt;/script&gt;: “The &lt;b&gt;reminders&lt;/b&gt;" in label
    assert label.count("…”") == 1  # long words cut at a word boundary, marked as cut
    assert "<script>" not in html and "<b>reminders" not in html


def test_no_interval_is_shown_below_minus_100_percent(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    """A conversion rate can't fall below zero: early, wide intervals are shown clipped."""
    experiment = seed_simulated_month(db, tenant.workspace.id, "carousel", [5, 6], NOW, SMALL)
    db.commit()
    login(client, tenant.viewer.email)
    html = client.get(f"/reports/experiments/{experiment.id}").get_data(as_text=True)
    lows = [float(v) for v in re.findall(r"(-?\d+\.\d)%(?: \(clipped\))? to ", html)]
    assert lows and min(lows) >= -100.0
    # 40 visitors a day: the first days' intervals reach past -100%, shown clipped and
    # said once, in words, beside the key figures.
    assert "-100.0% (clipped) to" in html and 'id="clipped-note"' in html


def test_interval_text_clips_only_the_impossible_part() -> None:
    from testimonials.report.charts import interval_percent

    assert interval_percent((-2.206, 2.705)) == "-100.0% (clipped) to +270.5%"
    assert interval_percent((-0.5, 0.25)) == "-50.0% to +25.0%"
    assert interval_percent(None) == "-"


def test_a_stopped_experiment_promises_no_end_date_and_p_values_read_as_p_values(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = seed_simulated_month(db, tenant.workspace.id, "carousel", [5, 6, 7, 8], NOW, SMALL)
    db.commit()
    login(client, tenant.viewer.email)
    html = client.get(f"/reports/experiments/{experiment.id}").get_data(as_text=True)
    assert "stopped on 04 Dec 2026 (ran from 04 Nov 2026)" in html
    # A stopped experiment gains no visitors: no "until" date, no "about <date>" to wait for.
    assert 'id="expected-end"' not in html and "until" not in html
    assert not re.search(r"about \d\d \w{3} \d{4}", html)
    assert "How long it needed to run" in html and "Reached when stopped" in html
    # p-values with fixed decimals, never a bare "1" or "0.2" that reads like a count.
    p_value = re.search(r'id="p-value">([^<]*)<', html)
    assert p_value and re.fullmatch(r"(< 0\.001|[01]\.\d{3}|-)", p_value.group(1))
    report = client.get(f"/api/v1/reports/experiments/{experiment.id}", headers=tenant.headers())
    assert report.get_json()["power"]["expected_end"] is None
    # The same experiment, running: the plan's end date is back.
    experiment.status = "running"
    db.commit()
    running = client.get(f"/reports/experiments/{experiment.id}").get_data(as_text=True)
    assert "running since 04 Nov 2026" in running
    assert 'id="expected-end"' in running and "How long to run" in running
