"""The demo workspace as a marketer sees it: its answers belong to surveys that exist."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.demo import DEMO_EMAIL, seed_demo_workspace
from testimonials.harvest.intake import intake_scorer_for
from tests.conftest import PASSWORD, login


def test_survey_pages_report_filter_and_export_show_the_demo_surveys(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    seed_demo_workspace(db, PASSWORD, intake_scorer_for(app))
    db.commit()
    login(client, DEMO_EMAIL)

    surveys_page = client.get("/surveys").text
    report = client.get("/reports/nps").text
    for name in ("Quarterly NPS", "In-app survey"):
        assert name in surveys_page
        assert f">{name}</option>" in report  # the report's survey filter
    with client.get("/feedback/export.csv") as export:
        rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert len(rows) == 45
    survey_of_channel = {"hosted_survey": "Quarterly NPS", "embedded_survey": "In-app survey"}
    for row in rows:
        assert row["survey"] == survey_of_channel.get(row["channel"], ""), row


def test_the_inbox_says_what_best_first_means_and_each_cards_group(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    import re

    seed_demo_workspace(db, PASSWORD, intake_scorer_for(app))
    db.commit()
    login(client, DEMO_EMAIL)

    inbox = client.get("/inbox").text
    assert 'data-role="sort-note"' in inbox and "unhappy customers last" in inbox
    groups = re.findall(r'data-role="inbox-group"[^>]*>([^<]*)<', inbox)
    assert len(groups) == 25
    assert groups[0] == "praise you may quote"
    assert "unhappy customer" not in groups  # none of the first page
    assert 'data-role="sort-note"' not in client.get("/inbox?sort=newest").text
    detractors = client.get("/inbox?group=detractor").text
    assert set(re.findall(r'data-role="inbox-group"[^>]*>([^<]*)<', detractors)) == {
        "unhappy customer"
    }
