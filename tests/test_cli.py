"""`flask --app testimonials …` commands, on a database of their own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, select, update

from testimonials.db import database_for
from testimonials.demo import DEMO_EMAIL
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import Survey
from tests.conftest import make_app


@pytest.fixture
def cli_app(empty_database_url: Callable[[str], str], tmp_path: Path) -> Flask:
    return make_app(empty_database_url("cli"), tmp_path)


def test_db_upgrade_current_and_downgrade(cli_app: Flask) -> None:
    runner = cli_app.test_cli_runner()
    assert "base (empty)" in runner.invoke(args=["db", "current"]).output
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    head = runner.invoke(args=["db", "current"]).output.strip()
    assert head and head != "base (empty)"
    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0 and "base (empty)" in result.output


def test_create_user_then_api_key_then_use_it(cli_app: Flask) -> None:
    runner = cli_app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    result = runner.invoke(
        args=["create-user", "ana@acme.example", "--workspace", "Acme Inc", "--role", "owner"],
        input="long enough password\nlong enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "slug: acme-inc" in result.output

    again = runner.invoke(
        args=["create-user", "ana@acme.example", "--workspace", "Acme Inc"],
        input="long enough password\nlong enough password\n",
    )
    assert again.exit_code != 0 and "already exists" in again.output

    weak = runner.invoke(
        args=["create-user", "bo@acme.example", "--workspace", "Acme Inc"], input="short\nshort\n"
    )
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output

    result = runner.invoke(
        args=["create-api-key", "--workspace", "acme-inc", "--name", "Zapier", "--scope", "write"]
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    response = cli_app.test_client().get(
        "/api/v1/workspace", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.json["name"] == "Acme Inc"

    missing = runner.invoke(args=["create-api-key", "--workspace", "nope", "--name", "x"])
    assert missing.exit_code != 0 and "No workspace" in missing.output


def test_demo_builds_a_fresh_database_and_is_idempotent(cli_app: Flask) -> None:
    runner = cli_app.test_cli_runner()
    first = runner.invoke(args=["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert DEMO_EMAIL in first.output and "http://127.0.0.1:5000/" in first.output
    password = first.output.split("Password:")[1].split()[0]

    second = runner.invoke(args=["demo", "--no-serve"])
    assert "nothing added twice (45 feedback items)" in second.output
    new_password = second.output.split("Password:")[1].split()[0]
    assert new_password != password

    client = cli_app.test_client()
    token = second.output.split("API key (read):")[1].split()[0]
    listing = client.get(
        "/api/v1/feedback?per_page=100", headers={"Authorization": f"Bearer {token}"}
    ).json
    assert listing["total"] >= 40
    languages = {item["language"] for item in listing["items"]}
    assert {"en", "de", "fr", "ja", "ar", "km"} <= languages
    groups = {item["nps_group"] for item in listing["items"]}
    assert {"promoter", "passive", "detractor"} <= groups
    texts = [item["text"] for item in listing["items"]]
    assert len(texts) > len(set(texts)), "the demo shows duplicates to catch"
    assert any("http" in t and "code" in t.lower() for t in texts), "and spam"

    # A simulated month of traffic, written once, with a lift report that says what it is.
    report_url = second.output.split("Lift report:")[1].split()[0]
    assert report_url == first.output.split("Lift report:")[1].split()[0]
    report = client.get(
        report_url.replace("http://127.0.0.1:5000/reports", "/api/v1/reports"),
        headers={"Authorization": f"Bearer {token}"},
    ).json
    assert report["simulated"] is True and report["days"] == 30
    assert report["experiment"]["status"] == "stopped"
    assert report["srm"]["mismatch"] is False
    assert report["holdout"]["conversions"] >= 30 and report["treatment"]["units"] > 10_000
    assert report["verdict"]["kind"] in {"lift", "no_difference"}
    assert len(report["testimonials"]) >= 3


def test_demo_answers_belong_to_surveys_and_verified_ones_say_how(cli_app: Flask) -> None:
    runner = cli_app.test_cli_runner()
    output = runner.invoke(args=["demo", "--no-serve"]).output
    token = output.split("API key (read):")[1].split()[0]
    client = cli_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    surveys = client.get("/api/v1/surveys", headers=headers).json["items"]
    assert {s["name"] for s in surveys} == {"Quarterly NPS", "In-app survey"}
    items = client.get("/api/v1/feedback?per_page=100", headers=headers).json["items"]
    for item in items:
        assert item["verified"] == (item["verified_by"] is not None), item
    assert {i["verified_by"] for i in items} == {"token", "customer_email", "sender", None}
    # The dashboard shows them too: tests/web/test_demo_workspace_pages.py


def test_demo_brings_a_workspace_seeded_by_an_older_demo_up_to_date(cli_app: Flask) -> None:
    runner = cli_app.test_cli_runner()
    runner.invoke(args=["demo", "--no-serve"])
    # What an earlier version of the demo left: no surveys, verification without a how.
    with database_for(cli_app).sessionmaker() as session:
        session.execute(update(FeedbackItem).values(verified_by=None))
        session.execute(delete(Survey))
        session.commit()

    output = runner.invoke(args=["demo", "--no-serve"]).output
    assert "Added 2 missing demo survey(s)." in output
    # 30 survey answers, plus 3 verified items from a webhook and the API.
    assert "Brought 33 items from an earlier demo up to date" in output
    with database_for(cli_app).sessionmaker() as session:
        survey_answers = session.scalars(
            select(FeedbackItem).where(
                FeedbackItem.channel.in_(["hosted_survey", "embedded_survey"])
            )
        ).all()
        assert len(survey_answers) == 30
        assert all(item.survey_id is not None for item in survey_answers)
        unexplained = select(FeedbackItem).where(
            FeedbackItem.verified.is_(True), FeedbackItem.verified_by.is_(None)
        )
        assert session.scalars(unexplained).all() == []
    again = runner.invoke(args=["demo", "--no-serve"]).output
    assert "Brought" not in again and "missing demo survey" not in again


def test_rescore_scores_every_item_again(cli_app: Flask) -> None:
    runner = cli_app.test_cli_runner()
    runner.invoke(args=["demo", "--no-serve"])
    result = runner.invoke(args=["rescore", "--workspace", "northwind-demo"])
    assert result.exit_code == 0, result.output
    assert "Rescored 45 items with scorer-v5" in result.output
    assert runner.invoke(args=["rescore", "--workspace", "nope"]).exit_code != 0


def test_train_scorer_explains_a_missing_data_folder(cli_app: Flask, tmp_path: Path) -> None:
    result = cli_app.test_cli_runner().invoke(
        args=["train-scorer", "--data", str(tmp_path), "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code != 0
    assert "Error" in result.output and "Traceback" not in result.output
