"""`flask --app testimonials known-customers FILE --workspace SLUG`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from testimonials.accounts import services as accounts
from testimonials.db import database_for
from testimonials.harvest.intake import NewFeedback, intake_scorer_for, record_feedback
from testimonials.harvest.models import Channel, FeedbackItem
from tests.conftest import make_app

COMMENT = "Booking the physio slot took two taps and the reminder SMS saved my Monday."


@pytest.fixture
def cli_app(empty_database_url: Callable[[str], str], tmp_path: Path) -> Flask:
    app = make_app(empty_database_url("customers_cli"), tmp_path)
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    return app


def test_cli_adds_a_file_verifies_earlier_feedback_and_reports_bad_lines(
    cli_app: Flask, tmp_path: Path
) -> None:
    with cli_app.app_context():
        db = database_for(cli_app).sessionmaker()
        workspace = accounts.create_workspace(db, "Acme Clinics")
        new = NewFeedback(
            text=COMMENT,
            channel=Channel.API,
            source_name="API",
            author_email="ann@customer.example",
        )
        item_id = record_feedback(db, workspace.id, new, intake_scorer_for(cli_app)).id
        db.commit()
        db.close()
    crm = tmp_path / "crm.txt"
    crm.write_text("ann@customer.example\nbob@customer.example\n\nnot an address\n")
    runner = cli_app.test_cli_runner()

    result = runner.invoke(args=["known-customers", str(crm), "--workspace", "acme-clinics"])

    assert result.exit_code == 0, result.output
    assert "3 entries: 2 added, 0 already on the list, 1 invalid" in result.output
    assert "1 existing feedback items verified" in result.output
    assert "line 4:" in result.output and "not an address" in result.output
    db = database_for(cli_app).sessionmaker()
    item = db.scalar(select(FeedbackItem).where(FeedbackItem.id == item_id))
    assert item is not None and (item.verified, item.verified_by) == (True, "customer_email")
    db.close()

    fresh = tmp_path / "fresh.csv"
    fresh.write_text("email\ncat@customer.example\n")
    replaced = runner.invoke(
        args=["known-customers", str(fresh), "--workspace", "acme-clinics", "--replace"]
    )
    assert replaced.exit_code == 0, replaced.output
    assert (
        "Cleared 2 addresses first." in replaced.output
        and "now holds 1 addresses" in replaced.output
    )


def test_cli_refuses_an_unknown_workspace_or_an_unreadable_file(
    cli_app: Flask, tmp_path: Path
) -> None:
    runner = cli_app.test_cli_runner()
    crm = tmp_path / "crm.csv"
    crm.write_text("name,plan\nAnn,Pro\n")
    missing = runner.invoke(args=["known-customers", str(crm), "--workspace", "nope"])
    assert missing.exit_code != 0 and "nope" in missing.output
    with cli_app.app_context():
        db = database_for(cli_app).sessionmaker()
        accounts.create_workspace(db, "Acme Clinics")
        db.commit()
        db.close()
    unreadable = runner.invoke(args=["known-customers", str(crm), "--workspace", "acme-clinics"])
    assert unreadable.exit_code != 0 and "email" in unreadable.output
