"""Review imports through the API: reports, idempotency, invalid rows, limits, isolation."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.harvest.imports.models import ImportRun
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import FollowUp
from tests.api.import_helpers import ARABIC, CSV_FILE, EMOJI, KHMER, LAO, upload
from tests.conftest import Tenant


def test_import_keeps_every_script_byte_for_byte_and_reports_invalid_rows(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    response = upload(client, tenant, CSV_FILE)

    assert response.status_code == 201, response.json
    run = response.json
    assert (run["rows_total"], run["rows_added"], run["rows_invalid"]) == (8, 4, 4)
    assert run["rows_duplicate"] == 0 and run["finished_at"]
    assert run["mapping"]["text"] == "Review" and run["mapping"]["rating"] == "Stars"
    reasons = {e["row"]: e["reason"] for e in run["errors"]}
    assert reasons[6] == "rating 9 is outside 1–5"
    assert reasons[7] == "missing text"
    assert "date '31/31/2024'" in reasons[8]
    assert reasons[9] == "row has 6 cells; the header has 5"

    items = db.scalars(select(FeedbackItem).where(FeedbackItem.import_id == run["id"])).all()
    assert sorted(i.text for i in items) == sorted([KHMER, LAO, ARABIC, EMOJI])
    sokha = next(i for i in items if i.author_name == "Sokha")
    assert sokha.channel == "import" and sokha.source_name == "Trustpilot"
    assert sokha.external_id == "r1" and sokha.rating == 5 and sokha.verified is False
    assert sokha.consent_state == "not_asked"
    assert sokha.submitted_at.isoformat() == "2024-03-01T00:00:00+00:00"
    assert sokha.received_at > sokha.submitted_at
    assert sokha.specificity is not None and sokha.scorer_version


def test_importing_the_same_file_again_adds_nothing(client: FlaskClient, tenant: Tenant) -> None:
    first = upload(client, tenant, CSV_FILE).json
    second = upload(client, tenant, CSV_FILE).json

    assert second["rows_added"] == 0 and second["rows_duplicate"] == first["rows_added"] == 4
    listing = client.get("/api/v1/feedback?per_page=100", headers=tenant.headers()).json
    assert listing["total"] == 4


def test_rows_without_external_id_are_matched_by_text_and_author(
    client: FlaskClient, tenant: Tenant
) -> None:
    body = b"comment,author\nGreat call with Priya,Ann\nGreat call with Priya,Bo\n"
    first = upload(client, tenant, body).json
    assert first["rows_added"] == 2  # same words from two people are two reviews
    again = upload(client, tenant, body + b"Brand new review,Cy\n").json
    assert (again["rows_added"], again["rows_duplicate"]) == (1, 2)
    other_source = upload(client, tenant, body, source_name="Google").json
    assert other_source["rows_added"] == 2


def test_json_array_reviews_object_and_json_lines(client: FlaskClient, tenant: Tenant) -> None:
    reviews = [
        {"id": "a1", "text": KHMER, "rating": 5, "consent": "yes"},
        {"id": "a2", "text": "Fine", "nps": 3},
        "not an object",
    ]
    as_array = upload(client, tenant, json.dumps(reviews).encode(), "r.json").json
    assert (as_array["file_format"], as_array["rows_added"], as_array["rows_invalid"]) == (
        "json",
        2,
        1,
    )
    as_object = upload(client, tenant, json.dumps({"reviews": reviews[:2]}).encode(), "r.json").json
    assert as_object["rows_duplicate"] == 2
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in reviews[:2]) + "\n{broken\n"
    as_lines = upload(client, tenant, lines.encode(), "r.jsonl", source_name="Other").json
    assert as_lines["file_format"] == "jsonl" and as_lines["rows_added"] == 2
    assert as_lines["errors"][0]["row"] == 3
    items = client.get("/api/v1/feedback?per_page=100", headers=tenant.headers()).json["items"]
    granted = [i for i in items if i["consent_state"] == "granted"]
    assert {i["text"] for i in granted} == {KHMER}  # only where the file said so
    assert {i["nps_score"] for i in items} == {None, 3}


def test_detractor_scores_get_a_follow_up(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    run = upload(client, tenant, b"text,nps\nSlow and buggy,2\nPerfect,10\n").json
    follow_ups = db.scalars(select(FollowUp).where(FollowUp.workspace_id == tenant.workspace.id))
    texts = {db.get(FeedbackItem, f.item_id).text for f in follow_ups}
    assert run["rows_added"] == 2 and texts == {"Slow and buggy"}


def test_a_known_layout_is_recognised_without_mapping(client: FlaskClient, tenant: Tenant) -> None:
    body = (
        b"Review ID,Review Created (UTC),Review Consumer User ID,Review Title,Review Content,"
        b"Review Stars,Review Language\n"
        b"tp-1,2024-02-01 09:30:00,u1,Quick fix,Support fixed our billing in an hour,5,en\n"
    )
    run = upload(client, tenant, body, "export.csv").json
    assert run["layout"] == "trustpilot" and run["rows_added"] == 1
    item = client.get("/api/v1/feedback", headers=tenant.headers()).json["items"][0]
    assert (item["title"], item["external_id"], item["language"]) == ("Quick fix", "tp-1", "en")


def test_mapping_names_the_columns(client: FlaskClient, tenant: Tenant) -> None:
    body = b"Opinion,Sterne,Wer\nSehr gut,5,Jo\n"
    missing = upload(client, tenant, body)
    assert missing.status_code == 422
    assert missing.mimetype == "application/problem+json"
    assert "No text column" in missing.json["detail"] and "Opinion" in missing.json["detail"]

    mapping = json.dumps({"text": "Opinion", "rating": "Sterne", "author": "Wer"})
    run = upload(client, tenant, body, mapping=mapping).json
    assert run["rows_added"] == 1 and run["mapping"]["author"] == "Wer"

    unknown = upload(client, tenant, body, mapping=json.dumps({"text": "Nope"}))
    assert unknown.status_code == 422 and "no column 'Nope'" in unknown.json["detail"]
    not_json = upload(client, tenant, body, mapping="text=Opinion")
    assert not_json.status_code == 422 and "mapping" in not_json.json["errors"]


def test_read_keys_cannot_import_and_lists_are_paginated(
    client: FlaskClient, tenant: Tenant
) -> None:
    response = client.post(
        "/api/v1/imports",
        data={"file": (io.BytesIO(CSV_FILE), "r.csv"), "source_name": "x"},
        headers=tenant.headers("read"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    for name in ("a.csv", "b.csv", "c.csv"):
        upload(client, tenant, b"text\nhello\n", name, source_name=name)
    page = client.get("/api/v1/imports?per_page=2", headers=tenant.headers()).json
    assert page["total"] == 3 and page["pages"] == 2
    assert [r["filename"] for r in page["items"]] == ["c.csv", "b.csv"]


def test_imports_of_another_workspace_are_404(
    client: FlaskClient, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    b_run = upload(client, b, b"text\nSecret praise from B\n").json
    for path in (f"/api/v1/imports/{b_run['id']}", f"/api/v1/imports/{b_run['id']}/report.csv"):
        response = client.get(path, headers=a.headers())
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.get("/api/v1/imports", headers=a.headers()).json["total"] == 0
    assert client.get(f"/api/v1/imports/{b_run['id']}", headers=b.headers()).status_code == 200
    # B's words do not make A's identical review a duplicate.
    assert upload(client, a, b"text\nSecret praise from B\n").json["rows_added"] == 1


# --- Scoring a large import in worker processes ------------------------------------------


def test_worker_processes_score_exactly_like_the_single_item_path(
    app: Flask, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    from testimonials.harvest.bulk_intake import BulkIntake
    from testimonials.harvest.intake import (
        NewFeedback,
        intake_scorer_for,
        record_feedback_batch,
    )
    from testimonials.harvest.models import Channel

    texts = [
        f"Booking {n} went smoothly; Dr Lee explained the {n}-step plan and we saved {n} hours."
        for n in range(12)
    ]
    texts += [texts[3], KHMER, EMOJI]  # an exact repeat inside the backlog
    scorer = intake_scorer_for(app)
    one_by_one, bulk = make_tenant("One Co"), make_tenant("Bulk Co")
    expected = record_feedback_batch(
        db,
        one_by_one.workspace.id,
        [NewFeedback(text=t, channel=Channel.IMPORT, source_name="s") for t in texts],
        scorer,
    )
    with BulkIntake(db, bulk.workspace.id, scorer, workers=2, parallel_after=0) as intake:
        for start in range(0, len(texts), 5):  # three chunks, in flight together
            intake.record(
                [
                    NewFeedback(text=t, channel=Channel.IMPORT, source_name="s")
                    for t in texts[start : start + 5]
                ]
            )
        assert intake.finish() == len(texts)
    stored = db.scalars(
        select(FeedbackItem)
        .where(FeedbackItem.workspace_id == bulk.workspace.id)
        .order_by(FeedbackItem.id)
    ).all()
    assert [i.text for i in stored] == texts
    for mine, theirs in zip(stored, expected, strict=True):
        assert (mine.specificity, mine.suspicion, mine.suggested_excerpt) == (
            theirs.specificity,
            theirs.suspicion,
            theirs.suggested_excerpt,
        )
        assert mine.score_reasons == theirs.score_reasons and mine.minhash == theirs.minhash
        assert mine.pii_flags == theirs.pii_flags and mine.content_hash == theirs.content_hash
    assert "exact_duplicate" in {r["code"] for r in stored[12].score_reasons}


def test_an_open_intake_quiets_the_collector_and_puts_it_back(
    db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    """While intakes are open, what lived before is frozen and young passes are rarer;
    the last to close restores the process's settings, even when an import fails."""
    import gc

    from testimonials.harvest.bulk_intake import BulkIntake
    from testimonials.harvest.intake import NewFeedback
    from testimonials.harvest.models import Channel

    tenant = make_tenant("Quiet Co")
    before = gc.get_threshold(), gc.get_freeze_count()
    with BulkIntake(db, tenant.workspace.id, None) as intake:
        assert gc.get_threshold()[0] == 10_000 and gc.get_freeze_count() > before[1]
        with BulkIntake(db, tenant.workspace.id, None):  # a second import at the same time
            pass
        assert gc.get_threshold()[0] == 10_000 and gc.get_freeze_count() > before[1]
        intake.record(
            [NewFeedback(text="Quick and kind.", channel=Channel.IMPORT, source_name="s")]
        )
        assert intake.finish() == 1
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
    with pytest.raises(RuntimeError), BulkIntake(db, tenant.workspace.id, None):
        raise RuntimeError("the file broke off")
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


# --- flask --app testimonials import ------------------------------------------------------


def test_cli_imports_with_progress_is_idempotent_and_explains_errors(
    empty_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    from testimonials.accounts import services as accounts
    from testimonials.db import database_for
    from tests.conftest import make_app

    app = make_app(empty_database_url("imports_cli"), tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    session = database_for(app).sessionmaker()
    accounts.create_workspace(session, "Acme Shop")
    session.commit()
    session.close()
    reviews = tmp_path / "reviews.csv"
    reviews.write_bytes(CSV_FILE)

    def run(*args: str) -> Any:
        return runner.invoke(args=["import", *args])

    first = run(str(reviews), "--workspace", "acme-shop", "--source", "Shop")
    assert first.exit_code == 0, first.output
    assert "Importing reviews.csv" in first.output  # the progress bar's label
    assert "8 rows, 4 added, 0 duplicates, 4 invalid." in first.output
    assert "row 6: rating 9 is outside 1–5" in first.output
    again = run(str(reviews), "--workspace", "acme-shop", "--source", "Shop")
    assert "8 rows, 0 added, 4 duplicates, 4 invalid." in again.output

    mapped = tmp_path / "mapped.csv"
    mapped.write_text("Meinung;Sterne\nSehr gut;5\n", encoding="cp1252")
    result = run(str(mapped), "--workspace", "acme-shop", "--map", "text=Meinung,rating=Sterne")
    assert result.exit_code == 0 and "1 added" in result.output
    assert "source 'import'" in result.output

    failures = {
        "No text column": [str(mapped), "--workspace", "acme-shop"],
        "No workspace": [str(reviews), "--workspace", "nope"],
        "--map: 'text' is not field=Column": [
            str(reviews),
            "--workspace",
            "acme-shop",
            "--map",
            "text",
        ],
    }
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 8)
    failures["binary file"] = [str(garbage), "--workspace", "acme-shop"]
    for message, args in failures.items():
        result = run(*args)
        assert result.exit_code == 1 and message in result.output, (message, result.output)
        assert "Traceback" not in result.output


def test_cli_import_that_stops_half_way_keeps_committed_chunks_and_resumes(
    empty_database_url: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimonials.accounts import services as accounts
    from testimonials.db import database_for
    from testimonials.harvest.bulk_intake import BulkIntake
    from testimonials.harvest.imports import services
    from tests.conftest import make_app

    app = make_app(empty_database_url("imports_resume"), tmp_path)
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    session = database_for(app).sessionmaker()
    accounts.create_workspace(session, "Acme Shop")
    session.commit()
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("text\n" + "".join(f"Review number {n} here\n" for n in range(6)))
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    store = BulkIntake._store
    calls = []

    def store_then_crash(self: BulkIntake, *args: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        store(self, *args)

    monkeypatch.setattr(BulkIntake, "_store", store_then_crash)
    args = ["import", str(reviews), "--workspace", "acme-shop"]
    stopped = runner.invoke(args=args)
    session.rollback()
    assert stopped.exit_code == 1 and "The import stopped: database went away" in stopped.output
    run = session.scalars(select(ImportRun)).one()
    assert run.rows_added == 2 and run.finished_at is None
    assert "database went away" in run.errors[-1]["reason"]

    monkeypatch.setattr(BulkIntake, "_store", store)
    resumed = runner.invoke(args=args)
    assert "6 rows, 4 added, 2 duplicates, 0 invalid." in resumed.output
    session.rollback()  # a fresh snapshot
    assert session.scalar(select(func.count()).select_from(FeedbackItem)) == 6
    session.close()


def test_rows_without_a_language_get_the_one_their_words_show_and_none_when_they_show_none(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    body = (
        "Review,Stars,Language\r\n"
        f'"{KHMER}",5,\r\n'
        '"The booking page saved us two hours a week.",5,\r\n'
        '"10/10 👍👍",5,\r\n'
        '"Habari, huduma nzuri sana",5,\r\n'
        '"Great app",5,de\r\n'
    ).encode()
    run = upload(client, tenant, body).json
    items = db.scalars(select(FeedbackItem).where(FeedbackItem.import_id == run["id"])).all()
    assert {i.text: i.language for i in items} == {
        KHMER: "km",
        "The booking page saved us two hours a week.": "en",
        "10/10 👍👍": None,  # nothing to read a language from: not called English
        "Habari, huduma nzuri sana": None,  # Swahili: no word lists yet
        "Great app": "de",  # what the file says wins
    }
